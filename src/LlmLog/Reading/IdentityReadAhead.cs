namespace LlmLog.Reading;

/// <summary>
/// An input's identity (<see cref="InputFiles.Identify"/>) read on another thread while the caller does other
/// work. A run over a file loaded before is the process's start, the opening of the warehouse and the file's
/// SHA-256 (about 0.2 s for a 268 MB file); with the hash taken while the warehouse opens, it costs the longer of
/// the two instead of both.
/// <para>
/// Only a regular file with bytes in it is read ahead: a pipe or FIFO (whose size is 0) must be opened once, by
/// the reader, and an empty file costs nothing to hash. A file whose size or modification time changed between
/// the start and <see cref="Take"/> is identified again, so the identity is never older than it would have been.
/// </para>
/// </summary>
public sealed class IdentityReadAhead : IDisposable
{
    private readonly string _path;
    private readonly FileStamp _before;
    private readonly Task<FileIdentity> _identity;
    private readonly CancellationTokenSource _abandon = new();
    private bool _taken;

    private IdentityReadAhead(string path, FileStamp before)
    {
        _path = path;
        _before = before;
        _identity = Task.Run(() => InputFiles.Identify(path, _abandon.Token), _abandon.Token);
    }

    /// <summary>Starts identifying <paramref name="source"/>; null when it is not a regular file with bytes in it.</summary>
    public static IdentityReadAhead? Start(InputSource source)
    {
        if (source.IsStandardInput || source.Unreadable is not null) return null;
        return FileStamp.Of(source.Path) is { Length: > 0 } before ? new IdentityReadAhead(source.Path, before) : null;
    }

    /// <summary>Done when the identity read ahead is (for tests that change the file after it).</summary>
    internal Task Finished => Task.WhenAny(_identity);

    /// <summary>Whether the hash was stopped before its end because the file was skipped unread.</summary>
    internal bool Abandoned => _identity.IsCanceled;

    /// <summary>
    /// Stops hashing <paramref name="path"/> when it is the file read ahead and it is passed over unread (unchanged since
    /// its load): hashed to its end regardless, a 70 MB file took the cores from the files after it (found by review).
    /// </summary>
    public void Abandon(string path)
    {
        if (path == _path) Dispose();
    }

    /// <summary>
    /// Stops the hash and closes the file, unless the identity was taken (its file is then the taker's to close): a run
    /// that stopped before its first file (a warehouse that could not be opened) left it open (found by review).
    /// </summary>
    public void Dispose()
    {
        if (_taken) return;
        _taken = true;
        _abandon.Cancel();
        CloseWhenIdentified();
    }

    /// <summary>
    /// The identity of the file at <paramref name="path"/>: the one read ahead, the first time it is asked for with
    /// the path it was started with and while the file is as it was then; otherwise read now. A failure to read it
    /// ahead is thrown here, as <see cref="InputFiles.Identify"/> throws it.
    /// </summary>
    public FileIdentity Take(string path)
    {
        if (_taken || path != _path) return InputFiles.Identify(path);
        _taken = true;
        // Waiting first: a change made while the hash was being taken must show in the stamp compared below.
        // (Finished waits without throwing; a failure is thrown below, if the file is still as it was.)
        Finished.Wait();
        if (FileStamp.Of(path) != _before)
        {
            CloseWhenIdentified();
            return InputFiles.Identify(path);
        }
        return _identity.GetAwaiter().GetResult();
    }

    // The file an identity left unused holds open (FileIdentity.File) is closed once the hash is done, or now.
    private void CloseWhenIdentified() =>
        _identity.ContinueWith(t => t.Result.File?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
}
