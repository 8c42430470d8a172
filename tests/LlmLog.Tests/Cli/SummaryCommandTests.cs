using System.Globalization;
using System.Text.Json;
using Dapper;
using LlmLog.Cli;
using LlmLog.Tests.Transform;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Cli;

/// <summary><c>llmlog summary</c>: the CSV contract, the table with totals, JSON, and its errors.</summary>
public sealed class SummaryCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task CsvIsExactlyTheDailyColumnsAsAHeaderThenOneRowPerDay(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);

        var lines = Csv(SummaryCommand.Read(target, new DailyMetricsQuery(), Wait));

        lines[0].Should().Be(string.Join(',', DailyMetrics.Columns));
        lines.Should().HaveCount(4);
        lines.Skip(1).Should().OnlyContain(l => l.Split(',').Length == DailyMetrics.Columns.Count);
        // The one-call day: every value exact, NULL (no json_schema call) empty, invariant numbers.
        lines[2].Should().Be("2024-12-14,1,0,1,1,0,1,400,600,1000,4,4,4,4,5,5,5,5,4,,0.2,2000,120,0,0.5,0");
        lines[3].Split(',')[DailyMetrics.Columns.ToList().IndexOf("avg_temperature")].Should().BeEmpty("a day without temperatures has no average, not 0");
    }

    // Bug: --model was trimmed while ingest kept names as written, so a model logged as " lead space" could not be
    // selected by summary, report or export (found by probing the export). Ingest now rejects such a name, but a
    // warehouse an older llmlog loaded keeps it (a record is judged once), and it is still selected as stored.
    [Fact]
    public async Task AModelNameIsSelectedExactlyAsStoredEvenWithSpacesAroundIt()
    {
        using var w = await Support.TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("calls.json", Support.Some.Export([Support.Some.Call(model: "lead space"), Support.Some.Call(model: "m")]));
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        using (var db = w.Open()) db.Connection.Execute("UPDATE calls SET model = ' lead space', model_family = ' lead space' WHERE model = 'lead space'");
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "transform", "--full", "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var spaced = SummaryCommand.Read(w.Target, new DailyMetricsQuery { Model = " lead space" }, Wait);
        var export = LlmLog.Tests.Export.ExportFixtures.Export(w, "calls", w.Files.Combine("spaced.csv"), model: " lead space");
        var report = LlmLog.Cli.ReportCommand.Build(w.Target, LlmLog.Report.ReportSelection.Create(null, null, " lead space", "UTC"), null, Wait);

        spaced.Days.Single().Calls.Should().Be(1);
        export.Rows.Should().Be(1);
        report.Kpis.Calls.Should().Be(1);
    }

    // It said "has no calls yet; run 'llmlog ingest' first" after an ingest whose every record was rejected. The
    // summary has no day to print, so it stays exit 6; the report shows the rejects instead (RejectsOnlyReportTests).
    [Fact]
    public async Task AWarehouseWhoseEveryRecordFailedValidationSaysSoAndWhereToLook()
    {
        using var w = await Support.TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("bad.jsonl", "null\n{\"model\": \"m\"}\n");
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var run = await Support.LlmLogProcess.RunAsync(w.Files.Path, "summary", "--db", w.DbArgument);

        run.ExitCode.Should().Be((int)ExitCode.NoData, run.Stderr);
        run.Stderr.Should().Contain("all 2 records ingested so far failed validation").And.Contain("--table rejects");
    }

    // Under a Thai (Buddhist) or Persian locale DuckDB's ICU computed local days in that calendar: summary, report and export
    // with --timezone or --model failed with exit 2, "Value in column day is outside the range of System.DateOnly" (found
    // by probing summary).
    [Theory]
    [InlineData("th_TH.UTF-8")]
    [InlineData("fa_IR.UTF-8")]
    public async Task LocalDaysAreGregorianWhateverTheMachinesLanguage(string lang)
    {
        using var w = await Support.TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("calls.jsonl", Support.Some.JsonLines(Support.Some.Calls(20)));
        (await Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var locale = new Support.LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["LANG"] = lang, ["LC_ALL"] = lang });

        var tokyo = await Support.LlmLogProcess.RunAsync(w.Files.Path, locale, "summary", "--timezone", "Asia/Tokyo", "--format", "csv", "--db", w.DbArgument);
        var export = await Support.LlmLogProcess.RunAsync(w.Files.Path, locale, "export", "--table", "hourly", "--timezone", "Asia/Tokyo", "--out", "-", "--db", w.DbArgument);

        tokyo.ExitCode.Should().Be(0, tokyo.Stderr);
        tokyo.Stdout.Split('\n')[1].Should().StartWith("2024-12-");
        export.ExitCode.Should().Be(0, export.Stderr);
        export.Stdout.Split('\n')[1].Should().StartWith("2024-12-");
    }

    [Fact]
    public async Task CsvNumbersAndDatesStayInvariantUnderAGermanCulture()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var result = SummaryCommand.Read(target, new DailyMetricsQuery(), Wait);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Csv(result)[2].Should().Be("2024-12-14,1,0,1,1,0,1,400,600,1000,4,4,4,4,5,5,5,5,4,,0.2,2000,120,0,0.5,0");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task TheTableHasATotalsRowAndMarksPartialDays()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var output = new StringWriter();

        SummaryCommand.WriteTable(SummaryCommand.Read(target, new DailyMetricsQuery(), Wait), output);

        var lines = output.ToString().Split('\n');
        lines.Should().Contain(l => l.StartsWith("2024-12-13*", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("2024-12-14 ", StringComparison.Ordinal));
        var total = lines.Single(l => l.StartsWith("total", StringComparison.Ordinal));
        total.Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("total", "7", "2", "5", "650", "890", "1,540", "0.5027", "1");
        output.ToString().Should().Contain("partial").And.Contain("unpriced").And.Contain("sha256");
    }

    // Pasted elsewhere, a table of one model's calls read as every model's (found by probing the docs).
    [Fact]
    public async Task TheTableOfOneModelSaysWhichInItsHeading()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var all = new StringWriter();
        var one = new StringWriter();

        SummaryCommand.WriteTable(SummaryCommand.Read(target, new DailyMetricsQuery(), Wait), all);
        const string model = "gpt-4o-mini";
        SummaryCommand.WriteTable(SummaryCommand.Read(target, new DailyMetricsQuery { Model = model }, Wait), one);

        all.ToString().Split('\n')[0].Should().NotContain("model");
        one.ToString().Split('\n')[0].Should().EndWith($", model {model} only");
    }

    [Fact]
    public async Task JsonCarriesEveryColumnThePartialFlagAndThePriceTables()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var output = new StringWriter();

        SummaryCommand.WriteJson(SummaryCommand.Read(target, new DailyMetricsQuery { TimeZone = "Asia/Tokyo" }, Wait), output);

        using var json = JsonDocument.Parse(output.ToString());
        json.RootElement.GetProperty("timezone").GetString().Should().Be("Asia/Tokyo");
        var first = json.RootElement.GetProperty("days")[0];
        first.EnumerateObject().Select(p => p.Name).Should().Equal([.. DailyMetrics.Columns, "partial"]);
        first.GetProperty("partial").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("totals").GetProperty("calls").GetInt64().Should().Be(7);
        json.RootElement.GetProperty("price_tables").GetArrayLength().Should().Be(1);
        // Every count of calls adds up over the days: text and json_schema calls were missing (found by probing the CLI).
        var days = json.RootElement.GetProperty("days").EnumerateArray().ToList();
        foreach (var column in new[] { "calls", "streamed_calls", "non_streamed_calls", "text_calls", "json_schema_calls", "calls_with_usage", "unpriced_calls" })
        {
            json.RootElement.GetProperty("totals").GetProperty(column).GetInt64().Should().Be(days.Sum(d => d.GetProperty(column).GetInt64()), column);
        }
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task AWarehouseWithoutCallsIsNoData(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.NewWarehouseAsync(engine, folder);

        var read = () => SummaryCommand.Read(target, new DailyMetricsQuery(), Wait);

        read.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData).WithMessage("*llmlog ingest*");
    }

    [Fact]
    public async Task ARangeWithoutCallsIsNoDataAndAnInvertedRangeIsAUsageError()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);

        var empty = () => SummaryCommand.Read(target, new DailyMetricsQuery { From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 1, 31) }, Wait);
        var inverted = () => SummaryCommand.Read(target, new DailyMetricsQuery { From = new DateOnly(2025, 1, 2), To = new DateOnly(2025, 1, 1) }, Wait);

        empty.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData).WithMessage("*2025-01-01 to 2025-01-31*");
        inverted.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage);
    }

    [Fact]
    public async Task AFromAfterTheLastCallSaysWhereTheCallsAreNotABackwardsRange()
    {
        // "--from 2030-01-01" said "no calls from 2030-01-01 to 2024-12-14": the last call's day stood in for --to.
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);
        var last = SummaryCommand.Read(target, new DailyMetricsQuery(), Wait).LastCallDay;

        var later = () => SummaryCommand.Read(target, new DailyMetricsQuery { From = new DateOnly(2030, 1, 1) }, Wait);

        later.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData)
            .WithMessage($"no calls on or after 2030-01-01 (UTC); the warehouse's calls are from * to {last:yyyy-MM-dd};*");
    }

    // A model in the wrong case, with no --from or --to, was told to "widen --from/--to or check --model".
    [Fact]
    public async Task NoCallsOfAModelPointsAtTheModelNotAtDatesThatWereNotGiven()
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(Engine.DuckDb, folder);

        var model = () => SummaryCommand.Read(target, new DailyMetricsQuery { Model = "GPT-4O" }, Wait);
        var dates = () => SummaryCommand.Read(target, new DailyMetricsQuery { From = new DateOnly(2030, 1, 1) }, Wait);

        model.Should().Throw<LlmLogException>().Which.Message.Should().EndWith("; check --model (model names are case-sensitive: gpt-4o, not GPT-4o); did you mean gpt-4o?");
        dates.Should().Throw<LlmLogException>().Which.Message.Should().EndWith("; widen --from/--to");
    }

    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task NoCallsOfAnUnknownModelListsTheWarehouseSModelsMostCallsFirst(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var unknown = () => SummaryCommand.Read(target, new DailyMetricsQuery { Model = "gpt-5" }, Wait);

        unknown.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData)
            .Which.Message.Should().MatchRegex("; check --model \\(model names are case-sensitive: gpt-4o, not GPT-4o\\); the warehouse's models(, most calls first)?: [a-z0-9.-]+(, [a-z0-9.-]+)*( and [0-9]+ more)?$");
    }

    private static string[] Csv(DailyMetricsResult result)
    {
        var output = new StringWriter();
        SummaryCommand.WriteCsv(result, output);
        return output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToArray();
    }

    // Like the report's: a summary held the writer lock for its whole read, so an ingest beside a long one (another
    // zone reads the call rows) waited for it. It now reads one snapshot and lets the ingest go ahead.
    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    public async Task AnIngestGoesAheadWhileAPostgresSummaryReadsAndTheSummaryShowsTheWarehouseAsItWasWhenItStarted(string zone)
    {
        using var w = await LlmLog.Tests.Support.TestWarehouse.CreateAsync(Engine.Postgres);
        LlmLog.Loading.IngestRunner.Run(w.Target, [w.Files.File("first.jsonl", LlmLog.Tests.Support.Some.JsonLines([LlmLog.Tests.Support.Some.Call(created: "2024-12-18 10:00:00")]))], new LlmLog.Loading.IngestOptions());
        var query = new DailyMetricsQuery { TimeZone = zone };

        DailyMetricsResult during;
        using (var warehouse = SummaryCommand.OpenRead(w.Target, Wait, null, out var snapshot))
        using (snapshot)
        {
            var later = w.Files.File("later.jsonl", LlmLog.Tests.Support.Some.JsonLines([LlmLog.Tests.Support.Some.Call(created: "2024-12-20 10:00:00")]));
            var ingest = await LlmLog.Tests.Support.LlmLogProcess.RunAsync(w.Files.Path, "ingest", later, "--db", w.DbArgument, "--lock-timeout", "5");
            ingest.ExitCode.Should().Be(0, "the summary's read must not hold off the ingest: " + ingest.Stderr);

            during = SummaryCommand.Read(warehouse, query);
        }
        var after = SummaryCommand.Read(w.Target, query, Wait);

        during.Days.Select(d => d.Day).Should().Equal(new DateOnly(2024, 12, 18));
        after.Days.Select(d => d.Day).Should().Equal(new DateOnly(2024, 12, 18), new DateOnly(2024, 12, 20));
    }
}
