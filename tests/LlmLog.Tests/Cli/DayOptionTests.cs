using System.Globalization;
using LlmLog.Cli;
using LlmLog.Tests.Support;
using LlmLog.Tests.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Cli;

/// <summary>
/// The days <c>--from</c>, <c>--to</c> and generate's <c>--end</c> take: today, yesterday and today-N, so a schedule
/// needs no <c>$(date ...)</c> (today is the current day in the command's <c>--timezone</c>), and every local day a
/// call can fall on.
/// </summary>
public sealed class DayOptionTests
{
    private static (DateOnly? From, DateOnly? To, string Errors) Parse(DateTime utcNow, params string[] args)
    {
        using var frozen = LlmLog.Clock.Freeze(utcNow);
        var parse = LlmLogCli.Build().Parse(args);
        var errors = string.Join("; ", parse.Errors.Select(e => e.Message));
        return errors.Length > 0 ? (null, null, errors) : (parse.GetValue(SharedOptions.From), parse.GetValue(SharedOptions.To), errors);
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    // 03:00 UTC on 1 March is still 28 February in New York: its yesterday is the 27th.
    [InlineData("report --from yesterday --to today", "2025-02-28", "2025-03-01")]
    [InlineData("report --from today-7 --to yesterday", "2025-02-22", "2025-02-28")]
    [InlineData("report --from yesterday --to today --timezone America/New_York", "2025-02-27", "2025-02-28")]
    [InlineData("report --timezone America/New_York --from today-7 --to yesterday", "2025-02-21", "2025-02-27")]
    [InlineData("summary --from Yesterday --to TODAY --timezone Asia/Tokyo", "2025-02-28", "2025-03-01")]
    [InlineData("export --table calls --from today-0 --to today --timezone Pacific/Kiritimati", "2025-03-01", "2025-03-01")]
    [InlineData("summary --from 2025-01-01 --to today-1", "2025-01-01", "2025-02-28")]
    public void ADayNamedFromTodayIsTheDayBeforeOrOnTheCurrentDayInTheCommandsZone(string command, string from, string to)
    {
        var (f, t, errors) = Parse(new DateTime(2025, 3, 1, 3, 0, 0, DateTimeKind.Utc), command.Split(' '));

        errors.Should().BeEmpty();
        (f, t).Should().Be((Day(from), Day(to)));
    }

    [Fact]
    public void TodayInAZoneAheadOfUtcIsAlreadyTheNextDay()
    {
        // 23:30 UTC on 28 February is 00:30 on 1 March in Berlin.
        var (f, _, errors) = Parse(new DateTime(2025, 2, 28, 23, 30, 0, DateTimeKind.Utc), "report", "--from", "yesterday", "--timezone", "Europe/Berlin");

        errors.Should().BeEmpty();
        f.Should().Be(Day("2025-02-28"));
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("today+1")]
    [InlineData("today-")]
    [InlineData("today-x")]
    [InlineData("today--1")]
    [InlineData("today-1.5")]
    [InlineData("-7")]
    public void AnythingElseIsAUsageErrorThatListsTheFormsItTakes(string value)
    {
        var (_, _, errors) = Parse(new DateTime(2025, 3, 1, 3, 0, 0, DateTimeKind.Utc), "summary", "--from", value);

        errors.Should().Contain($"--from must be a day written YYYY-MM-DD from 1969-12-31 to 3000-01-01, or today, yesterday or today-N (N days before today), not '{value}'");
    }

    // Bug: "today-366000" and "1900-01-01" are written as they should be, and were told to be written YYYY-MM-DD or
    // today-N (found by probing time): the day is what is out of reach.
    [Theory]
    [InlineData("today-366000", "is 1023-02-03, outside the days from 1969-12-31 to 3000-01-01 a call can fall on")]
    [InlineData("today-99999999", "is before 1969-12-31, outside the days from 1969-12-31 to 3000-01-01 a call can fall on")]
    [InlineData("1900-01-01", "is outside the days from 1969-12-31 to 3000-01-01 a call can fall on")]
    public void ADayWrittenRightButOutOfReachIsToldSoNotHowToWriteIt(string value, string said)
    {
        var (_, _, errors) = Parse(new DateTime(2025, 3, 1, 3, 0, 0, DateTimeKind.Utc), "summary", "--from", value);

        errors.Should().Contain($"--from {value} {said}").And.NotContain("must be a day written");
    }

    [Fact]
    public async Task AScheduledRunOfYesterdayAndTodaySummarisesExactlyThoseDaysOfCallsGeneratedUpToToday()
    {
        using var folder = TransformFixtures.Folder();
        var db = folder.Combine("w.duckdb");
        var log = folder.Combine("calls.jsonl");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var generate = await LlmLogProcess.RunAsync(folder.Path, "generate", "300", "--days", "5", "--end", "today", "--format", "jsonl", "--out", log);
        var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", log, "--db", db);
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--from", "yesterday", "--to", "today", "--format", "csv", "--db", db);
        var after = DateOnly.FromDateTime(DateTime.UtcNow);

        (generate.ExitCode, ingest.ExitCode).Should().Be((0, 0), generate.Stderr + ingest.Stderr);
        summary.ExitCode.Should().Be(0, summary.Stderr);
        if (after != today) return; // the runs straddled midnight UTC: "today" meant two days
        var days = summary.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]).ToList();
        days.Should().Equal(today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    // Bug: a call at the validator's first or last hour lies on 1969-12-31 in New York and on 3000-01-01 in Tokyo; the
    // summary showed those days, but --from/--to refused them ("from 1970-01-01 to 2999-12-31").
    [Theory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task TheLocalDaysOfCallsAtTheValidatorsBoundsCanBeSelected(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("bounds.json", Some.Export([Some.Call(created: "1970-01-01 03:00:00"), Some.Call(created: "2999-12-31 23:00:00")]));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var newYork = await LlmLogProcess.RunAsync(w.Files.Path, "summary", "--timezone", "America/New_York", "--from", "1969-12-31", "--to", "1969-12-31", "--format", "csv", "--db", w.DbArgument);
        var tokyo = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--timezone", "Asia/Tokyo", "--from", "3000-01-01", "--to", "3000-01-01", "--out", "-", "--db", w.DbArgument);
        var report = await LlmLogProcess.RunAsync(w.Files.Path, "report", "--timezone", "America/New_York", "--from", "1969-12-31", "--to", "1969-12-31", "--out", w.Files.Combine("r.html"), "--db", w.DbArgument);
        var beyond = await LlmLogProcess.RunAsync(w.Files.Path, "summary", "--timezone", "Asia/Tokyo", "--from", "3000-01-02", "--db", w.DbArgument);

        newYork.ExitCode.Should().Be(0, newYork.Stderr);
        newYork.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Should().ContainSingle().Which.Should().StartWith("1969-12-31,1,");
        tokyo.ExitCode.Should().Be(0, tokyo.Stderr);
        tokyo.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2).And.Subject.Last().Should().Contain("3000-01-01T08:00:00.000000+09:00");
        report.ExitCode.Should().Be(0, report.Stderr);
        File.ReadAllText(w.Files.Combine("r.html")).Should().Contain("1969-12-31");
        beyond.ExitCode.Should().Be((int)ExitCode.Usage);
        beyond.Stderr.Should().Contain("from 1969-12-31 to 3000-01-01");
    }
}
