using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace LlmLog.Cli;

/// <summary>Serilog on stderr, so stdout stays clean for --json and CSV output.</summary>
public static class ConsoleLogging
{
    public static void Configure(string format, string level)
    {
        var minimum = level switch
        {
            "debug" => LogEventLevel.Debug,
            "warning" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
        // A progress line drawn on the terminal is erased first, so the log line does not start at its end.
        var config = new LoggerConfiguration().MinimumLevel.Is(minimum).WriteTo.Sink(new EraseProgressLine());
        Log.Logger = format == "json"
            ? config.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger()
            : config.WriteTo.Console(
                    outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}",
                    formatProvider: CultureInfo.InvariantCulture,
                    standardErrorFromLevel: LogEventLevel.Verbose)
                .CreateLogger();
    }

    private sealed class EraseProgressLine : Serilog.Core.ILogEventSink
    {
        public void Emit(LogEvent logEvent) => ProgressLine.EraseForLog();
    }
}
