using System.Globalization;
using CsvHelper;
using LlmLog.Cli;
using LlmLog.Export;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Tests.Transform;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary><c>llmlog export</c> as a user runs it: standard output for pipes, the daily contract, and usage errors.</summary>
public sealed class ExportCommandTests
{
    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    // Rejects kept only their UTC day, so --timezone was a usage error for them; they keep their instant now (V021)
    // and a local day's export holds the rejects created that local day, as a report of it counts them.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task RejectsAreExportedByTheLocalDayTheyWereCreatedWithTheirInstantInThatZone(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("bad.jsonl",
            "{\"id\":\"r1\",\"created\":\"2024-12-01 23:30:00\"}\n"
            + "{\"id\":\"r2\",\"created\":\"2024-12-01 14:00:00\"}\n"
            + "{\"id\":\"r3\",\"model\":\"m\"}\n");
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var tokyo = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "rejects", "--timezone", "Asia/Tokyo",
            "--from", "2024-12-02", "--to", "2024-12-02", "--out", "-", "--db", w.DbArgument);
        var all = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "rejects", "--out", "-", "--db", w.DbArgument);

        tokyo.ExitCode.Should().Be(0, tokyo.Stderr);
        var rows = tokyo.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].Should().EndWith(",loaded_by_run,created_at");
        rows.Skip(1).Should().ContainSingle().Which.Should().Contain("r1").And.EndWith(",2024-12-02T08:30:00.000000+09:00");
        all.ExitCode.Should().Be(0, all.Stderr);
        all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')[^1])
            .Should().Equal("2024-12-01T23:30:00.000000Z", "2024-12-01T14:00:00.000000Z", "");
    }

    // A created instant with a seventh fraction digit before 2000 was stored by PostgreSQL rounded up to the next day's
    // midnight while its day stayed the day before, and the calls export, which selects by both, left it out with exit 0.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ACallCreatedInTheLastTenthOfAMicrosecondOfADayIsExportedOnThatDayOnEitherEngine(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.File("y2k.jsonl",
            "{\"id\":\"y2k-1\",\"created\":\"1999-12-31T23:59:59.9999999Z\",\"model\":\"gpt-4o\"}\n"
            + "{\"id\":\"y2k-2\",\"created\":\"2024-12-31T23:59:59.9999999Z\",\"model\":\"gpt-4o\"}\n");
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", "-", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => string.Join(',', r.Split(',')[..3]))
            .Should().BeEquivalentTo("y2k-1,1999-12-31T23:59:59.999999Z,1999-12-31", "y2k-2,2024-12-31T23:59:59.999999Z,2024-12-31");
    }

    [Fact]
    public async Task DashWritesTheCsvToStandardOutputAndLogsToStandardError()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", "-", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().StartWith("record_id,created_at,day,model,").And.Contain("\"line one\nline two\"");
        run.Stderr.Should().Contain($"Exported {ExportFixtures.AwkwardModels.Length + 1 + 40} rows of calls to standard output");
        Directory.EnumerateFiles(w.Files.Path, "*.manifest.json").Should().BeEmpty("a pipe gets no files beside it");
    }

    // Bug: an export to /dev/null said there were "no schema files or manifest for a pipe": /dev/null is a character
    // device (found by probing the CLI).
    [Fact]
    public async Task AnExportToDevNullDoesNotCallItAPipe()
    {
        if (!File.Exists("/dev/null")) return;
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", "/dev/null", "--db", w.DbArgument);

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stderr.Should().Contain("rows of daily to /dev/null (no schema files or manifest: they go beside a file)").And.NotContain("pipe");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task DailyCsvIsExactlyTheSummaryCsvContract(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var csv = Path.Combine(folder.Path, "daily.csv");

        Exporter.Run(target, new ExportRequest { Table = ExportTable.Named("daily"), Out = csv });

        var summary = new StringWriter { NewLine = "\n" };
        SummaryCommand.WriteCsv(SummaryCommand.Read(target, new DailyMetricsQuery(), TimeSpan.FromSeconds(30)), summary);
        File.ReadAllText(csv).Should().Be(summary.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        File.ReadLines(csv).First().Split(',').Should().Equal(DailyMetrics.Columns);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ATimeZoneRebucketsDaysLikeTheSummaryDoes(Engine engine)
    {
        using var folder = TransformFixtures.Folder();
        var target = await TransformFixtures.HandWorkedWarehouseAsync(engine, folder);
        var csv = Path.Combine(folder.Path, "daily-tokyo.csv");

        Exporter.Run(target, new ExportRequest { Table = ExportTable.Named("daily"), Out = csv, TimeZone = "Asia/Tokyo" });

        var summary = new StringWriter { NewLine = "\n" };
        SummaryCommand.WriteCsv(SummaryCommand.Read(target, new DailyMetricsQuery { TimeZone = "Asia/Tokyo" }, TimeSpan.FromSeconds(30)), summary);
        File.ReadAllText(csv).Should().Be(summary.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task CallsInATimeZoneCarryTheLocalDayAndOffset(Engine engine)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(engine);
        var csv = w.Files.Combine("tokyo.csv");

        ExportFixtures.Export(w, "calls", csv, timeZone: "Asia/Tokyo", model: "gpt-4o-2024-11-20", from: new DateOnly(2024, 12, 18), to: new DateOnly(2024, 12, 18));

        // The streamed call at 2024-12-17 23:59:59 UTC is 08:59:59 on the 18th in Tokyo.
        File.ReadAllText(csv).Should().Contain(",2024-12-18T08:59:59.000000+09:00,2024-12-18,gpt-4o-2024-11-20,");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task RebucketedMartsInUtcEqualTheMarts(Engine engine)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(engine);
        foreach (var (table, rebucketed) in new[] { ("daily-model", "export/daily_model_from_calls"), ("hourly", "export/hourly_from_calls") })
        {
            var mart = w.Files.Combine(table + "-mart.csv");
            ExportFixtures.Export(w, table, mart);
            // A zone that is UTC in all but name sends the export down the re-bucketing path.
            var fromCalls = w.Files.Combine(table + "-calls.csv");
            ExportFixtures.Export(w, table, fromCalls, timeZone: "Atlantic/Reykjavik");

            // Sums of doubles may be added in another order (PostgreSQL), so numbers agree to 1e-12, text exactly.
            var expected = Fields(mart);
            var actual = Fields(fromCalls);
            actual.Should().HaveSameCount(expected);
            for (var r = 0; r < expected.Count; r++)
            {
                for (var c = 0; c < expected[r].Length; c++)
                {
                    var because = $"{rebucketed} must agree with the {table} mart (row {r}, column {expected[0][c]})";
                    if (r > 0 && double.TryParse(expected[r][c], NumberStyles.Float, CultureInfo.InvariantCulture, out var e) && expected[r][c].Length > 0)
                    {
                        double.Parse(actual[r][c], CultureInfo.InvariantCulture).Should().BeApproximately(e, Math.Abs(e) * 1e-12, because);
                    }
                    else if (r > 0 && expected[0][c] == "hour_start")
                    {
                        // The same instant, spelled with Reykjavik's +00:00 rather than UTC's Z.
                        DateTimeOffset.Parse(actual[r][c], CultureInfo.InvariantCulture).Should().Be(DateTimeOffset.Parse(expected[r][c], CultureInfo.InvariantCulture), because);
                    }
                    else
                    {
                        actual[r][c].Should().Be(expected[r][c], because);
                    }
                }
            }
        }
    }

    private static List<string[]> Fields(string csvPath)
    {
        using var reader = new CsvReader(new StreamReader(csvPath), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.Parser.Count).Select(i => reader.GetField(i) ?? "").ToArray());
        return rows;
    }

    [Theory]
    [InlineData("calls", "parquet", "-", null, false, null)]
    [InlineData("calls", "csv", "-", "day", false, null)]
    [InlineData("runs", "csv", null, "day", false, null)]
    [InlineData("rejects", "csv", null, null, false, "gpt-4o")]
    [InlineData("calls", "parquet", null, null, true, null)]
    public async Task MisusedOptionsAreUsageErrors(string table, string format, string? @out, string? partition, bool safe, string? model)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var act = () => Exporter.Run(w.Target, new ExportRequest
        {
            Table = ExportTable.Named(table),
            Format = format == "parquet" ? ExportFormat.Parquet : ExportFormat.Csv,
            Out = @out ?? w.Files.Combine("x." + format),
            PartitionByDay = partition == "day",
            SpreadsheetSafe = safe,
            Model = model,
        });

        act.Should().Throw<LlmLogException>().Which.Code.Should().Be(ExitCode.Usage);
    }

    [Fact]
    public async Task AFileThatCannotBeWrittenIsAWriteErrorNamingItNotAnInternalError()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var csv = w.Files.Combine("calls.csv");
        // The export replaces calls.manifest.json; a folder of that name cannot be replaced by a file.
        var manifest = w.Files.Combine("calls.manifest.json");
        Directory.CreateDirectory(manifest);

        var act = () => ExportFixtures.Export(w, "calls", csv);

        act.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.InputError).WithMessage($"cannot write {csv}: *calls.manifest.json*");
        Directory.Exists(manifest).Should().BeTrue("llmlog never deletes a folder it did not make");
        File.Exists(csv).Should().BeFalse("nothing is published before every file is written");
        Directory.EnumerateFileSystemEntries(w.Files.Path, "*.partial").Should().BeEmpty("what the export staged goes with it");
    }

    // An export onto a full disk said "cannot write" and exit 3, but left the rows that fitted behind, in a hidden
    // .calls.csv.TOKEN.partial (or a day=... folder holding one): closing the unfinished file failed on the full disk
    // as well, before the staged files were deleted (found by probing a scheduled install).
    [Theory]
    [InlineData("csv", null)]
    [InlineData("parquet", null)]
    [InlineData("csv", "day")]
    [InlineData("parquet", "day")]
    public async Task AnExportThatFillsTheDiskLeavesNothingOnIt(string format, string? partition)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var disk = Directory.CreateDirectory(w.Files.Combine("disk")).FullName;
        var output = Path.Combine(disk, partition is null ? "calls." + format : "calls");
        string[] args = ["export", "--table", "calls", "--format", format, "--out", output, "--db", w.DbArgument, .. partition is null ? [] : new[] { "--partition-by", partition }];

        var run = await SmallDisk.RunAsync(w.Files.Path, disk, 8, args);

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stderr.Should().Contain($"cannot write {output}: {OutputFile.DiskFull}").And.NotContain("Internal error").And.NotContain(".partial");
        run.Left.Should().BeEmpty("an export that failed leaves no part of itself behind");
    }

    // .NET throws a write past the file size limit (EFBIG: ulimit -f, or 4 GiB on FAT32) as an ArgumentOutOfRangeException,
    // which reached the user as a usage error: exit 2 and "Specified file length was too large for the file system. (Parameter 'value')".
    [Fact]
    public async Task AnExportPastTheFileSizeLimitIsAWriteErrorAndLeavesNothingBehind()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var big = w.Files.File("big.jsonl", Some.JsonLines(Some.Calls(2000, days: 4)));
        IngestRunner.Run(w.Target, [big], ExportFixtures.Ingest).Loaded.Should().Be(2000);
        var folder = Directory.CreateDirectory(w.Files.Combine("out")).FullName;
        var csv = Path.Combine(folder, "calls.csv");

        var (exit, stderr) = await LlmLogProcess.RunWithFileSizeLimitAsync(w.Files.Path, "export", "--table", "calls", "--out", csv, "--db", w.DbArgument);

        exit.Should().Be((int)ExitCode.InputError, stderr);
        stderr.Should().Contain($"cannot write {csv}: the file would be larger than the file system (or the process's file size limit) allows");
        Directory.EnumerateFileSystemEntries(folder).Should().BeEmpty();
    }

    [Fact]
    public async Task AConsumerThatStopsReadingFailsTheExportWithAWriteErrorNotASuccess()
    {
        // .NET's console stream drops EPIPE: piped into a consumer that quit, the export said
        // "Exported N rows" and exited 0, and a scheduler recorded a full export that nobody received.
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunWithStdoutClosedAsync(w.Files.Path, "export", "--table", "calls", "--out", "-", "--db", w.DbArgument);

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stderr.Should().Contain("cannot write standard output").And.NotContain("Exported");
    }

    [Fact]
    public async Task OutputsThatWouldReplaceTheWarehouseOrEachOtherAreUsageErrorsAndWriteNothing()
    {
        // export --out warehouse.duckdb replaced every loaded call with CSV; --out daily.sql was then
        // overwritten by the CREATE TABLE file of the same name. Both reported success.
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var database = w.Target.DuckDbPath;
        var before = File.ReadAllBytes(database);
        var sql = w.Files.Combine("daily.sql");

        foreach (var (out_, clash) in new[] { (database, "warehouse"), (database + ".wal", "warehouse"), (sql, "CREATE TABLE file") })
        {
            var act = () => ExportFixtures.Export(w, "daily", out_);
            act.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage && e.Message.Contains(clash, StringComparison.Ordinal));
        }

        File.ReadAllBytes(database).Should().Equal(before);
        File.Exists(sql).Should().BeFalse();
        File.Exists(database + ".wal").Should().BeFalse();
    }

    // Bug: --out other.duckdb.wal, the write-ahead log beside a DuckDB database other than the warehouse, was replaced
    // with exit 0, and so was a DuckDB database not named .duckdb, where generate refuses both (found by probing).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnExportOntoAnotherDuckDbDatabaseOrTheFilesBesideItIsAUsageErrorAndWritesNothing(bool walThere)
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        IngestRunner.Run(w.Target, [w.Files.File("calls.jsonl", Some.JsonLines(Some.Calls(3)))], ExportFixtures.Ingest).ExitCode.Should().Be(ExitCode.Success);
        var other = w.Files.Combine("other.duckdb");
        var backup = w.Files.Combine("backup");
        var sql = w.Files.Combine("side.sql");
        foreach (var copy in new[] { other, backup, sql }) File.Copy(w.Target.DuckDbPath, copy);
        // DuckDB leaves no log after a clean close; this stands for one of a process still writing.
        if (walThere) File.WriteAllText(other + ".wal", "changes not yet in the database");
        string[] before = [.. Directory.EnumerateFileSystemEntries(w.Files.Path).Order()];
        var database = File.ReadAllBytes(other);

        foreach (var (out_, says) in new[]
        {
            (other + ".wal", $"--out {other}.wal is the write-ahead log of the DuckDB database {other}"),
            (other + ".tmp", $"--out {other}.tmp is where the DuckDB database {other} spills to disk"),
            (backup, $"--out {backup} is a DuckDB database; export would replace it, and every call in it, with the exported rows"),
            (w.Files.Combine("side.csv"), $"the CREATE TABLE file {sql} is a DuckDB database"),
        })
        {
            var act = () => ExportFixtures.Export(w, "daily", out_);
            act.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage && e.Message.Contains(says, StringComparison.Ordinal) && e.Message.Contains("choose another name", StringComparison.Ordinal));
        }

        Directory.EnumerateFileSystemEntries(w.Files.Path).Order().Should().Equal(before);
        if (walThere) File.ReadAllText(other + ".wal").Should().Be("changes not yet in the database");
        new[] { other, backup, sql }.Should().OnlyContain(f => File.ReadAllBytes(f).SequenceEqual(database));
        ExportFixtures.Export(w, "daily", w.Files.Combine("notes.wal")).Rows.Should().BePositive("a .wal name beside no database is an ordinary file");
    }

    // Bug: --out daily.csv.gz wrote plain CSV (DuckDB: "Input is not a GZIP stream"), and --format parquet
    // --out p.csv wrote Parquet into a .csv file (found by probing the export).
    [Theory]
    [InlineData("daily.csv.gz", "csv", "| gzip > daily.csv.gz")]
    // The advice named gzip for every ending: a .zst file piped through gzip is no zstd file either.
    [InlineData("daily.csv.zst", "csv", "| zstd > daily.csv.zst")]
    [InlineData("daily.csv.bz2", "csv", "| bzip2 > daily.csv.bz2")]
    [InlineData("daily.parquet.gz", "parquet", ".gz")]
    [InlineData("p.csv", "parquet", "--format is parquet")]
    // Accepted before: comma-separated bytes in a .tsv file (found by probing the export).
    [InlineData("daily.tsv", "csv", "names a tab-separated file, but llmlog writes comma-separated CSV (RFC 4180); name the file .csv")]
    [InlineData("daily.TAB", "csv", "names a tab-separated file")]
    // Accepted before: CSV bytes in a file named for a report or another kind (found by probing the docs).
    [InlineData("dashboard.html", "csv", "--out dashboard.html names an HTML file (.html), but --out writes CSV; name it .csv")]
    [InlineData("d.pdf", "parquet", "writes Parquet; name it .parquet")]
    [InlineData("daily.json", "csv", "names a JSON file")]
    public async Task AnOutputNamedForAnotherFormatOrACompressionIsAUsageErrorAndWritesNothing(string name, string format, string expected)
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", name, "--format", format, "--db", w.DbArgument);

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain(expected).And.NotContain("   at ");
        File.Exists(w.Files.Combine(name)).Should().BeFalse();
    }

    [Fact]
    public async Task AnOutputNamedParquetIsWrittenAsParquetUnlessCsvIsAskedForWhichIsAUsageError()
    {
        // --out daily.parquet without --format wrote CSV into a .parquet file, which no Parquet reader opens.
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var inferred = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", "d.parquet", "--db", w.DbArgument);
        var contradicted = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", "e.parquet", "--format", "csv", "--db", w.DbArgument);

        inferred.ExitCode.Should().Be(0, inferred.Stderr);
        File.ReadAllBytes(w.Files.Combine("d.parquet")).Take(4).Should().Equal("PAR1"u8.ToArray());
        contradicted.ExitCode.Should().Be((int)ExitCode.Usage);
        contradicted.Stderr.Should().Contain("--format is csv");
        File.Exists(w.Files.Combine("e.parquet")).Should().BeFalse();
    }

    // Bug: prompt_cached_tokens was first exported in the middle of the calls columns, so a table created from an
    // earlier export's calls.sql failed to load the next CSV ("extra data after last expected column") (found by
    // probing an upgrade). Columns added to an export come last.
    [Fact]
    public void ColumnsAddedToTheCallsExportComeAfterTheOnesAnEarlierReleaseExported()
    {
        const string Release20261204 = "record_id,created_at,day,model,model_family,model_version,stream,request_type,max_tokens,temperature,started_at,ended_at,latency_s,ttft_s,prompt_tokens,completion_tokens,total_tokens,output_tokens_per_s,hit_max_tokens,logged_cost_usd,cost_usd,cost_source,flags,flag_tokens_mismatch,flag_missing_usage,flag_ttft_exceeds_latency,flag_completion_exceeds_max_tokens,source_file,record_number,line_number,run_id";

        var names = ExportTable.Named("calls").Columns.Select(c => c.Name).ToList();

        names.Take(Release20261204.Split(',').Length).Should().Equal(Release20261204.Split(','));
    }

    [Fact]
    public async Task AnUnknownTableIsAUsageErrorFromTheCommandLine()
    {
        using var folder = new Support.TempFolder();

        var run = await LlmLogProcess.RunAsync(folder.Path, "export", "--table", "prompts");

        run.ExitCode.Should().Be((int)ExitCode.Usage);
        run.Stderr.Should().Contain("prompts");
    }

    [Fact]
    public async Task APartitionFolderHoldingOtherFilesIsNotTouched()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var root = w.Files.Combine("tree");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "notes.txt"), "mine");

        var act = () => ExportFixtures.Export(w, "calls", root, partition: true);

        act.Should().Throw<LlmLogException>().Which.Code.Should().Be(ExitCode.Usage);
        File.Exists(Path.Combine(root, "notes.txt")).Should().BeTrue();
    }

    // Bug: an export of the last days into a tree deleted every other day's folder (found by probing the export);
    // a daily --from D --to D export into a lake's tree must add or refresh day D only.
    [Fact]
    public async Task ReExportingSomeDaysOfAPartitionedTreeReplacesThoseDaysAndKeepsTheOthers()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var root = w.Files.Combine("tree");
        ExportFixtures.Export(w, "calls", root, partition: true);
        var days = Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        days.Should().Contain("day=2024-12-18").And.Contain(d => string.CompareOrdinal(d, "day=2024-12-18") < 0);
        // Stale files: one in a day the second export selects, one in a day it does not.
        foreach (var day in days) File.WriteAllText(Path.Combine(root, day!, "part-99999.csv"), "stale");

        var second = ExportFixtures.Export(w, "calls", root, partition: true, from: new DateOnly(2024, 12, 18));

        Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal(days);
        foreach (var day in days)
        {
            var selected = string.CompareOrdinal(day, "day=2024-12-18") >= 0;
            File.Exists(Path.Combine(root, day!, "part-99999.csv")).Should().Be(!selected, $"{day} is {(selected ? "" : "not ")}in the second export");
        }
        second.DataFiles.Should().HaveCount(days.Count(d => string.CompareOrdinal(d, "day=2024-12-18") >= 0));
    }

    // Bug: in Africa/Bissau, which went from -01 to +00 at midnight on 1975-01-01, refreshing 1975-01-01 wrote the
    // call at 00:40Z (23:40 on 12-31 there) into day=1974-12-31, replacing that day's folder with one of its two calls
    // (found by probing time zones).
    [Fact]
    public async Task RefreshingADayAfterAZoneChangedItsStandardOffsetLeavesTheDayBeforeWhole()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("bissau.jsonl", string.Concat(
            new[] { "1974-12-31T20:00:00Z", "1975-01-01T00:40:00Z", "1975-01-01T01:20:00Z" }
                .Select((created, i) => $$"""{"id": "b{{i}}", "created": "{{created}}", "model": "gpt-4o"}""" + "\n")));
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var root = w.Files.Combine("tree");
        ExportFixtures.Export(w, "calls", root, partition: true, timeZone: "Africa/Bissau");
        string[] Rows(string day) => Directory.GetFiles(Path.Combine(root, day), "*.csv").SelectMany(f => File.ReadAllLines(f).Skip(1)).ToArray();

        ExportFixtures.Export(w, "calls", root, partition: true, from: new DateOnly(1975, 1, 1), to: new DateOnly(1975, 1, 1), timeZone: "Africa/Bissau");

        Rows("day=1974-12-31").Should().HaveCount(2).And.Contain(r => r.StartsWith("b1,", StringComparison.Ordinal));
        Rows("day=1975-01-01").Should().ContainSingle().Which.Should().StartWith("b2,");
    }

    [Fact]
    public async Task RefreshingSomeDaysOfATreeWithAnotherZoneOrModelIsRefused()
    {
        // Days of Asia/Tokyo beside days of UTC put calls near midnight in two folders and others in none, and the
        // old manifest that said "UTC" was gone (found by probing the export).
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var root = w.Files.Combine("tree");
        ExportFixtures.Export(w, "calls", root, partition: true);
        var before = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var day = new DateOnly(2024, 12, 18);

        var otherZone = () => ExportFixtures.Export(w, "calls", root, partition: true, from: day, to: day, timeZone: "Asia/Tokyo");
        var oneModel = () => ExportFixtures.Export(w, "calls", root, partition: true, from: day, to: day, model: "gpt-4o");

        otherZone.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage)
            .WithMessage("*exported with --timezone UTC, not Asia/Tokyo*");
        oneModel.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage)
            .WithMessage("*--model (none), not gpt-4o*");
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText).Should().Equal(before);
        // The same options refresh the day, and the whole tree may be exported again in another zone.
        ExportFixtures.Export(w, "calls", root, partition: true, from: day, to: day).Rows.Should().BePositive();
        ExportFixtures.Export(w, "calls", root, partition: true, timeZone: "Asia/Tokyo").Rows.Should().BePositive();
    }

    [Fact]
    public async Task ReExportingAPartitionedTreeWithoutFromOrToReplacesEveryDay()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var root = w.Files.Combine("tree");
        ExportFixtures.Export(w, "calls", root, partition: true);
        Directory.CreateDirectory(Path.Combine(root, "day=1999-01-01"));
        File.WriteAllText(Path.Combine(root, "day=1999-01-01", "part-00000.csv"), "a day the warehouse no longer selects");

        ExportFixtures.Export(w, "calls", root, partition: true);

        Directory.Exists(Path.Combine(root, "day=1999-01-01")).Should().BeFalse();
    }
}
