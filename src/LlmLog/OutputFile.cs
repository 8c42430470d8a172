namespace LlmLog;

/// <summary>Where a finished output file is put when the path the user named is a symbolic link.</summary>
public static class OutputFile
{
    /// <summary>
    /// The file to write and rename into place: a symbolic link's final target, so that the link stays a link
    /// (a dashboard linked into a web folder keeps being served); any other path as it is.
    /// </summary>
    public static string Resolve(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return path;
        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }
}
