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
            : config.Enrich.With(new EscapeControlCharacters()).Enrich.With(new UtcTime()).WriteTo.Console(
                    outputTemplate: TextTemplate(onTerminal: !Console.IsErrorRedirected),
                    formatProvider: CultureInfo.InvariantCulture,
                    standardErrorFromLevel: LogEventLevel.Verbose)
                .CreateLogger();
    }

    /// <summary>
    /// A text log line: its UTC time, level and message. On a terminal the time of day is enough; a log written to a file
    /// (cron's <c>&gt;&gt; ingest.log 2&gt;&amp;1</c>, a systemd service's file) also gets the date, since such a file holds
    /// many days' runs and its lines were otherwise dated only by the runs around them.
    /// The Z is part of the time's format, not text of the template, which the terminal theme draws in black: on a dark
    /// terminal the time read as local (found by probing the CLI).
    /// </summary>
    private static string TextTemplate(bool onTerminal) =>
        (onTerminal ? "{UtcTime:HH:mm:ss'Z'}" : "{UtcTime:yyyy-MM-dd'T'HH:mm:ss'Z'}") + " {Level:u3} {Message:lj}{NewLine}";

    /// <summary>
    /// The event's time in UTC, as every other time llmlog writes (the JSON log's <c>@t</c>, the warehouse, the report):
    /// Serilog's <c>{Timestamp}</c> is the machine's local time, so a cron log on a server in Berlin and the warehouse's
    /// run times an hour apart told two stories.
    /// </summary>
    private sealed class UtcTime : Serilog.Core.ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddPropertyIfAbsent(new LogEventProperty("UtcTime", new ScalarValue(logEvent.Timestamp.UtcDateTime)));
    }

    /// <summary>
    /// In the text log, a value's control characters are written as escapes (<c>\n</c>, <c>\u001b</c>): a file named
    /// with a line break and a fake log line, or a terminal's escape sequence, wrote them into the log as they were
    /// (found by probing ingest). One event stays one line. The JSON log escapes them as JSON does. The stack trace of
    /// an internal error keeps its lines.
    /// </summary>
    private sealed class EscapeControlCharacters : Serilog.Core.ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
        {
            foreach (var (name, value) in logEvent.Properties.ToList())
            {
                if (name != "Error" && value is ScalarValue { Value: string text } && text.Any(char.IsControl))
                {
                    logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Printable(text))));
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="text"/> with its control characters written as escapes (<c>\n</c>, <c>\u001b</c>), for a line a
    /// person reads in a terminal: the text log, and the tables commands print (a file name may hold any of them).
    /// </summary>
    internal static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private sealed class EraseProgressLine : Serilog.Core.ILogEventSink
    {
        public void Emit(LogEvent logEvent) => ProgressLine.EraseForLog();
    }
}
