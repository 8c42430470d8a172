using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Cli;

/// <summary><c>llmlog summary</c>: the daily metrics in the terminal, or as CSV or JSON.</summary>
public static class SummaryCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "table (readable, with a totals row), csv (exactly the daily_llm_metrics columns) or json",
            DefaultValueFactory = _ => "table",
            HelpName = "table|csv|json",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json");

        var command = new Command("summary", "Show the daily metrics: one row per day (UTC unless --timezone), the quick look before opening a report.")
        {
            SharedOptions.From, SharedOptions.To, SharedOptions.Model, SharedOptions.TimeZone, format, SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        command.SetAction(parse =>
        {
            // Its one write is finishing days an interrupted ingest left unaggregated: a slice at a time, each whole or
            // not at all, and the days stay marked until all are built.
            Interruption.Leaves(_ => "Nothing is changed: summary only reads the warehouse (days an earlier ingest left unaggregated, if it was building them, "
                + "are finished by the next run); run the same command again to see the summary");
            var query = new DailyMetricsQuery
            {
                From = parse.GetValue(SharedOptions.From),
                To = parse.GetValue(SharedOptions.To),
                Model = parse.GetValue(SharedOptions.Model),
                TimeZone = parse.GetValue(SharedOptions.TimeZone) ?? "UTC",
            };
            var target = SharedOptions.Target(parse);
            var result = Read(target, query, TimeSpan.FromSeconds(parse.GetValue(SharedOptions.LockTimeout)));
            StandardOutput.Write(output => Render(result, parse.GetValue(format) ?? "table", output));
            return (int)ExitCode.Success;
        });
        return command;
    }

    /// <summary>Reads the metrics, first building any days ingest left dirty; no rows is a <see cref="ExitCode.NoData"/> error.</summary>
    public static DailyMetricsResult Read(DatabaseTarget target, DailyMetricsQuery query, TimeSpan lockTimeout, string? sqlRoot = null)
    {
        DailyMetricsReader.CheckDayOrder(query.From, query.To);
        DailyMetricsReader.ResolveZone(query.TimeZone);
        using var warehouse = OpenRead(target, lockTimeout, sqlRoot, out var snapshot);
        using (snapshot) return Read(warehouse, query);
    }

    /// <summary>
    /// The warehouse with every day an interrupted run left dirty built (a summary must never show stale days) and,
    /// on PostgreSQL, a snapshot of it taken; the writer lock is then released, so that an ingest goes ahead while a
    /// long summary (another zone reads the call rows) reads what was there when it started.
    /// </summary>
    internal static WarehouseConnection OpenRead(DatabaseTarget target, TimeSpan lockTimeout, string? sqlRoot, out System.Data.Common.DbTransaction? snapshot)
    {
        var warehouse = UpToDateWarehouse.Open(target, lockTimeout, sqlRoot);
        try
        {
            snapshot = warehouse.BeginReadSnapshot();
            warehouse.ReleaseWriterLock();
            return warehouse;
        }
        catch
        {
            warehouse.Dispose();
            throw;
        }
    }

    internal static DailyMetricsResult Read(WarehouseConnection warehouse, DailyMetricsQuery query)
    {
        var result = DailyMetricsReader.Read(warehouse, query)
            ?? throw new LlmLogException(ExitCode.NoData, NoCalls.Message(warehouse));
        if (result.Days.Count == 0)
        {
            var model = string.IsNullOrWhiteSpace(query.Model) ? "" : $" for model '{query.Model}'";
            // Say what was asked for, and where the calls are: "from 2030-01-01 to 2025-02-28" read as nonsense.
            var asked = (query.From, query.To) switch
            {
                ({ } first, { } last) => string.Create(CultureInfo.InvariantCulture, $"from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}"),
                ({ } first, null) => string.Create(CultureInfo.InvariantCulture, $"on or after {first:yyyy-MM-dd}"),
                (null, { } last) => string.Create(CultureInfo.InvariantCulture, $"on or before {last:yyyy-MM-dd}"),
                _ => "at all",
            };
            throw new LlmLogException(ExitCode.NoData, string.Create(CultureInfo.InvariantCulture,
                $"no calls {asked}{model} ({result.TimeZone}); the warehouse's calls are from {result.FirstCallDay:yyyy-MM-dd} to {result.LastCallDay:yyyy-MM-dd}; {NoCalls.Hint(query.From is not null || query.To is not null, model.Length > 0)}{NoCalls.ModelHint(query.Model, () => NoCalls.KnownModels(warehouse))}"));
        }
        return result;
    }

    public static void Render(DailyMetricsResult result, string format, TextWriter output)
    {
        switch (format)
        {
            case "csv":
                WriteCsv(result, output);
                break;
            case "json":
                WriteJson(result, output);
                break;
            default:
                WriteTable(result, output);
                break;
        }
    }

    /// <summary>Exactly the <c>daily_llm_metrics</c> columns: a header, one row per day, invariant culture, empty for NULL.</summary>
    public static void WriteCsv(DailyMetricsResult result, TextWriter output)
    {
        // LF, not RFC 4180's CRLF: the output is for shells and pipes, where a trailing \r pollutes the last field.
        using var csv = new CsvWriter(output, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var column in DailyMetrics.Columns) csv.WriteField(column);
        csv.NextRecord();
        foreach (var day in result.Days)
        {
            foreach (var value in day.Values()) csv.WriteField(Invariant(value));
            csv.NextRecord();
        }
        csv.Flush();
    }

    public static void WriteJson(DailyMetricsResult result, TextWriter output)
    {
        var days = result.Days.Select(d =>
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            var values = d.Values();
            for (var i = 0; i < values.Length; i++) row[DailyMetrics.Columns[i]] = values[i] is DateOnly day ? Invariant(day) : values[i];
            row["partial"] = d.Partial;
            return row;
        }).ToList();
        var document = new
        {
            timezone = result.TimeZone,
            from = Invariant(result.From),
            to = Invariant(result.To),
            days,
            totals = Totals.Of(result.Days),
            price_tables = result.PriceTables,
        };
        output.WriteLine(JsonSerializer.Serialize(document, JsonOutput.Options));
    }

    public static void WriteTable(DailyMetricsResult result, TextWriter output)
    {
        string[] header = ["day", "calls", "streamed", "w/ usage", "prompt tok", "completion tok", "total tok", "p50 lat s", "p95 lat s", "p95 ttft s", "est cost $", "unpriced"];
        var rows = result.Days.Select(d => new[]
        {
            Invariant(d.Day) + (d.Partial ? "*" : ""),
            N(d.Calls), N(d.StreamedCalls), N(d.CallsWithUsage), N(d.PromptTokens), N(d.CompletionTokens), N(d.TotalTokens),
            S(d.P50LatencyS), S(d.P95LatencyS), S(d.P95TtftS), Usd(d.EstCostUsd), N(d.UnpricedCalls),
        }).ToList();
        var t = Totals.Of(result.Days);
        // A percentile of daily percentiles means nothing, so the totals row leaves those columns empty.
        rows.Add(["total", N(t.Calls), N(t.StreamedCalls), N(t.CallsWithUsage), N(t.PromptTokens), N(t.CompletionTokens), N(t.TotalTokens), "", "", "", Usd(t.EstCostUsd), N(t.UnpricedCalls)]);

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        // A table pasted elsewhere says whose calls it counts: with --model it read as every model's (found by probing the docs).
        text.Append(CultureInfo.InvariantCulture, $"Daily LLM metrics, {result.TimeZone} days {Invariant(result.From)} to {Invariant(result.To)}{(result.Model.Length > 0 ? $", model {result.Model} only" : "")}").AppendLine();
        AppendRow(text, header, widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        for (var i = 0; i < rows.Count; i++)
        {
            if (i == rows.Count - 1) AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
            AppendRow(text, rows[i], widths);
        }
        if (result.Days.Any(d => d.Partial)) text.AppendLine("* partial: the first or last day of the data, or a day next to a pause of more than a month, which may hold only part of that day's calls");
        if (t.UnpricedCalls > 0) text.AppendLine("unpriced: calls with usage whose cost is unknown, not $0: no price for their model when their day was first priced, or no prompt/completion split");
        foreach (var p in result.PriceTables)
        {
            text.Append(CultureInfo.InvariantCulture, $"prices: {p.SourcePath} (sha256 {p.Sha256[..12]}, {Counting.Counted(p.PricedCalls, "call")}{(p.InForce ? "" : ", no longer in force")})").AppendLine();
        }
        output.Write(text.ToString());
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) text.Append("  ");
            text.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }
        text.AppendLine();
    }

    private static string Invariant(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        long n => n.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string N(long? n) => n?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    private static string S(double? s) => s?.ToString("0.000", CultureInfo.InvariantCulture) ?? "";

    // A priced cost too small for four decimals is not "0.0000", which reads as the $0 an unknown cost never is.
    private static string Usd(double? usd) => usd switch
    {
        null => "",
        > 0 and < 0.00005 => "<0.0001",
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };

    /// <summary>The additive metrics over all days shown; NULL sums stay NULL (unknown is not zero).</summary>
    // Every count of calls is additive: text and json_schema calls were left out of the totals (found by probing the CLI).
    internal sealed record Totals(long Calls, long StreamedCalls, long NonStreamedCalls, long TextCalls, long JsonSchemaCalls, long CallsWithUsage,
        long? PromptTokens, long? CompletionTokens, long? TotalTokens, long HitMaxTokensCalls, double? EstCostUsd, long UnpricedCalls)
    {
        public static Totals Of(IReadOnlyList<DailyMetrics> days) => new(
            days.Sum(d => d.Calls),
            days.Sum(d => d.StreamedCalls),
            days.Sum(d => d.NonStreamedCalls),
            days.Sum(d => d.TextCalls),
            days.Sum(d => d.JsonSchemaCalls),
            days.Sum(d => d.CallsWithUsage),
            SumOrNull(days.Select(d => d.PromptTokens)),
            SumOrNull(days.Select(d => d.CompletionTokens)),
            SumOrNull(days.Select(d => d.TotalTokens)),
            days.Sum(d => d.HitMaxTokensCalls),
            days.Any(d => d.EstCostUsd is not null) ? days.Sum(d => d.EstCostUsd ?? 0) : null,
            days.Sum(d => d.UnpricedCalls));

        private static long? SumOrNull(IEnumerable<long?> values)
        {
            long? sum = null;
            foreach (var v in values) if (v is { } x) sum = (sum ?? 0) + x;
            return sum;
        }
    }
}
