using System.Runtime.InteropServices;
using Serilog;

namespace LlmLog.Cli;

/// <summary>
/// What Ctrl-C (SIGINT) or a scheduler's stop (SIGTERM: systemd, Airflow, Kubernetes) does to a running command. The
/// process ends at once, with the shell's exit code for the signal (130, 143), and the database rolls back the file or
/// slice of days in hand, as after any lost connection. Before it ends, llmlog says so in the log, in the running
/// command's words (<see cref="Leaves"/>), and removes the files it had not finished (<see cref="PartialFiles"/>),
/// which a SIGKILL leaves behind. A second signal meanwhile ends the process without waiting for that, unless it is the
/// same signal within a second, which is the same stop delivered twice.
/// </summary>
public static partial class Interruption
{
    // Two deliveries of one signal this close together are one stop; a person's second Ctrl-C comes later.
    private const long SameStopMilliseconds = 1000;
    private static readonly Lock Gate = new();
    private static (PosixSignal Signal, long At)? _first;
    private static Action<int, string>? _lastWords;
    private static Func<int, string> _leaves = WarehouseWriterLeaves;

    /// <summary>
    /// What a stop leaves behind, as the running command says it, given how many unfinished output files were removed.
    /// Without it, what a command that writes the warehouse leaves: generate has none, and summary only reads it, yet
    /// both spoke of "a slice of days being written to the warehouse" (found by probing the CLI).
    /// </summary>
    public static void Leaves(Func<int, string> leaves) => _leaves = leaves;

    private static string WarehouseWriterLeaves(int removed) =>
        "Nothing unfinished is kept: a file or slice of days being written to the warehouse is rolled back"
        + (removed switch { 0 => "", 1 => ", and the unfinished output file is removed", _ => $", and the {removed} unfinished output files are removed" })
        + "; run the same command again to finish";

    /// <summary>
    /// What the command prints on standard output if it is interrupted, given the exit code and the message: an
    /// ingest with --json still prints its object with only exit_code and message, as for any early stop.
    /// </summary>
    public static void OnInterrupt(Action<int, string> write) => _lastWords = write;

    /// <summary>
    /// Handles SIGINT and SIGTERM until disposed, and ignores SIGXFSZ. The real executable's entry point calls it, never
    /// a test host.
    /// </summary>
    public static IDisposable Handle() => new Registrations(
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        // A write past the file size limit (ulimit -f, systemd's LimitFSIZE) sends SIGXFSZ, whose default kills the
        // process: exit 153, no word, the DuckDB file's write-ahead log or an export's staging file left half-written.
        // Ignored, the write fails with EFBIG instead, which the output files and the warehouse turn into their message
        // and exit code (found by probing a schedule; the tests had ignored it in the shell that started llmlog).
        // Windows has no such signal, and its registration takes none but its own four.
        .. OperatingSystem.IsWindows() ? [] : new[] { PosixSignalRegistration.Create(Sigxfsz, context => context.Cancel = true) },
    ]);

    // Not among PosixSignal's names; 25 on Linux and macOS alike, and a raw number is what PosixSignalRegistration takes.
    private const PosixSignal Sigxfsz = (PosixSignal)25;

    private static void OnSignal(PosixSignalContext context)
    {
        lock (Gate)
        {
            if (_first is { } first)
            {
                // The same signal again at once is the same stop, sent twice: timeout(1) and Airflow signal the process and
                // then its process group. Taken for a second Ctrl-C, it ended the process before the first had said a word,
                // printed its --json object or removed the unfinished files (found by probing scheduled runs).
                if (context.Signal == first.Signal && Environment.TickCount64 - first.At < SameStopMilliseconds) context.Cancel = true;
                return;
            }
            _first = (context.Signal, Environment.TickCount64);
        }
        // Handled here: the runtime's own exit would let the other threads run on, and start files after the cleanup.
        context.Cancel = true;
        var sigint = context.Signal == PosixSignal.SIGINT;
        PartialFiles.Close();
        // A file listed just before the close is created a moment after its listing.
        Thread.Sleep(50);
        var removed = PartialFiles.DeleteAll();
        var code = 128 + (sigint ? 2 : 15);
        var message = $"interrupted by {(sigint ? "Ctrl-C (SIGINT)" : "SIGTERM")}: stopping now. " + _leaves(removed);
        Log.Warning("{Message}", char.ToUpperInvariant(message[0]) + message[1..]);
        Log.CloseAndFlush();
        try
        {
            _lastWords?.Invoke(code, message);
        }
        catch (Exception e) when (StandardOutput.Refused(e) || e is LlmLogException)
        {
            // Standard output is gone (a closed pipe): the exit code still says it.
        }
        Exit(code);
    }

    // Ends the process now, running nothing more: no thread gets to write after the cleanup.
    private static void Exit(int code)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            RemoveRuntimeFiles();
            ExitNow(code);
        }
        Environment.Exit(code);
    }

    // The .NET runtime's debugger pipes and diagnostics socket in the temporary folder, named after the process id, are
    // removed by its own shutdown, which _exit skips: three files were left for each stopped run, piling up under cron
    // (found by probing a schedule). Only this process's names are matched.
    private static void RemoveRuntimeFiles()
    {
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var pattern in new[] { $"clr-debug-pipe-{pid}-*", $"dotnet-diagnostic-{pid}-*" })
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), pattern)) File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind, as before: nothing of the run's data depends on them.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void ExitNow(int status);

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}
