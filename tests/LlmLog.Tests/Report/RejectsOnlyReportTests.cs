using System.Text;
using LlmLog.Loading;
using LlmLog.Report;
using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Report;

/// <summary>
/// A warehouse (or a period) whose every record failed validation: the person who just saw everything rejected gets
/// the report's data quality part — the rejected count, the reasons, the runs, what to fix — not exit 6.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class RejectsOnlyReportTests
{
    // Three records without a model (the leading reason), one negative token count, one created that is no timestamp.
    private const string Rejects =
        "{\"id\":\"a\",\"created\":\"2024-12-01 10:00:00\"}\n"
        + "{\"id\":\"b\",\"created\":\"2024-12-01 11:00:00\"}\n"
        + "{\"id\":\"c\",\"created\":\"2024-12-02 10:00:00\"}\n"
        + "{\"id\":\"d\",\"model\":\"gpt-4o\",\"created\":\"2024-12-02 12:00:00\",\"metrics\":{\"tokens\":-5}}\n"
        + "{\"id\":\"e\",\"model\":\"gpt-4o\",\"created\":\"not a date\"}\n";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AWarehouseWhoseEveryRecordWasRejectedExitsZeroWithADataQualityPageNamingTheLeadingReason(Engine engine)
    {
        using var w = await RejectsOnly(engine);
        var html = w.Files.Combine("d.html");

        ReportRun.Cli("report", "--db", w.DbArgument, "--out", html).Should().Be(0);

        var page = File.ReadAllText(html);
        var text = HtmlText.Of(page);
        text.Should().Contain("Calls\n0\nno record of the period passed validation").And.Contain("Rejected records\n5\n");
        text.Should().Contain("Every record of this period failed validation: all 5 records, so no call was loaded.");
        text.Should().Contain("Leading reason: 3 of 5 records (60%) fail on model, for example “model is missing; every call needs a model name”.");
        text.Should().Contain("llmlog export --table rejects --out -");
        page.Should().Contain("<table id=\"reject-reasons\">").And.Contain("<th scope=\"row\" class=\"text\">model</th><td>3</td>");
        page.Should().Contain("<table id=\"ingest-runs\">");
        // Nothing drawn from calls: no chart (not even empty axes), no daily or model table, no unknown shown as 0.
        page.Should().NotContain("<svg").And.NotContain("<section class=\"charts-section\">").And.NotContain("<table id=\"daily-metrics\">").And.NotContain("<table id=\"model-comparison\">");
        text.Should().NotContain("Total tokens").And.NotContain("Latency p50").And.NotContain("Estimated cost");
        text.Should().Contain("Period: 2024-12-01 to 2024-12-02").And.Contain("Newest call: none");
    }

    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AWarehouseWhoseEveryRecordWasRejectedGetsItsPdfToo(Engine engine)
    {
        using var w = await RejectsOnly(engine);
        var html = w.Files.Combine("d.html");
        var pdf = w.Files.Combine("d.pdf");

        ReportRun.Cli("report", "--db", w.DbArgument, "--out", html, "--pdf", pdf).Should().Be(0);

        File.ReadAllBytes(pdf).Take(5).Should().Equal("%PDF-"u8.ToArray());
        File.Exists(pdf + ".tmp").Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AWarehouseWithNeitherCallsNorRejectsStillExitsWithNoData(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        using (w.Open())
        {
            // Migrated and empty: the warehouse exists and holds nothing.
        }
        var html = w.Files.Combine("d.html");

        ReportRun.Cli("report", "--db", w.DbArgument, "--out", html).Should().Be((int)ExitCode.NoData);

        File.Exists(html).Should().BeFalse();
        var build = () => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(null, null, null, "UTC"), null, Wait);
        build.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData).WithMessage("*has no calls yet; run 'llmlog ingest FILE' first");
    }

    // Found by review: the message of a warehouse without calls was read on the report's own connection while the queries
    // beside it (started first, each on a connection it rents) could be using that one: two commands at once on one session.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AWarehouseWithoutCallsGivesItsMessageHoweverTheQueriesBesideItAreTimed(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        using (w.Open())
        {
        }
        for (var i = 0; i < 40; i++)
        {
            var build = () => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(null, null, null, "UTC"), null, Wait);
            build.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData, "run {0}", i);
        }
    }

    // Found by probing: the warning said "all 2032 records of the period failed validation" where the report says 2,032.
    [Fact]
    public async Task TheWarningOfAReportOfRejectsOnlyGroupsItsCountAsTheReportDoes()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("bad.jsonl", string.Concat(Enumerable.Range(0, 1200).Select(i =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"id\":\"r{i}\",\"created\":\"2024-12-01 10:00:00\"}}\n"))));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().NotBe((int)ExitCode.InternalError);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "report", "--db", w.DbArgument, "--out", w.Files.Combine("d.html"));

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("all 1,200 records of the period failed validation");
    }

    // A rejected record has no model to match, so a model filter finds nothing; the message says where the rejects are.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AModelFilterOnAWarehouseOfRejectsOnlyExitsWithNoDataAndPointsToTheReportWithoutIt(Engine engine)
    {
        using var w = await RejectsOnly(engine);

        var build = () => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(null, null, "gpt-4o", "UTC"), null, Wait);

        build.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData)
            .WithMessage("*all 5 records ingested so far failed validation*'llmlog report' without --model shows them*");
    }

    // Undated rejects belong to no period: alone they must not turn a mistyped --from into a page of them.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task APeriodWithoutCallsGetsTheDataQualityReportOnlyWhenRecordsDatedInItWereRejected(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        Ingest(w, "calls.jsonl", Some.JsonLines([Some.Call(created: "2024-11-20 09:00:00")]));
        Ingest(w, "bad.jsonl", Rejects);

        var december = LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(new DateOnly(2024, 12, 1), new DateOnly(2024, 12, 31), null, "UTC"), null, Wait);
        var later = () => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(new DateOnly(2025, 1, 1), null, null, "UTC"), null, Wait);

        december.Kpis.Calls.Should().Be(0);
        december.Kpis.RejectedRecords.Should().Be(5, "the four dated in December and the undated one");
        december.Header.FirstDay.Should().Be(new DateOnly(2024, 12, 1));
        december.Header.LastDay.Should().Be(new DateOnly(2024, 12, 31));
        december.Findings[0].Should().StartWith("Every record of this period failed validation: all 5 records");
        later.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData).WithMessage("no calls match the selection (from 2025-01-01*")
            .Which.Message.Should().EndWith("; widen --from/--to")
            .And.Contain("the warehouse's calls are from 2024-11-20 to 2024-11-20;", "as summary says it (found by probing the docs)");
    }

    // It said "widen --from/--to or check --model" to a model in the wrong case, with no --from or --to given.
    [Fact]
    public async Task NoCallOfTheModelPointsAtTheModelNotAtDatesThatWereNotGiven()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        Ingest(w, "calls.jsonl", Some.JsonLines([Some.Call(created: "2024-11-20 09:00:00")]));

        var wrongCase = () => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(null, null, "GPT-4O", "UTC"), null, Wait);

        wrongCase.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData)
            .Which.Message.Should().EndWith("; check --model (model names are case-sensitive: gpt-4o, not GPT-4o); did you mean gpt-4o?");
    }

    // "check --model" alone left the user to look the names up with SQL.
    [Fact]
    public async Task NoCallOfAnUnknownModelListsTheWarehouseSModels()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        Ingest(w, "calls.jsonl", Some.JsonLines([Some.Call(created: "2024-11-20 09:00:00"), Some.Call(created: "2024-11-20 09:01:00", model: "claude-3-5-haiku-20241022"),
            Some.Call(created: "2024-11-20 09:02:00", model: "claude-3-5-haiku-20241022")]));

        var unknown = () => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(null, null, "gpt-5", "UTC"), null, Wait);

        unknown.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.NoData)
            .Which.Message.Should().EndWith("; the warehouse's models: claude-3-5-haiku-20241022, gpt-4o-2024-11-20");
    }

    // A record corrected at its source and ingested again, as the findings ask, is a call: its old reject is no longer
    // among the period's rejected records or their reasons.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task ARejectedRecordLoadedLaterCorrectedLeavesTheRejectedCountAndItsReasonsAndTheFindingsSaySo(Engine engine)
    {
        using var w = await RejectsOnly(engine);
        Ingest(w, "fixed.jsonl", "{\"id\":\"d\",\"model\":\"gpt-4o\",\"created\":\"2024-12-02 12:00:00\",\"metrics\":{\"tokens\":5}}\n");

        var december = LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(new DateOnly(2024, 12, 1), new DateOnly(2024, 12, 31), null, "UTC"), null, Wait);

        december.Kpis.Calls.Should().Be(1);
        december.Kpis.RejectedRecords.Should().Be(4);
        december.Quality.RejectReasons.Select(r => (r.Field, r.Records)).Should().Equal(("model", 3L), ("created", 1L));
        december.Findings.Should().Contain("One record of this period that failed validation was loaded later (sent again corrected, or read whole once the file still being written that cut it off was complete); it no longer counts as a rejected record.");
    }

    // Bug: a record cut off by the end of a file still being written had no date, and once a later run read it whole the
    // report of every period said "One record of this period that failed validation was loaded later", also of a day
    // before the record's own (found by probing a month of daily runs). So did a record whose created could not be read,
    // sent again corrected. Each now counts in the period of the call loaded in its place.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task ARecordLoadedLaterWithoutADateOfItsOwnCountsInThePeriodOfTheCallLoadedInItsPlace(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var whole = Some.JsonLines([Some.Call(created: "2025-03-01 10:00:00"), Some.Call(created: "2025-03-02 10:00:00")]);
        Ingest(w, "x.jsonl", whole[..(whole.IndexOf('\n') + 40)]);
        Ingest(w, "x.jsonl", whole);
        Ingest(w, "fixed.jsonl", "{\"id\":\"b\",\"model\":\"gpt-4o\",\"created\":\"not a date\",\"metrics\":{\"tokens\":5}}\n");
        Ingest(w, "fixed.jsonl", "{\"id\":\"b\",\"model\":\"gpt-4o\",\"created\":\"2025-03-04 12:00:00\",\"metrics\":{\"tokens\":5}}\n");

        string[] LoadedLater(int day) => LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(new DateOnly(2025, 3, day), new DateOnly(2025, 3, day), null, "UTC"), null, Wait)
            .Findings.Where(f => f.Contains("loaded later", StringComparison.Ordinal)).ToArray();

        LoadedLater(1).Should().BeEmpty("the cut record is the second, of 2025-03-02");
        LoadedLater(2).Should().ContainSingle().Which.Should().StartWith("One record of this period that failed validation was loaded later");
        LoadedLater(4).Should().ContainSingle().Which.Should().StartWith("One record of this period that failed validation was loaded later");
    }

    // Bug: the example reason of a field was the least in the database's collation, so a PostgreSQL database with an ICU
    // collation showed another example than DuckDB for the same records (found by probing both engines). Reasons and
    // fields are ordered by their characters' code points on both.
    [Fact]
    public async Task TheExampleRejectReasonIsTheSameOnPostgresWithAnIcuCollationAsOnDuckDb()
    {
        const string records = "{\"created\":\"2024-12-02 12:00:00\",\"model\":\"_x \"}\n{\"created\":\"2024-12-02 12:00:01\",\"model\":\"Yes \"}\n";
        string ExampleOf(TestWarehouse w)
        {
            Ingest(w, "bad.jsonl", records);
            return LlmLog.Cli.ReportCommand.Build(w.Target, ReportSelection.Create(null, null, null, "UTC"), null, Wait).Quality.RejectReasons.Single().ExampleReason;
        }
        using var duck = await TestWarehouse.CreateAsync(Engine.DuckDb);
        using var icu = await TestWarehouse.CreateAsync(Engine.Postgres, "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");

        var expected = ExampleOf(duck);

        expected.Should().StartWith("model \"Yes \" has white space", "'Y' comes before '_' by code point, where en-US puts punctuation first");
        ExampleOf(icu).Should().Be(expected);
    }

    // A local day overlaps two UTC days, and rejects are kept by UTC day: reports of consecutive New York days must
    // count each rejected record once, not the records of the UTC day they share twice (a one-day report of a generated
    // log showed 114 rejected records of the period where 60 were created on that local day).
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task ReportsOfConsecutiveLocalDaysCountEachRejectedRecordOnce(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        Ingest(w, "calls.jsonl", Some.JsonLines([Some.Call(created: "2024-12-01 15:00:00"), Some.Call(created: "2024-12-02 15:00:00")]));
        Ingest(w, "bad.jsonl",
            "{\"id\":\"r1\",\"created\":\"2024-12-01 14:00:00\"}\n"
            + "{\"id\":\"r2\",\"created\":\"2024-12-02 14:00:00\"}\n");

        long Rejected(int day) => LlmLog.Cli.ReportCommand.Build(w.Target,
            ReportSelection.Create(new DateOnly(2024, 12, day), new DateOnly(2024, 12, day), null, "America/New_York"), null, Wait).Kpis.RejectedRecords;

        Rejected(1).Should().Be(1, "r1 was created at 09:00 on 2024-12-01 in New York");
        Rejected(2).Should().Be(1, "r2 was created at 09:00 on 2024-12-02 in New York");
    }

    // Rejects kept only their UTC day, so another zone placed them by the local day holding that UTC day's noon: in
    // Tokyo, r1 (created 08:30 on the 2nd, local) counted on the 1st with every reject of UTC 2024-12-01, and a
    // report of the 2nd left it out. They keep their instant now and count on the local day they were created.
    [Theory]
    [MemberData(nameof(TestWarehouse.Engines), MemberType = typeof(TestWarehouse))]
    public async Task AReportInAnotherZoneCountsEachRejectOnTheLocalDayItWasCreated(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        Ingest(w, "calls.jsonl", Some.JsonLines([Some.Call(created: "2024-12-01 10:00:00"), Some.Call(created: "2024-12-02 10:00:00")]));
        Ingest(w, "bad.jsonl",
            "{\"id\":\"r1\",\"created\":\"2024-12-01 23:30:00\"}\n"
            + "{\"id\":\"r2\",\"created\":\"2024-12-01 14:00:00\"}\n"
            + "{\"id\":\"r3\",\"created\":\"2024-12-01 14:59:59.999999\"}\n");

        ReportData Report(int day) => LlmLog.Cli.ReportCommand.Build(w.Target,
            ReportSelection.Create(new DateOnly(2024, 12, day), new DateOnly(2024, 12, day), null, "Asia/Tokyo"), null, Wait);

        var first = Report(1);
        var second = Report(2);
        first.Kpis.RejectedRecords.Should().Be(2, "r2 and r3 were created at 23:00 and 23:59:59.999999 on 2024-12-01 in Tokyo");
        second.Kpis.RejectedRecords.Should().Be(1, "r1 was created at 08:30 on 2024-12-02 in Tokyo");
        second.Quality.RejectReasons.Select(r => (r.Field, r.Records)).Should().Equal(("model", 1L));
        second.Quality.Runs.Should().Contain(r => r.FilePath.EndsWith("bad.jsonl", StringComparison.Ordinal));
    }

    // Bug: a period whose only record is a reject without a readable created time (which every period counts) said "No
    // ingest run recorded." of the run that read it, listed in the periods of its other records (found by probing the report).
    [Fact]
    public async Task APeriodWhoseOnlyRecordIsUndatedSaysNoRunReadRecordsDatedInItNotThatNoneWasRecorded()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        Ingest(w, "c.jsonl", "{\"created\":\"2024-11-05 20:00:00\",\"stream\":true}\n{\"model\":\"x\"}\n");
        var html = w.Files.Combine("c.html");

        ReportRun.Cli("report", "--db", w.DbArgument, "--out", html, "--timezone", "Asia/Tokyo", "--from", "2024-11-05", "--to", "2024-11-05").Should().Be(0);

        var text = HtmlText.Of(File.ReadAllText(html));
        text.Should().Contain("Rejected records\n1\n");
        text.Should().Contain("No ingest run read records dated in this period; 'llmlog export --table runs' lists every run.").And.NotContain("No ingest run recorded");
    }

    private static async Task<TestWarehouse> RejectsOnly(Engine engine)
    {
        var w = await TestWarehouse.CreateAsync(engine);
        Ingest(w, "bad.jsonl", Rejects);
        return w;
    }

    private static void Ingest(TestWarehouse w, string name, string content)
    {
        var file = w.Files.Combine(name);
        File.WriteAllText(file, content, new UTF8Encoding(false));
        IngestRunner.Run(w.Target, [file], new IngestOptions(), null);
    }
}
