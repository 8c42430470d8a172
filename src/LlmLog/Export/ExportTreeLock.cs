using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Serilog;

namespace LlmLog.Export;

/// <summary>
/// Partitioned exports into one tree take turns. Each publishes by clearing the days it replaces, and a second export
/// running beside the first deleted the first one's staged files with them: the first failed with "cannot write …:
/// Could not find file", exit 3, and had both published at once, the tree could have lost those days and its manifest
/// (found by review, reproduced on PostgreSQL, where two exports overlap). The lock is the tree folder's own
/// <c>flock</c>: nothing is added to the tree, and a killed export's lock goes with its process. Taken before the export
/// reads the warehouse, so the export that writes last also read last. An export of one file holds its folder the same way
/// while it puts its files in place, and so waits for a tree's export of that folder too.
/// </summary>
internal sealed partial class ExportTreeLock : IDisposable
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    // O_CLOEXEC: a process started while the lock is held must not inherit the folder, whose lock would then outlive its
    // holder's Dispose for as long as that process runs (found by a test that starts llmlog under a lock of its own).
    private static readonly int CloseOnExec = OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() ? 0x1000000 : 0;

    // The folders made for the tree, its own first, then the missing folders above it, in the order they are removed.
    private readonly IReadOnlyList<string> _created;
    private int _fd;

    private ExportTreeLock(int fd, IReadOnlyList<string> created)
    {
        _fd = fd;
        _created = created;
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for no other export to be writing the tree at <paramref name="root"/> (created
    /// when missing, as the export creates it), then holds it until disposed; null where <c>flock</c> is not there (Windows).
    /// </summary>
    public static ExportTreeLock? Take(string root, TimeSpan wait)
    {
        if (OperatingSystem.IsWindows()) return null;
        var created = new List<string>();
        for (var folder = Path.GetFullPath(root); !Directory.Exists(folder); folder = Path.GetDirectoryName(folder)!)
        {
            created.Add(folder);
            // Until the export publishes: a stop by a signal, which unwinds nothing, removes them with its staged files.
            PartialFiles.AddFolder(folder);
        }
        Directory.CreateDirectory(root);
        var fd = Open(root, CloseOnExec);
        if (fd < 0) throw new IOException($"cannot open the folder {root}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return Hold(fd, root, wait, created);
    }

    /// <summary>
    /// <see cref="Take"/> for the existing folder an export of one file publishes into; null where the folder may be written
    /// but not read (a drop box, mode 0733), which cannot be opened to be locked: there the export publishes without taking
    /// turns, as it did before exports of one file took them (found by probing this change).
    /// </summary>
    public static ExportTreeLock? TakeWhereReadable(string folder, TimeSpan wait)
    {
        if (OperatingSystem.IsWindows()) return null;
        var fd = Open(folder, CloseOnExec);
        if (fd >= 0) return Hold(fd, folder, wait, []);
        var error = Marshal.GetLastPInvokeError();
        // EACCES is 13 on Linux and macOS.
        if (error == 13) return null;
        throw new IOException($"cannot open the folder {folder}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    // Waits for the folder open at fd to be free, then holds it; the fd is closed when that fails.
    private static ExportTreeLock Hold(int fd, string root, TimeSpan wait, IReadOnlyList<string> created)
    {
        var clock = Stopwatch.StartNew();
        var said = false;
        while (Flock(fd, LockExclusive | LockNonBlocking) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            // EWOULDBLOCK is 11 on Linux and 35 on macOS; anything else is no lock to wait for, only an error.
            if (error is not (11 or 35))
            {
                Close(fd);
                throw new IOException($"cannot lock the folder {root}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
            if (clock.Elapsed >= wait)
            {
                Close(fd);
                throw new LlmLogException(ExitCode.Locked, string.Create(CultureInfo.InvariantCulture,
                    $"another llmlog export is writing {root} and did not finish within {wait.TotalSeconds:0} s; try again later or raise --lock-timeout"));
            }
            if (!said)
            {
                Log.Information("Another llmlog export is writing {Root}; waiting up to {Seconds:0} s for it to finish", root, wait.TotalSeconds);
                said = true;
            }
            Thread.Sleep(100);
        }
        return new ExportTreeLock(fd, created);
    }

    /// <summary>
    /// For an export that failed: removes the folders created for the tree while they are empty, the tree's own and the
    /// missing ones above it (a failed --out lake/calls left lake/ behind, found by probing the docs).
    /// </summary>
    public void RemoveFolderMadeForNothing()
    {
        try
        {
            foreach (var folder in _created)
            {
                if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any()) return;
                Directory.Delete(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another export just wrote into it: left as it is, and the error that failed this export is the one to tell.
        }
    }

    /// <summary>The export published into the folders made for the tree: they are the user's now, kept whatever comes.</summary>
    public void Published()
    {
        foreach (var folder in _created) PartialFiles.RemoveFolder(folder);
    }

    /// <summary>Lets the next export in.</summary>
    public void Dispose()
    {
        if (_fd < 0) return;
        Close(_fd);
        _fd = -1;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
