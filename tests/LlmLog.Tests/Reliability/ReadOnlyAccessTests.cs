using Dapper;
using LlmLog.Report;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;
using Npgsql;

namespace LlmLog.Tests.Reliability;

/// <summary>
/// The people who read a warehouse are often not allowed to write it: an analyst's PostgreSQL role with SELECT
/// only, or a DuckDB file shared read-only. summary, report and export must serve them whenever the warehouse is
/// up to date, and say plainly what is needed when it is not.
/// </summary>
[Collection(ReportCollection.Name)]
public sealed class ReadOnlyAccessTests
{
    /// <summary>How the DuckDB tests run llmlog on files they made read-only: root writes them anyway, so as root as nobody, who cannot.</summary>
    private static readonly LlmLogProcess.Options AsReader = new(User: Environment.IsPrivilegedProcess ? "nobody" : null);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // Bug: every reading command first ran CREATE TABLE IF NOT EXISTS schema_migrations, which a SELECT-only
    // role may not: "permission denied for schema public", exit 4.
    [Fact]
    public async Task APostgresRoleThatMayOnlySelectSummarizesReportsAndExportsAsTheOwnerDoes()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 4, callsPerDay: 30, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);

        var readerSummary = await LlmLogProcess.RunAsync(sample.Folder, "summary", "--format", "csv", "--db", reader.ConnectionString);
        var ownerSummary = await LlmLogProcess.RunAsync(sample.Folder, "summary", "--format", "csv", "--db", owner);
        readerSummary.ExitCode.Should().Be(0, readerSummary.Stderr);
        readerSummary.Stdout.Should().Be(ownerSummary.Stdout).And.Contain("2025-01-04");

        var readerCsv = Path.Combine(sample.Folder, "reader.csv");
        var ownerCsv = Path.Combine(sample.Folder, "owner.csv");
        var readerExport = await LlmLogProcess.RunAsync(sample.Folder, "export", "--table", "calls", "--out", readerCsv, "--db", reader.ConnectionString);
        readerExport.ExitCode.Should().Be(0, readerExport.Stderr);
        (await LlmLogProcess.RunAsync(sample.Folder, "export", "--table", "calls", "--out", ownerCsv, "--db", owner)).ExitCode.Should().Be(0);
        File.ReadAllBytes(readerCsv).Should().Equal(File.ReadAllBytes(ownerCsv));

        // The ingest left the report marts to the first report, which the reader may not build: it reads the
        // call rows instead, and the owner's report (built from the marts) must say the same.
        var readerReport = Build(reader.ConnectionString);
        var ownerReport = Build(owner);
        Text(readerReport, sample).Replace(reader.Name, "postgres", StringComparison.Ordinal)
            .Should().Be(Text(ownerReport, sample)).And.Contain("Calls");
    }

    [Fact]
    public async Task APostgresRoleThatMayOnlySelectIsToldWhenDaysAwaitAggregationInsteadOfSeeingStaleNumbers()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 3, callsPerDay: 20, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);
        // As an ingest stopped between its commit and its refresh leaves it.
        MarkDayDirty(sample.Target, new DateOnly(2025, 1, 2));

        var refused = await LlmLogProcess.RunAsync(sample.Folder, "summary", "--db", reader.ConnectionString);

        refused.ExitCode.Should().Be((int)ExitCode.ReadOnly, refused.Stderr);
        refused.Stderr.Should().Contain("1 day of").And.Contain("llmlog transform").And.NotContain("   at ");
        refused.Stdout.Should().BeEmpty();
        (await LlmLogProcess.RunAsync(sample.Folder, "transform", "--db", owner)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(sample.Folder, "summary", "--db", reader.ConnectionString)).ExitCode.Should().Be(0, "once the owner rebuilt the day");
    }

    // Bug: a reader was refused every export while days awaited aggregation, though the runs and rejects tables do
    // not depend on the marts (they are written whole by the ingest's own transaction).
    [Fact]
    public async Task ARoleThatMayOnlySelectExportsRunsAndRejectsWhileDaysAwaitAggregation()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 3, callsPerDay: 20, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);
        MarkDayDirty(sample.Target, new DateOnly(2025, 1, 2));

        var runs = await LlmLogProcess.RunAsync(sample.Folder, "export", "--table", "runs", "--out", "-", "--db", reader.ConnectionString);
        var rejects = await LlmLogProcess.RunAsync(sample.Folder, "export", "--table", "rejects", "--out", "-", "--db", reader.ConnectionString);
        var daily = await LlmLogProcess.RunAsync(sample.Folder, "export", "--table", "daily", "--out", "-", "--db", reader.ConnectionString);

        runs.ExitCode.Should().Be(0, runs.Stderr);
        runs.Stdout.Should().StartWith("run_id,");
        rejects.ExitCode.Should().Be(0, rejects.Stderr);
        rejects.Stdout.Should().StartWith("record_id,");
        daily.ExitCode.Should().Be((int)ExitCode.ReadOnly, "the daily numbers would be stale: " + daily.Stderr);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADuckDbFileThatCannotBeWrittenExportsRunsAndRejectsWhileDaysAwaitAggregation()
    {
        using var sample = ReportSample.Create(days: 3, callsPerDay: 20);
        MarkDayDirty(sample.Target, new DateOnly(2025, 1, 2));
        using var outputs = new TempFolder();
        ShareReadOnly(sample, outputs);

        var runs = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "export", "--table", "runs", "--out", "-", "--db", sample.Database);
        var calls = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "export", "--table", "calls", "--out", "-", "--db", sample.Database);

        runs.ExitCode.Should().Be(0, runs.Stderr);
        runs.Stdout.Should().StartWith("run_id,");
        calls.ExitCode.Should().Be((int)ExitCode.ReadOnly, "the calls' costs would be stale: " + calls.Stderr);
    }

    // Bug: a role granted SELECT before an upgrade's migration added tables lacked SELECT on them, and was told only
    // that it "may not do this here" (found by probing an upgrade): say which GRANT it needs.
    [Fact]
    public async Task ARoleWithoutSelectOnATableALaterMigrationAddedIsToldWhichGrantItNeeds()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 2, callsPerDay: 10, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);
        using (var connection = new NpgsqlConnection(owner))
        {
            connection.Open();
            connection.Execute($"REVOKE SELECT ON daily_price_table_calls FROM {reader.Name}");
        }

        var run = await LlmLogProcess.RunAsync(sample.Folder, "summary", "--db", reader.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
        run.Stderr.Should().Contain("permission denied for table daily_price_table_calls").And.Contain("GRANT SELECT ON ALL TABLES IN SCHEMA public")
            .And.Contain("ALTER DEFAULT PRIVILEGES");
    }

    // Bug: a SELECT-only role's ingest exited 4 and said to run it again "once the database is back".
    [Fact]
    public async Task AnIngestByARoleThatMayNotWriteSaysWhatItNeedsWithItsOwnExitCode()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 1, callsPerDay: 10, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);
        var file = Path.Combine(sample.Folder, "more.jsonl");
        File.WriteAllText(file, ReportSample.Lines(days: 2, callsPerDay: 10, seed: 9, models: ["gpt-4o-mini"]));

        var run = await LlmLogProcess.RunAsync(sample.Folder, "ingest", file, "--db", reader.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
        run.Stderr.Should().Contain("permission denied").And.Contain("INSERT").And.NotContain("once the database is back");
    }

    // Bug: a SELECT-only role's transform was told first to GRANT SELECT ON ALL TABLES, which it has; what it lacks is
    // the right to write the marts (found by probing PostgreSQL operations).
    [Fact]
    public async Task ATransformByARoleThatMayOnlySelectIsToldItNeedsToWriteNotToSelect()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 2, callsPerDay: 10, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);

        var run = await LlmLogProcess.RunAsync(sample.Folder, "transform", "--full", "--db", reader.ConnectionString);

        run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
        run.Stderr.Should().Contain("permission denied").And.Contain("transform needs a PostgreSQL role that may read and write")
            .And.NotContain("GRANT SELECT");
    }

    // Bug: a DuckDB file its reader could not write failed every command with exit 11, though none of them had
    // anything to write.
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADuckDbFileThatCannotBeWrittenIsSummarizedReportedAndExported()
    {
        using var sample = ReportSample.Create(days: 3, callsPerDay: 20);
        var expectedSummary = await LlmLogProcess.RunAsync(sample.Folder, "summary", "--format", "csv", "--db", sample.Database);
        using var outputs = new TempFolder();
        ShareReadOnly(sample, outputs);

        var summary = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "summary", "--format", "csv", "--db", sample.Database);
        var report = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "report", "--out", outputs.Combine("d.html"), "--db", sample.Database);
        var export = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "export", "--table", "daily", "--out", outputs.Combine("daily.csv"), "--db", sample.Database);

        summary.ExitCode.Should().Be(0, summary.Stderr);
        summary.Stdout.Should().Be(expectedSummary.Stdout);
        report.ExitCode.Should().Be(0, report.Stderr);
        report.Stderr.Should().Contain("reading the call rows instead");
        File.ReadAllText(outputs.Combine("d.html")).Should().Contain("<svg");
        export.ExitCode.Should().Be(0, export.Stderr);
        File.ReadAllLines(outputs.Combine("daily.csv")).Should().HaveCount(1 + 3);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADuckDbFileThatCannotBeWrittenAndHasDaysAwaitingAggregationIsRefusedWithWhatToDo()
    {
        using var sample = ReportSample.Create(days: 3, callsPerDay: 20);
        MarkDayDirty(sample.Target, new DateOnly(2025, 1, 2));
        using var outputs = new TempFolder();
        ShareReadOnly(sample, outputs);

        var run = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "summary", "--db", sample.Database);

        run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
        run.Stderr.Should().Contain("1 day of").And.Contain("llmlog transform").And.NotContain("   at ");
        run.Stdout.Should().BeEmpty();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AReaderOfAWarehouseWithAnOlderSchemaIsToldToUpgradeItOnceWithWriteAccess()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var pg = ReportSample.Create(days: 1, callsPerDay: 10, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);
        using var duck = ReportSample.Create(days: 1, callsPerDay: 10);
        // As a warehouse written by an llmlog before the last migration looks.
        foreach (var target in new[] { pg.Target, duck.Target }) ForgetLastMigration(target);
        using var outputs = new TempFolder();
        ShareReadOnly(duck, outputs);

        var onPostgres = await LlmLogProcess.RunAsync(pg.Folder, "summary", "--db", reader.ConnectionString);
        var onDuckDb = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "summary", "--db", duck.Database);

        foreach (var run in new[] { onPostgres, onDuckDb })
        {
            run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
            run.Stderr.Should().Contain("older schema").And.Contain("llmlog transform").And.NotContain("   at ");
        }
    }

    // Bug: a DuckDB file its reader could write, in a folder it could not, failed with exit 4: the commit of the
    // report marts (or of a refresh) could not create the .wal beside it (found by probing ops).
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADuckDbFileInAFolderThatCannotBeWrittenIsReportedFromTheCallRowsOrRefusedWithWhatToDo()
    {
        using var clean = ReportSample.Create(days: 3, callsPerDay: 20);
        using var dirty = ReportSample.Create(days: 3, callsPerDay: 20);
        MarkDayDirty(dirty.Target, new DateOnly(2025, 1, 2));
        using var outputs = new TempFolder();
        foreach (var sample in new[] { clean, dirty })
        {
            File.SetUnixFileMode(sample.Database, (UnixFileMode)0b110_110_110);
            File.SetUnixFileMode(sample.Folder, (UnixFileMode)0b101_101_101);
        }
        File.SetUnixFileMode(outputs.Path, (UnixFileMode)0b111_111_111);

        var report = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "report", "--out", outputs.Combine("d.html"), "--db", clean.Database);
        var refused = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "summary", "--db", dirty.Database);

        report.ExitCode.Should().Be(0, report.Stderr);
        report.Stderr.Should().Contain("reading the call rows instead");
        refused.ExitCode.Should().Be((int)ExitCode.ReadOnly, refused.Stderr);
        refused.Stderr.Should().Contain("llmlog transform").And.NotContain("   at ");
        // Writing: the file may be written, its folder not, so DuckDB's commit cannot create the .wal. The ingest was told
        // about a PostgreSQL role, and transform only that it "may not do this here" (found by probing DuckDB).
        var log = outputs.File("more.jsonl", ReportSample.Lines(days: 1, callsPerDay: 5, seed: 4, models: ["gpt-4o-mini"]));
        var ingest = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "ingest", log, "--db", clean.Database);
        var transform = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "transform", "--full", "--db", clean.Database);
        foreach (var run in new[] { ingest, transform })
        {
            run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
            run.Stderr.Should().Contain("write access to").And.Contain("its folder").And.NotContain("PostgreSQL role").And.NotContain("   at ");
        }
    }

    // Bug: on a hot standby every ingest on the primary showed its days as awaiting aggregation between its commit
    // and its refresh, and readers failed with exit 11 "run llmlog transform", which a standby cannot (found by
    // probing ops). A standby is simulated here by its SQL answering that it is one, and a role that may not write.
    [Fact]
    public async Task OnAStandbyAReaderWaitsForThePrimaryToAggregateItsDaysInsteadOfFailing()
    {
        var owner = await PostgresServer.Shared.CreateDatabaseAsync();
        using var sample = ReportSample.Create(days: 3, callsPerDay: 20, target: DatabaseTarget.Parse(owner));
        using var reader = SelectOnlyRole.Create(owner);
        using var standbySql = new TempFolder();
        CopyFolder(SqlCatalog.DefaultRoot, standbySql.Path);
        File.WriteAllText(Path.Combine(standbySql.Path, "warehouse", "is_standby.postgres.sql"), "SELECT true;");
        var asReader = DatabaseTarget.Parse(reader.ConnectionString);
        MarkDayDirty(sample.Target, new DateOnly(2025, 1, 2));

        // The primary's ingest finishes its refresh a moment after the reader arrives.
        var primary = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            using var db = WarehouseConnection.Open(sample.Target, Wait);
            LlmLog.Transform.MartRefresher.RefreshDirtyDays(db);
        });
        var waited = LlmLog.Cli.SummaryCommand.Read(asReader, new LlmLog.Transform.DailyMetricsQuery(), TimeSpan.FromSeconds(30), standbySql.Path);
        await primary;

        waited.Days.Should().HaveCount(3);
        MarkDayDirty(sample.Target, new DateOnly(2025, 1, 2));
        var stuck = () => LlmLog.Cli.SummaryCommand.Read(asReader, new LlmLog.Transform.DailyMetricsQuery(), TimeSpan.FromSeconds(2), standbySql.Path);
        stuck.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Locked).WithMessage("*await aggregation on the primary*");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static ReportData Build(string db) =>
        LlmLog.Cli.ReportCommand.Build(DatabaseTarget.Parse(db), ReportSelection.Create(null, null, null, "UTC"), null, Wait, ReportSample.FixedNow);

    private static string Text(ReportData data, ReportSample sample) => HtmlText.Stable(HtmlReportWriter.Render(data), sample);

    // Bug: a new DuckDB warehouse in a folder that takes no new file (--db /var/lib/llmlog.duckdb as a normal user) was
    // told "reading it needs read access to the file", of a file that does not exist, and the folder went unnamed
    // (found by probing as a newcomer).
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ANewDuckDbFileInAFolderThatCannotBeWrittenNamesTheFolder()
    {
        using var outputs = new TempFolder();
        var log = outputs.File("calls.jsonl", ReportSample.Lines(days: 1, callsPerDay: 3, seed: 5, models: ["gpt-4o-mini"]));
        var closed = Directory.CreateDirectory(outputs.Combine("closed")).FullName;
        File.SetUnixFileMode(outputs.Path, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(log, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(closed, (UnixFileMode)0b101_101_101);
        var db = Path.Combine(closed, "new.duckdb");

        var run = await LlmLogProcess.RunAsync(outputs.Path, AsReader, "ingest", log, "--db", db);

        run.ExitCode.Should().Be((int)ExitCode.ReadOnly, run.Stderr);
        run.Stderr.Should().Contain($"cannot create duckdb:{db}: there is no warehouse there yet, and the folder {closed} takes no new file for this user")
            .And.NotContain("read access to the file").And.NotContain("   at ");
        File.Exists(db).Should().BeFalse();
    }

    // Found by review: a warehouse in a folder this user may not search (a service's 0700 data folder) was said not to
    // exist ("run 'llmlog ingest' first", exit 6), and an ingest into it ended as an internal error.
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ADuckDbWarehouseInAFolderThisUserMayNotSearchIsSaidToBeOutOfReachNotMissing()
    {
        using var sample = ReportSample.Create(days: 2, callsPerDay: 5);
        using var outputs = new TempFolder();
        var log = outputs.File("calls.jsonl", ReportSample.Lines(days: 1, callsPerDay: 3, seed: 5, models: ["gpt-4o-mini"]));
        File.SetUnixFileMode(outputs.Path, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(log, (UnixFileMode)0b110_100_100);
        // Readable and writable, but not searchable, by its owner; nothing at all for anyone else.
        File.SetUnixFileMode(sample.Folder, (UnixFileMode)0b110_000_000);

        foreach (var args in new[] { new[] { "summary" }, ["ingest", log], ["export", "--table", "daily", "--out", "-"] })
        {
            var run = await LlmLogProcess.RunAsync(outputs.Path, AsReader, [.. args, "--db", sample.Database]);

            run.ExitCode.Should().Be((int)ExitCode.ReadOnly, $"{args[0]}: {run.Stderr}");
            run.Stderr.Should().Contain($"this user may not look into the folder {sample.Folder}").And.NotContain("does not exist").And.NotContain("   at ");
        }
    }

    private static void MarkDayDirty(DatabaseTarget target, DateOnly day)
    {
        using var db = WarehouseConnection.Open(target, Wait);
        db.Connection.Execute(db.Sql.Get("load/mark_day_dirty"), new { day = day.ToDateTime(TimeOnly.MinValue) });
    }

    private static void ForgetLastMigration(DatabaseTarget target)
    {
        using var db = WarehouseConnection.Open(target, Wait);
        db.Connection.Execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
    }

    // The warehouse's folder and file become read-only; the outputs go to a folder anyone may write.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void ShareReadOnly(ReportSample sample, TempFolder outputs)
    {
        File.SetUnixFileMode(sample.Database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(sample.Folder, (UnixFileMode)0b101_101_101);
        File.SetUnixFileMode(outputs.Path, (UnixFileMode)0b111_111_111);
    }

    /// <summary>A login role with USAGE on the schema and SELECT on every table of one test database; dropped on dispose.</summary>
    private sealed class SelectOnlyRole : IDisposable
    {
        private readonly string _owner;

        private SelectOnlyRole(string owner, string name, string connectionString)
        {
            _owner = owner;
            Name = name;
            ConnectionString = connectionString;
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public static SelectOnlyRole Create(string owner)
        {
            var name = "llmlog_reader_" + Guid.NewGuid().ToString("N")[..12];
            const string password = "reader-secret";
            // Identifiers cannot be parameters; the name is made here of letters and hex digits only.
            Execute(owner,
                $"CREATE ROLE {name} LOGIN PASSWORD '{password}'",
                $"GRANT USAGE ON SCHEMA public TO {name}",
                $"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}");
            var reader = new NpgsqlConnectionStringBuilder(owner) { Username = name, Password = password, Pooling = false };
            return new SelectOnlyRole(owner, name, reader.ConnectionString);
        }

        public void Dispose() => Execute(_owner, $"DROP OWNED BY {Name}", $"DROP ROLE {Name}");

        private static void Execute(string connectionString, params string[] statements)
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            foreach (var statement in statements) connection.Execute(statement);
        }
    }
}
