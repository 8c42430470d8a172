using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace LlmLog.Tests.Support;

/// <summary>
/// A pipe named by a path, as bash's <c>&lt;(cat file)</c> hands one to a command: <c>/proc/self/fd/N</c> of the
/// read end of a pipe that a writer fills with the bytes given and then closes. Linux only.
/// </summary>
public sealed class PipeHolding : IDisposable
{
    private readonly AnonymousPipeServerStream _writer = new(PipeDirection.Out, HandleInheritability.None);
    private readonly SafePipeHandle _readEnd;
    private readonly Task _writing;

    public PipeHolding(byte[] bytes)
    {
        _readEnd = _writer.ClientSafePipeHandle;
        Path = $"/proc/self/fd/{_readEnd.DangerousGetHandle()}";
        // Written while the reader reads: a pipe holds only 64 KiB before a writer waits.
        _writing = Task.Run(() =>
        {
            using (_writer)
            {
                _writer.Write(bytes);
            }
        });
    }

    public string Path { get; }

    public void Dispose()
    {
        _readEnd.Dispose();
        try
        {
            _writing.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Nobody read the rest (the test failed first); the test's own assertion says why.
        }
    }
}
