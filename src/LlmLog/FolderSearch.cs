namespace LlmLog;

/// <summary>
/// Whether a path is hidden from this user by a folder on its way that the user may not search (enter: the execute
/// bit on a folder). Behind such a folder nothing can be told, not even whether a file is there, and .NET answers
/// "does not exist": an output in a folder behind a service's 0700 data folder was called a missing folder, exit 2, and
/// an input "no such file or directory" (found by probing as a non-root user).
/// </summary>
public static class FolderSearch
{
    /// <summary>
    /// The deepest folder on the way to <paramref name="path"/> (its real path, after symbolic links) that this user
    /// can see but may not search, when that hides <paramref name="path"/>; null when the path can be looked up, exists
    /// or not, and where it cannot be told (Windows).
    /// </summary>
    public static string? HidingFolder(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        string real;
        try
        {
            // A link on the way is followed to where it leads: the folder that hides is there, not beside the link.
            real = OutputFile.RealPath(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            real = Path.GetFullPath(path);
        }
        if (LookUp(real) != Lookup.Denied) return null;
        for (var folder = Path.GetDirectoryName(real); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (LookUp(folder) == Lookup.Seen) return folder;
        }
        return null;
    }

    /// <summary>Why a path <paramref name="folder"/> hides cannot be reached, in the words every command uses.</summary>
    public static string CannotLookInto(string folder) =>
        $"permission denied: this user may not look into the folder {folder} (it needs execute, search, permission on it)";

    private enum Lookup { Seen, Missing, Denied }

    // stat(2) by the effective user, as every open of the path will be: EACCES while the path is resolved means a
    // folder on the way may not be searched; ENOENT (or ENOTDIR) that it is not there.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static Lookup LookUp(string path)
    {
        try
        {
            _ = File.GetUnixFileMode(path);
            return Lookup.Seen;
        }
        catch (UnauthorizedAccessException)
        {
            return Lookup.Denied;
        }
        catch (IOException)
        {
            return Lookup.Missing;
        }
    }
}
