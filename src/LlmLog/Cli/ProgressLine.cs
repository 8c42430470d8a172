using System.Globalization;
using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Transform;

namespace LlmLog.Cli;

/// <summary>
/// A single self-overwriting progress line on stderr, shown only when stderr is a terminal: what a long ingest is
/// reading, how far the refresh of its marts has got, how many rows an export has written. Safe to call from any
/// thread (the refresh builds slices in two sessions); redrawn at most every 0.2 s, and always for the first report
/// and the last part.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(200);
    private static ProgressLine? _current;

    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan _drawnAt;
    private bool _drawn;

    public ProgressLine() => _current = this;

    public static bool Enabled => !Console.IsErrorRedirected;

    /// <summary>Erases the line drawn, so that a log line starts on a clean line; the next report draws it again.</summary>
    public static void EraseForLog() => _current?.Erase();

    public void Report(IngestProgress p)
    {
        var rate = p.Elapsed.TotalSeconds > 0 ? p.Records / p.Elapsed.TotalSeconds : 0;
        Show(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(p.Path)}: {p.Records:N0} records, {p.Bytes / 1048576.0:N1} MiB, {rate:N0} records/s"), force: false);
    }

    public void Report(RefreshProgress p) =>
        Show(string.Create(CultureInfo.InvariantCulture,
            $"Refreshing the {p.Label} of {Counting.Counted(p.Days, "day")}: {p.SlicesBuilt} of {Counting.Counted(p.Slices, "slice")} built, {p.Elapsed.TotalSeconds:N1} s"),
            force: p.SlicesBuilt == 0 || p.SlicesBuilt == p.Slices);

    public void Report(ExportProgress p)
    {
        var rate = p.Elapsed.TotalSeconds > 0 ? p.Rows / p.Elapsed.TotalSeconds : 0;
        var parts = p.Parts > 1 ? string.Create(CultureInfo.InvariantCulture, $", {p.PartsDone} of {p.Parts} days") : "";
        Show(string.Create(CultureInfo.InvariantCulture, $"Exporting {p.Table}: {p.Rows:N0} rows{parts}, {rate:N0} rows/s"), force: p.PartsDone == p.Parts);
    }

    private void Show(string line, bool force)
    {
        lock (_lock)
        {
            var now = _clock.Elapsed;
            if (_drawn && !force && now - _drawnAt < Every) return;
            _drawnAt = now;
            Console.Error.Write("\r" + line.PadRight(Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 79, 100)));
            _drawn = true;
        }
    }

    public void Dispose()
    {
        Erase();
        Interlocked.CompareExchange(ref _current, null, this);
    }

    private void Erase()
    {
        lock (_lock)
        {
            if (_drawn) Console.Error.Write("\r" + new string(' ', 100) + "\r");
            _drawn = false;
        }
    }
}
