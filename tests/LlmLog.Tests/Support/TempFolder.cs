using System.Text;

namespace LlmLog.Tests.Support;

/// <summary>A folder of its own for one test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    /// <param name="parent">Where to create it (e.g. /dev/shm for tests that commit thousands of times); default the temp folder.</param>
    public TempFolder(string? parent = null)
    {
        Path = parent is null
            ? Directory.CreateTempSubdirectory("llmlog-test-").FullName
            : Directory.CreateDirectory(System.IO.Path.Combine(parent, "llmlog-test-" + Guid.NewGuid().ToString("N"))).FullName;
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string File(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A named pipe (FIFO) in the folder, made by mkfifo(1); its path.</summary>
    public string Fifo(string name)
    {
        var path = Combine(name);
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} exited with {mkfifo.ExitCode}");
        return path;
    }

    public void Dispose() => Delete(Path);

    /// <summary>
    /// Removes <paramref name="path"/> and everything in it. A test that made a folder in it read-only (to show what a
    /// reader may not do) had it removed by root alone: run as a normal user, the removal threw and failed the test,
    /// and left the folder behind (found by running the suite as a newcomer would). Its folders are made writable
    /// again first.
    /// </summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (UnauthorizedAccessException) when (!OperatingSystem.IsWindows())
        {
            try
            {
                foreach (var folder in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Prepend(path))
                {
                    System.IO.File.SetUnixFileMode(folder, System.IO.File.GetUnixFileMode(folder) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
                Directory.Delete(path, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still in use, or a folder inside made by another user; the OS temp cleaner will have it.
            }
        }
        catch (IOException)
        {
            // A file still open by a dying process; the OS temp cleaner will have it.
        }
    }
}
