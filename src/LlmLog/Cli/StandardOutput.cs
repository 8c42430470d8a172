namespace LlmLog.Cli;

/// <summary>
/// What a command prints on standard output. A full disk, or /dev/full, refuses the write: that is the user's to
/// fix (exit 3, one line), not an internal error with a stack trace. So does a pipe whose reader quit: written
/// through <see cref="Console.Out"/>, which drops EPIPE, `summary | true` and an `ingest --json` whose consumer had
/// died exited 0, where export and generate said exit 3 (found by probing the docs).
/// </summary>
internal static class StandardOutput
{
    private static readonly System.Text.Encoding Utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string text) => Write(output => output.Write(text));

    public static void Write(Action<TextWriter> write)
    {
        try
        {
            // Console.Out has nothing buffered: it flushes each write, so what it printed before comes first.
            using var output = new StreamWriter(OutputFile.OpenStandardOutput(), Utf8) { NewLine = "\n" };
            write(output);
            output.Flush();
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
        : $"cannot write standard output: {OutputFile.Reason(e)}", e);
}
