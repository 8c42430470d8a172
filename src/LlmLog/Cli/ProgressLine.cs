using System.Globalization;
using LlmLog.Loading;

namespace LlmLog.Cli;

/// <summary>A single self-overwriting progress line on stderr, shown only when stderr is a terminal.</summary>
public sealed class ProgressLine : IDisposable
{
    private bool _drawn;

    public static bool Enabled => !Console.IsErrorRedirected;

    public void Report(IngestProgress p)
    {
        var rate = p.Elapsed.TotalSeconds > 0 ? p.Records / p.Elapsed.TotalSeconds : 0;
        var name = Path.GetFileName(p.Path);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {p.Records:N0} records, {p.Bytes / 1048576.0:N1} MiB, {rate:N0} records/s");
        Console.Error.Write("\r" + line.PadRight(Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 79, 100)));
        _drawn = true;
    }

    public void Dispose()
    {
        if (_drawn) Console.Error.Write("\r" + new string(' ', 100) + "\r");
    }
}
