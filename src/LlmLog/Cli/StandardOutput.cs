namespace LlmLog.Cli;

/// <summary>
/// What a command prints on standard output. A full disk, or /dev/full, refuses the write: that is the user's to
/// fix (exit 3, one line), not an internal error with a stack trace.
/// </summary>
internal static class StandardOutput
{
    public static void Write(string text) => Write(output => output.Write(text));

    public static void Write(Action<TextWriter> write)
    {
        try
        {
            write(Console.Out);
            Console.Out.Flush();
        }
        catch (Exception e) when (Refused(e))
        {
            throw Unwritable(e);
        }
    }

    /// <summary>
    /// Whether <paramref name="e"/> is standard output refusing a write: a full disk or a closed pipe (an
    /// <see cref="IOException"/>), or no standard output at all (<c>&gt;&amp;-</c>), which .NET throws as access denied
    /// over EBADF, and which was exit 1, "Internal error", after an ingest had committed (found by probing scheduled runs).
    /// </summary>
    public static bool Refused(Exception e) => e is IOException or UnauthorizedAccessException { InnerException: IOException };

    /// <summary>The usage of <see cref="Refused"/>'s failure: exit 3, what the command's help says of it.</summary>
    public static LlmLogException Unwritable(Exception e) => new(ExitCode.InputError, e is UnauthorizedAccessException { InnerException: { } io }
        ? $"cannot write standard output: {io.Message} (it is closed; give the command somewhere to write, such as > /dev/null)"
        : $"cannot write standard output: {e.Message}", e);
}
