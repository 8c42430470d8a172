using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LlmLog;

/// <summary>
/// The files a command is still writing and has not yet put in place: an export's, a report's and <c>generate</c>'s
/// hidden staging files (<see cref="OutputFile.StagingNameBeside"/>). A command that fails removes its own as it
/// unwinds; one that is interrupted (Ctrl-C, a scheduler's SIGTERM) does not unwind, so <see cref="Cli.Interruption"/> removes what is
/// listed here before the process ends. Nothing half-written is left behind either way.
/// </summary>
public static partial class PartialFiles
{
    private static readonly ConcurrentDictionary<string, byte> Paths = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> Folders = new(StringComparer.Ordinal);
    private static volatile bool _closed;

    /// <summary>
    /// Lists <paramref name="path"/> as unfinished until <see cref="Remove"/>; call it before creating the file. Once the
    /// process is stopping (<see cref="Close"/>), no new file is started: the caller waits here for the end.
    /// </summary>
    public static void Add(string path)
    {
        if (_closed) Thread.Sleep(Timeout.Infinite);
        Paths.TryAdd(Path.GetFullPath(path), 0);
    }

    /// <summary>The file is finished and in place, or deleted: no longer this run's to remove.</summary>
    public static void Remove(string path) => Paths.TryRemove(Path.GetFullPath(path), out _);

    /// <summary>
    /// Lists a folder made to hold unfinished files (an export's tree, its day folders) until <see cref="RemoveFolder"/>:
    /// <see cref="DeleteAll"/> removes it when it is empty once their files are gone. A stopped export into a new tree left
    /// the tree and its day folders, empty (found by probing the docs). Once the process is stopping, no new folder is
    /// made, as no new file is started: an export's next day folder, made while the stop removed the others, kept the
    /// tree (found by the tests, on a busy machine).
    /// </summary>
    public static void AddFolder(string path)
    {
        if (_closed) Thread.Sleep(Timeout.Infinite);
        Folders.TryAdd(Path.GetFullPath(path), 0);
    }

    /// <summary>The folder holds published files, or was removed: no longer this run's to remove.</summary>
    public static void RemoveFolder(string path) => Folders.TryRemove(Path.GetFullPath(path), out _);

    /// <summary>
    /// Renames the finished <paramref name="partial"/> to <paramref name="final"/> (replacing it), no longer unfinished.
    /// A file it replaces keeps its permissions: a dashboard a web server reads (0644) stayed 0600 after a cron job's
    /// next report under umask 077, because the new file is a new inode made under the job's umask. For the same reason
    /// it keeps its group, and its owner where the process may give it one (root): a dashboard made
    /// <c>chgrp www-data; chmod 640</c> came back in the job's own group, which the web server may not read (found by probing).
    /// </summary>
    public static void MoveIntoPlace(string partial, string final) => MoveIntoPlace(partial, final, KeptOf(final));

    /// <summary>
    /// <see cref="MoveIntoPlace(string, string)"/> for a file whose old self is removed before its new one is put in place
    /// (an export's manifest): <paramref name="kept"/> is what <see cref="KeptOf"/> read of it before.
    /// </summary>
    public static void MoveIntoPlace(string partial, string final, Kept? kept)
    {
        if (kept is { } was && !OperatingSystem.IsWindows())
        {
            // Owner first: a chown clears the set-user-ID and set-group-ID bits, which the mode then puts back.
            KeepOwner(partial, was);
            File.SetUnixFileMode(partial, was.Mode);
        }
        File.Move(partial, final, overwrite: true);
        Remove(partial);
        RemoveLeftovers(final);
    }

    /// <summary>The mode and owners a replacing file takes from the file it replaces.</summary>
    public sealed record Kept(UnixFileMode Mode, (uint User, uint Group)? Owner);

    /// <summary>What a file at <paramref name="path"/> would hand on to the file that replaces it; null when there is none.</summary>
    public static Kept? KeptOf(string path) =>
        OperatingSystem.IsWindows() || !File.Exists(path) ? null : new Kept(File.GetUnixFileMode(path), FileKind.OwnerOf(path));

    // .NET has no chown. Root may give the new file both ids; a user only a group of their own; anything else (EPERM)
    // leaves the file as the process made it, which is written all the same, as before owners were kept.
    private static void KeepOwner(string partial, Kept was)
    {
        if (was.Owner is not var (user, group)) return;
        if (Chown(partial, user, group) == 0) return;
        Chown(partial, KeepId, group);
    }

    /// <summary>What chown(2) takes for an id it is to leave as it is: -1.</summary>
    private const uint KeepId = uint.MaxValue;

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);

    /// <summary>How long another run's staging file must have gone unwritten before a run that put the same file in place removes it.</summary>
    public static readonly TimeSpan LeftoverIdle = TimeSpan.FromMinutes(10);

    // The staging files of the same name that killed runs left (OutputFile.LeftStagingFiles); a file that cannot be removed stays.
    private static void RemoveLeftovers(string final)
    {
        try
        {
            foreach (var leftover in OutputFile.LeftStagingFiles(final, LeftoverIdle).Where(f => !Paths.ContainsKey(f)).ToList()) File.Delete(leftover);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run: the file this run wrote is in place either way.
        }
    }

    /// <summary>The process is stopping: from now on <see cref="Add"/> starts no new file.</summary>
    internal static void Close() => _closed = true;

    /// <summary>Deletes every file still listed; returns how many it deleted. A file that cannot be deleted is left.</summary>
    internal static int DeleteAll()
    {
        var deleted = 0;
        foreach (var path in Paths.Keys)
        {
            try
            {
                if (!File.Exists(path)) continue;
                File.Delete(path);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process is ending on a signal: what cannot be removed now stays, as after a SIGKILL.
            }
            finally
            {
                Paths.TryRemove(path, out _);
            }
        }
        // The deepest first, so that a folder is empty by the time it is looked at.
        foreach (var folder in Folders.Keys.OrderByDescending(f => f.Length))
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left as it is: another run wrote into it, or it cannot be removed now.
            }
            finally
            {
                Folders.TryRemove(folder, out _);
            }
        }
        return deleted;
    }
}
