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
        catch (IOException e)
        {
            throw new LlmLogException(ExitCode.InputError, $"cannot write standard output: {e.Message}", e);
        }
    }
}
