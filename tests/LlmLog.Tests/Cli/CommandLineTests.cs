using LlmLog.Warehouse;
using LlmLog.Tests.Support;
using LlmLog.Tests.Export;
using LlmLog.Tests.Transform;

namespace LlmLog.Tests.Cli;

/// <summary>transform and summary end to end, as the real executable a user or a scheduler runs.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task IngestThenSummaryCsvPrintsTheContract()
    {
        using var folder = TransformFixtures.Folder();
        var db = folder.Combine("cli.duckdb");
        var prices = folder.File("prices.csv", TransformFixtures.TestPrices);
        var files = TransformFixtures.HandWorkedFiles().Select(f => folder.File(f.Name, string.Join('\n', f.Lines) + "\n")).ToArray();

        (await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--db", db)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(folder.Path, ["ingest", .. files, "--db", db])).ExitCode.Should().Be(0);
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--format", "csv", "--db", db);

        summary.ExitCode.Should().Be(0, summary.Stderr);
        SummarySnapshotTests.ShouldMatchCsv(summary.Stdout, File.ReadAllText(Path.Combine(ExpectedFolder(), "summary-handworked.csv")));
    }

    // Bug: --db was an option of every command, so generate's --help offered it with the twelve exit codes of a
    // warehouse command, and 'generate 5 --db w.duckdb' wrote the records and ignored the warehouse without a word.
    [Fact]
    public async Task GenerateOffersNeitherADatabaseNorTheExitCodesOfOneWhileTheWarehouseCommandsTakeDbBeforeOrAfterTheirName()
    {
        using var folder = TransformFixtures.Folder();
        var db = folder.Combine("w.duckdb");
        var log = folder.Combine("calls.jsonl");

        var help = await LlmLogProcess.RunAsync(folder.Path, "generate", "--help");
        var generateWithDb = await LlmLogProcess.RunAsync(folder.Path, "generate", "5", "--out", log, "--db", db);
        (await LlmLogProcess.RunAsync(folder.Path, "generate", "5", "--out", log)).ExitCode.Should().Be(0);
        var after = await LlmLogProcess.RunAsync(folder.Path, "ingest", log, "--db", db);
        var before = await LlmLogProcess.RunAsync(folder.Path, "--db", db, "summary", "--format", "csv");

        help.ExitCode.Should().Be(0);
        help.Stdout.Should().NotContain("--db").And.Contain("3  the output cannot be written").And.NotContain(" 4  database error");
        generateWithDb.ExitCode.Should().Be((int)ExitCode.Usage);
        generateWithDb.Stderr.Should().Contain("unknown option --db for generate; it is an option of ingest, transform, summary, report, export");
        (after.ExitCode, before.ExitCode).Should().Be((0, 0));
        before.Stdout.Should().StartWith("day,");
    }

    // Bug: .NET reads each byte of a name that is not valid UTF-8 as U+FFFD, so 'report --out r$'\xe9'.html' (and
    // export, generate and a DuckDB --db) wrote a file of another name with exit 0, and two such names to one file.
    [Theory]
    [InlineData("generate 5 --out NAME.jsonl")]
    [InlineData("report --out NAME.html")]
    [InlineData("report --pdf NAME.pdf")]
    [InlineData("export --table calls --out NAME.csv")]
    [InlineData("--db NAME.duckdb summary")]
    public async Task AnOutputNameThatIsNotUtf8IsRefusedBeforeAnythingIsWritten(string command)
    {
        using var folder = TransformFixtures.Folder();
        var args = command.Split(' ').Select(a => a.Replace("NAME", folder.Combine("r\uFFFD"), StringComparison.Ordinal)).ToArray();

        var result = await LlmLogProcess.RunAsync(folder.Path, args);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain("the name is not valid UTF-8");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    // Bug: an empty path (an unset variable) reached the user as .NET's "The value cannot be an empty string.
    // (Parameter 'path')", and --pdf "" wrote the HTML and no PDF without a word (found by probing prices).
    [Theory]
    [InlineData("--prices is empty (a variable that is not set?); give the price table's CSV file", "transform", "--prices", "")]
    [InlineData("--out is empty (a variable that is not set?); give the HTML file to write", "report", "--out", "")]
    [InlineData("--pdf is empty (a variable that is not set?); give the PDF file to write", "report", "--pdf", "")]
    [InlineData("--out is empty (a variable that is not set?); give the file", "export", "--table", "calls", "--out", "")]
    [InlineData("--out is empty (a variable that is not set?); give the file to write", "generate", "3", "--out", "")]
    [InlineData("a path is empty (a variable that is not set?); name a log file or folder", "ingest", "x.jsonl", "")]
    public async Task AnEmptyPathIsAUsageErrorThatSaysAVariableMayBeUnset(string message, params string[] args)
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, args);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain(message).And.NotContain("Parameter");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    // Bug: a folder given as --out was answered "give a file name such as FOLDER/calls.jsonl" whatever the format, so the
    // name suggested for an export object said JSON Lines, which generate then refuses for it (found by probing the generator).
    [Theory]
    [InlineData("export", "calls.json")]
    [InlineData("jsonl", "calls.jsonl")]
    public async Task GenerateIntoAFolderSuggestsAFileNameOfTheFormatAskedFor(string format, string name)
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "3", "--format", format, "--out", folder.Path);

        result.ExitCode.Should().Be((int)ExitCode.Usage);
        result.Stderr.Should().Contain($"is a folder; give a file name such as {Path.Combine(folder.Path, name)}\n");
    }

    // Bug: --db is the root's too, so 'llmlog --db w.duckdb generate 5' parsed, wrote the records and said nothing of
    // the warehouse it ignored.
    [Fact]
    public async Task GenerateRefusesTheRootsDbAsAUsageErrorAndWritesNothing()
    {
        using var folder = TransformFixtures.Folder();
        var log = folder.Combine("calls.jsonl");

        var result = await LlmLogProcess.RunAsync(folder.Path, "--db", folder.Combine("w.duckdb"), "generate", "5", "--out", log);

        result.ExitCode.Should().Be((int)ExitCode.Usage);
        result.Stderr.Should().Contain("--db does not apply to generate, which opens no warehouse; drop it");
        Directory.EnumerateFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    // Bug: every warehouse command's --help listed all twelve exit codes: summary, report and export offered 5 (the
    // reject rate, which only ingest gives), and ingest 6 (no data, which it never gives).
    [Theory]
    [InlineData(null, "0 1 2 3 4 5 6 7 8 9 10 11 12 130")]
    [InlineData("ingest", "0 1 2 3 4 5 7 8 9 10 11 12 130")]
    [InlineData("transform", "0 1 2 3 4 6 7 8 9 10 11 12 130")]
    [InlineData("summary", "0 1 2 3 4 6 7 8 9 10 11 130")]
    [InlineData("report", "0 1 2 3 4 6 7 8 9 10 11 130")]
    [InlineData("export", "0 1 2 3 4 6 7 8 9 10 11 130")]
    [InlineData("generate", "0 1 2 3 130")]
    // Bug: runs, runs resolve and runs reopen listed every code, 5 (the reject rate) and 12 among them, and 3 as an
    // input error (found by probing the CLI).
    [InlineData("runs", "0 1 2 3 4 6 7 8 9 10 11 130")]
    [InlineData("runs resolve", "0 1 2 3 4 6 7 8 9 10 11 130")]
    [InlineData("runs reopen", "0 1 2 3 4 6 7 8 9 10 11 130")]
    public async Task EachHelpListsTheExitCodesItsCommandCanGiveAndNoOther(string? command, string codes)
    {
        using var folder = new TempFolder();

        var help = await LlmLogProcess.RunAsync(folder.Path, command is null ? ["--help"] : [.. command.Split(' '), "--help"]);

        help.ExitCode.Should().Be(0, help.Stderr);
        var listed = help.Stdout.Split('\n').SkipWhile(line => line != "Exit codes:").Skip(1)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^ {0,2}(\d+)  \S"))
            .TakeWhile(match => match.Success).Select(match => match.Groups[1].Value);
        listed.Should().Equal(codes.Split(' '));
    }

    // Bug: runs --help said exit 3 was an input error, where runs gives it for --exit-code when a run is open, and the
    // help of runs resolve and reopen did not say that a bad run id or note is exit 2 (found by probing the CLI).
    [Theory]
    [InlineData("runs", "  3  with --exit-code: a run is open")]
    [InlineData("runs resolve", "  2  usage error: a run id that is not a whole number, that no run has, or of a run that did not fail and was not cut short (nothing is resolved); a --note")]
    [InlineData("runs reopen", "  2  usage error: a run id that is not a whole number, that no run has, or of a run that did not fail and was not cut short (nothing is reopened); or")]
    public async Task TheHelpOfRunsSaysWhatItsOwnExitCodesMean(string command, string line)
    {
        using var folder = new TempFolder();

        var help = await LlmLogProcess.RunAsync(folder.Path, [.. command.Split(' '), "--help"]);

        help.Stdout.Should().Contain(line).And.NotContain("input error").And.NotContain("reject rate");
    }

    // Bug: export's --help said exit 7 and --lock-timeout were about the database lock alone, where an export also waits
    // for another export writing the same tree, and exits 7 past --lock-timeout (found by review). Then every command's
    // --lock-timeout spoke of export, and of any same --out, where two exports to one file never wait for each other
    // (found by probing the CLI).
    [Fact]
    public async Task ExportsHelpAloneSaysItWaitsForAnotherExportOfTheSameTree()
    {
        using var folder = new TempFolder();

        var help = await LlmLogProcess.RunAsync(folder.Path, "export", "--help");
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--help");

        help.Stdout.Should().Contain("7  another llmlog run holds the database lock, or another export is writing the same --partition-by tree, beyond --lock-timeout")
            .And.Contain("or for another export writing the same --partition-by tree").And.NotContain("same --out");
        summary.Stdout.Should().Contain("--lock-timeout").And.NotContain("export");
    }

    // The parser alone said "Required command was not provided" for a mistyped command, gave the value of an unknown
    // option an error of its own, suggested nothing, and sent every mistake to 'llmlog --help' (found by probing the CLI).
    [Theory]
    [InlineData("ingets x", "llmlog: 'ingets' is not a command; did you mean ingest?\nRun 'llmlog --help' (or 'llmlog COMMAND --help') for usage.\n")]
    [InlineData("summary --tz UTC", "llmlog: unknown option --tz for summary\nRun 'llmlog summary --help' for usage.\n")]
    [InlineData("report --ouy x.html", "llmlog: unknown option --ouy for report; did you mean --out?\nRun 'llmlog report --help' for usage.\n")]
    [InlineData("export --tabel calls", "llmlog: unknown option --tabel for export; did you mean --table?\n")]
    [InlineData("ingest", "llmlog: ingest needs PATH: ")]
    [InlineData("generate", "llmlog: generate needs COUNT: ")]
    // Bug: export said it "needs --table CALLS|DAILY|...", and refused --table CALLS (found by probing the CLI).
    [InlineData("export", "llmlog: export needs --table calls|daily|daily-model|hourly|rejects|runs: ")]
    [InlineData("help", "llmlog: 'help' is not a command; for help run 'llmlog --help', or 'llmlog COMMAND --help'\n")]
    [InlineData("-v", "llmlog: unknown option -v; did you mean --version?\n")]
    [InlineData("summary extra", "llmlog: unexpected argument 'extra' for summary\n")]
    // "did you mean --lock-timeout?" for --lock-timeout itself, written before the command's name (found by probing the docs).
    [InlineData("--lock-timeout 5 summary", "llmlog: option --lock-timeout comes after the command's name: llmlog summary --lock-timeout ... (only --db, --schema, --log-format, --log-level may also come before it)\n")]
    [InlineData("-o x.html report", "llmlog: option -o comes after the command's name: llmlog report -o ...")]
    public async Task AMistypedCommandLineIsAnsweredWithWhatWasLikelyMeant(string line, string expected)
    {
        using var folder = new TempFolder();

        var run = await LlmLogProcess.RunAsync(folder.Path, line.Split(' '));

        run.ExitCode.Should().Be((int)ExitCode.Usage);
        run.Stderr.Should().StartWith(expected);
        run.Stderr.Should().NotContain("Required command was not provided").And.NotContain("Unrecognized");
    }

    // On a terminal the Z after the time was template text, which the console theme draws in black: on a dark terminal
    // the time read as local (found by probing the CLI).
    [Fact]
    public async Task OnATerminalTheLogTimesZIsDrawnWithTheTime()
    {
        if (!File.Exists("/usr/bin/script")) return; // util-linux's script gives the run a terminal
        using var folder = new TempFolder();
        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/script") { WorkingDirectory = folder.Path, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qec", $"dotnet \"{LlmLogProcess.Executable}\" summary --db missing.duckdb", "/dev/null" }) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        output.Should().Contain("does not exist yet");
        output.Should().MatchRegex(@"\d\d:\d\d:\d\dZ", "the Z follows the time in its colour, not in black text of its own");
    }

    [Fact]
    public async Task GenerateHelpSpeaksOfNoDatabaseItNeverOpens()
    {
        // Its exit code 2 offered "a PostgreSQL host name that does not exist" (found by probing the CLI).
        using var folder = new TempFolder();

        var help = await LlmLogProcess.RunAsync(folder.Path, "generate", "--help");

        help.Stdout.Should().NotContain("PostgreSQL");
    }

    [Fact]
    public async Task ExportHelpNamesTheFileEachTableIsWrittenToByDefault()
    {
        // It said ./TABLE.csv, and after export --table daily-model there was no daily-model.csv (found by probing the CLI).
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);

        var help = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--help");
        var export = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily-model", "--db", w.DbArgument);

        export.ExitCode.Should().Be(0, export.Stderr);
        File.Exists(w.Files.Combine("daily_model_metrics.csv")).Should().BeTrue();
        help.Stdout.Should().Contain("daily-model → daily_model_metrics.csv");
    }

    [Theory]
    [InlineData("report", "r.html")]
    [InlineData("export", "d.csv")]
    [InlineData("generate", "g.jsonl")]
    public async Task EveryCommandThatWritesAFileTakesDashOForOut(string command, string file)
    {
        // -o worked for generate only; report -o and export -o were usage errors (found by probing the CLI).
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        string[] args = command switch
        {
            "export" => ["export", "--table", "daily", "-o", file, "--db", w.DbArgument],
            "report" => ["report", "-o", file, "--db", w.DbArgument],
            _ => ["generate", "10", "-o", file],
        };

        var run = await LlmLogProcess.RunAsync(w.Files.Path, args);

        run.ExitCode.Should().Be(0, run.Stderr);
        File.Exists(w.Files.Combine(file)).Should().BeTrue();
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("transform")]
    public async Task ReadingADatabaseThatDoesNotExistExitsWithNoDataAndCreatesNothing(string command)
    {
        // transform on a mistyped --db created an empty warehouse and reported "Rebuilt the marts for 0 day(s)".
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, command, "--db", folder.Combine("missing.duckdb"));

        result.ExitCode.Should().Be((int)ExitCode.NoData);
        result.Stderr.Should().Contain("llmlog ingest");
        File.Exists(folder.Combine("missing.duckdb")).Should().BeFalse("only ingest (or loading a price table) creates a warehouse");
    }

    // Bug: on a PostgreSQL database llmlog never ingested into (a mistyped --db), summary, report and export
    // created every table and loaded a price table, then said "no calls yet".
    [Theory]
    [InlineData("summary")]
    [InlineData("transform")]
    [InlineData("report")]
    [InlineData("export", "--table", "daily")]
    public async Task ReadingAPostgresDatabaseWithoutLlmLogsTablesExitsWithNoDataAndCreatesNothing(params string[] command)
    {
        using var w = await TestWarehouse.CreateAsync(Engine.Postgres);

        var result = await LlmLogProcess.RunAsync(w.Files.Path, [.. command, "--db", w.DbArgument]);

        result.ExitCode.Should().Be((int)ExitCode.NoData, result.Stderr);
        result.Stderr.Should().Contain("no llmlog warehouse").And.Contain("llmlog ingest");
        using var connection = new Npgsql.NpgsqlConnection(w.DbArgument);
        connection.Open();
        using var tables = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        ((long)tables.ExecuteScalar()!).Should().Be(0, "reading never creates a warehouse");
    }

    [Fact]
    public async Task AnUnknownFormatOrTimeZoneIsAUsageError()
    {
        using var folder = TransformFixtures.Folder();

        (await LlmLogProcess.RunAsync(folder.Path, "summary", "--format", "xml")).ExitCode.Should().Be((int)ExitCode.Usage);
        (await LlmLogProcess.RunAsync(folder.Path, "summary", "--timezone", "Nowhere/Special")).ExitCode.Should().Be((int)ExitCode.Usage);
    }

    [Fact]
    public async Task ATimeZoneInTheWrongCaseIsAUsageErrorThatNamesItsSpelling()
    {
        using var folder = TransformFixtures.Folder();

        var run = await LlmLogProcess.RunAsync(folder.Path, "summary", "--timezone", "europe/berlin");

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain("--timezone 'europe/berlin' is not a known time zone; did you mean Europe/Berlin?");
    }

    [Fact]
    public async Task ABadPriceTableExitsWithAnInputErrorNamingTheLineAndField()
    {
        using var folder = TransformFixtures.Folder();
        var prices = folder.File("prices.csv", PriceHeader + "\ngpt-4o,exact,1,,two,2024-01-01,,x\n");

        var result = await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--db", folder.Combine("w.duckdb"));

        result.ExitCode.Should().Be((int)ExitCode.InputError);
        result.Stderr.Should().Contain("line 2, output_per_1m_usd: is 'two'");
    }

    [Fact]
    public async Task ADuckDbWarehouseInAMissingFolderIsAUsageErrorForIngestAndNoDataForReaders()
    {
        // Ingest said exit 4 ("database error, rerunning is safe"), so a scheduler retried it for ever.
        using var folder = TransformFixtures.Folder();
        var log = folder.File("calls.jsonl", Some.JsonLines(Some.Calls(3)));
        var warehouse = Path.Combine(folder.Path, "no-such-folder", "sub", "w.duckdb");

        var ingest = await LlmLogProcess.RunAsync(folder.Path, "ingest", log, "--db", warehouse);
        var summary = await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", warehouse);

        ingest.ExitCode.Should().Be((int)ExitCode.Usage, ingest.Stderr);
        ingest.Stderr.Should().Contain("no-such-folder/sub does not exist");
        summary.ExitCode.Should().Be((int)ExitCode.NoData, summary.Stderr);
        Directory.Exists(Path.Combine(folder.Path, "no-such-folder")).Should().BeFalse();
    }

    [Fact]
    public async Task GenerateIntoAMissingFolderOrAFolderIsAUsageErrorNotAnInternalOne()
    {
        using var folder = TransformFixtures.Folder();

        var missing = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "--out", Path.Combine(folder.Path, "no-such-folder", "calls.jsonl"));
        var aFolder = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", "--out", folder.Path);

        missing.ExitCode.Should().Be((int)ExitCode.Usage, missing.Stderr);
        missing.Stderr.Should().Contain("no-such-folder").And.Contain("does not exist");
        aFolder.ExitCode.Should().Be((int)ExitCode.Usage, aFolder.Stderr);
        aFolder.Stderr.Should().Contain("is a folder");
    }

    [Theory]
    [InlineData("--days", "0", "--days must be a whole number between 1 and 3660, not '0'")]
    [InlineData("--bad-rate", "0.7", "--bad-rate must be a number between 0 and 0.5")]
    // Values that do not parse used to abort the process (exit 134) in the options' range checks.
    [InlineData("--days", "abc", "--days must be a whole number between 1 and 3660, not 'abc'")]
    [InlineData("--bad-rate", "abc", "--bad-rate must be a number between 0 and 0.5 (with a '.' decimal point), not 'abc'")]
    [InlineData("--bad-rate", "NaN", "--bad-rate must be a number between 0 and 0.5")]
    [InlineData("--end", "9999-12-31", "--end 9999-12-31 is outside the days from 1970-01-01 to 2999-12-31 a call can fall on")]
    [InlineData("--days", "3660", "--days 3660 up to 2025-02-28 would start on 2015-02-22, before the first generated model (2023-01-01)")]
    // -7 wrote seed 7's records byte for byte, and int.MinValue and int.MaxValue those of 0 (.NET's seeded Random takes
    // the absolute value); 'abc' said "as expected type 'System.Int32'" (found by probing generate).
    [InlineData("--seed", "-7", "--seed must be a whole number between 0 and 2147483646, not '-7'")]
    [InlineData("--seed", "2147483647", "--seed must be a whole number between 0 and 2147483646, not '2147483647'")]
    [InlineData("--seed", "abc", "--seed must be a whole number between 0 and 2147483646, not 'abc'")]
    public async Task GenerateNamesTheOptionThatIsOutOfRange(string option, string value, string expected)
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "10", option, value, "--out", folder.Combine("g.jsonl"));

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().Contain(expected).And.NotContain("Parameter");
    }

    // Bug: these crashed with "Unhandled exception ... Argument 'warn' not recognized", exit 134 (found by checking the docs).
    [Theory]
    [InlineData("summary", "--log-level", "warn")]
    [InlineData("summary", "--log-level", "DEBUG")]
    [InlineData("ingest", "x.jsonl", "--log-format", "xml")]
    public async Task ALogLevelOrFormatItDoesNotKnowIsAUsageErrorNotACrash(params string[] args)
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, args);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        result.Stderr.Should().StartWith($"llmlog: Argument '{args[^1]}' not recognized").And.NotContain("Exception").And.NotContain("   at ");
    }

    [Theory]
    [InlineData("generate", "abc")]
    [InlineData("generate", "99999999999999999999")]
    [InlineData("ingest", "x.jsonl", "--max-reject-rate", "abc")]
    [InlineData("ingest", "x.jsonl", "--max-reject-rate", "NaN")]
    [InlineData("ingest", "x.jsonl", "--lock-timeout", "-5")]
    [InlineData("summary", "--lock-timeout", "soon")]
    [InlineData("summary", "--to", "9999-12-31")]
    [InlineData("report", "--from", "2025-02-30")]
    [InlineData("export", "--table", "runs", "--to", "0001-01-01")]
    public async Task AValueThatDoesNotParseOrIsOutOfRangeIsAUsageErrorOfOneLine(params string[] args)
    {
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, args);

        result.ExitCode.Should().Be((int)ExitCode.Usage, result.Stderr);
        // A day written right but out of reach is told so ("--to 9999-12-31 is outside the days ..."); anything else how to write it.
        var option = args[0] == "generate" ? "count" : args[^2];
        result.Stderr.Should().StartWith("llmlog: " + option + (args[^1] is "9999-12-31" or "0001-01-01" ? $" {args[^1]} is outside the days " : " must be "))
            .And.NotContain("Exception").And.NotContain("System.");
    }

    [Fact]
    public async Task ARateIsReadWithADecimalPointWhateverTheLocale()
    {
        // Under de_DE "0.01" was read as 1, which switched the reject gate off for a cron job.
        using var folder = TransformFixtures.Folder();
        var log = folder.Combine("some-bad.jsonl");
        (await LlmLogProcess.RunAsync(folder.Path, "generate", "200", "--bad-rate", "0.05", "--format", "jsonl", "--out", log)).ExitCode.Should().Be(0);
        var german = new LlmLogProcess.Options(Environment: new Dictionary<string, string> { ["LC_ALL"] = "de_DE.UTF-8", ["LANG"] = "de_DE.UTF-8" });

        var gate = await LlmLogProcess.RunAsync(folder.Path, german, "ingest", log, "--dry-run", "--max-reject-rate", "0.01");
        var comma = await LlmLogProcess.RunAsync(folder.Path, german, "ingest", log, "--dry-run", "--max-reject-rate", "0,01");

        gate.ExitCode.Should().Be((int)ExitCode.RejectRateExceeded, gate.Stderr);
        comma.ExitCode.Should().Be((int)ExitCode.Usage, comma.Stderr);
    }

    // Bug: the price table was read twice, so --prices <(cat f) was "is empty" the second time, a FIFO blocked for
    // good, and '-' was "Could not find file" (found by probing costs).
    [Fact]
    public async Task APriceTableFromAPipeOrStandardInputIsReadOnce()
    {
        using var folder = TransformFixtures.Folder();
        var prices = folder.File("prices.csv", PriceHeader + "\nacme,prefix,1,,2,2024-01-01,,test\n");

        var fromStdin = await LlmLogProcess.RunAsync(folder.Path, new LlmLogProcess.Options(Stdin: File.ReadAllBytes(prices)),
            "transform", "--prices", "-", "--db", folder.Combine("a.duckdb"));
        var info = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "exec dotnet \"$0\" transform --prices <(cat \"$1\") --db \"$2\"", LlmLogProcess.Executable, prices, folder.Combine("b.duckdb") })
        {
            info.ArgumentList.Add(a);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        fromStdin.ExitCode.Should().Be(0, fromStdin.Stderr);
        fromStdin.Stdout.Should().Contain("Prices in force: <stdin> (1 row,");
        process.ExitCode.Should().Be(0, stderr);
        (await stdout).Should().Contain("(1 row,");
    }

    // Bug: a dry run said the new table was in force, though all of it is rolled back (found by probing costs).
    [Fact]
    public async Task ADryRunWithANewPriceTableSaysItWouldBeInForce()
    {
        using var folder = TransformFixtures.Folder();
        var prices = folder.File("prices.csv", PriceHeader + "\nacme,prefix,1,,2,2024-01-01,,test\n");
        var db = folder.Combine("w.duckdb");
        (await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", prices, "--db", db)).ExitCode.Should().Be(0);
        var other = folder.File("other.csv", PriceHeader + "\nacme,prefix,3,,4,2024-01-01,,test\n");

        var dry = await LlmLogProcess.RunAsync(folder.Path, "transform", "--prices", other, "--dry-run", "--db", db);
        var after = await LlmLogProcess.RunAsync(folder.Path, "transform", "--db", db);

        dry.ExitCode.Should().Be(0, dry.Stderr);
        dry.Stdout.Should().Contain($"Prices that would be in force: {other}").And.NotContain("Prices in force:");
        after.Stdout.Should().Contain($"Prices in force: {prices}");
    }

    [Fact]
    public async Task GenerateOntoAFullDiskIsAWriteErrorNamingTheFile()
    {
        // /dev/full refuses every write with "No space left on device", as a full disk does.
        if (!File.Exists("/dev/full")) return;
        using var folder = TransformFixtures.Folder();

        var result = await LlmLogProcess.RunAsync(folder.Path, "generate", "1000", "--out", "/dev/full");

        result.ExitCode.Should().Be((int)ExitCode.InputError, result.Stderr);
        result.Stderr.Should().Contain("cannot write /dev/full").And.NotContain("Internal error");
    }

    [Fact]
    public async Task StandardOutputOnAFullDiskIsAWriteErrorNotAnInternalOne()
    {
        // generate and summary ended with exit 1 and a stack trace; export already said exit 3. So did ingest,
        // transform and --help until a check of the docs found them, and --version until probing an install did.
        if (!File.Exists("/dev/full")) return;
        using var folder = TransformFixtures.Folder();
        var (log, db) = await FiftyCallsIn(folder);
        (await LlmLogProcess.RunAsync(folder.Path, "ingest", log, "--db", db)).ExitCode.Should().Be(0);

        string[][] commands =
        [
            ["generate", "50"], ["summary", "--db", db], ["summary", "--db", db, "--format", "csv"],
            ["ingest", log, "--db", db], ["ingest", log, "--db", db, "--json"], ["ingest", log, "--dry-run"],
            ["transform", "--db", db], ["--help"], ["export", "--help"], ["--version"],
        ];
        foreach (var args in commands)
        {
            var (exit, stderr) = await RunIntoDevFull(folder.Path, args);
            exit.Should().Be((int)ExitCode.InputError, stderr);
            stderr.Should().Contain("cannot write standard output").And.NotContain("Internal error");
        }
    }

    [Fact]
    public async Task NoStandardOutputAtAllIsAWriteErrorNotAnInternalOne()
    {
        // With standard output closed (>&-), every command that prints ended with exit 1, "Internal error, please report
        // it" and a stack trace, an ingest after its load had committed: .NET throws EBADF as access denied (found by
        // probing scheduled runs).
        using var folder = TransformFixtures.Folder();
        var (log, db) = await FiftyCallsIn(folder);

        // Export and generate said "Access to the path is denied." where the others say it is closed (found by probing the CLI).
        string[][] commands =
        [
            ["ingest", log, "--db", db, "--json"], ["summary", "--db", db], ["summary", "--db", db, "--format", "json"],
            ["report", "--out", "-", "--db", db], ["transform", "--db", db, "--dry-run"], ["--version"], ["--help"],
            ["export", "--table", "daily", "--out", "-", "--db", db], ["generate", "5"],
        ];
        foreach (var args in commands)
        {
            var (exit, stderr) = await RunIntoDevFull(folder.Path, args, redirect: ">&-");
            exit.Should().Be((int)ExitCode.InputError, string.Join(' ', args) + ": " + stderr);
            stderr.Should().Contain("cannot write standard output: Bad file descriptor (it is closed; give the command somewhere to write, such as > /dev/null)")
                .And.NotContain("Internal error").And.NotContain("Access to the path is denied");
        }
        (await LlmLogProcess.RunAsync(folder.Path, "summary", "--db", db, "--format", "csv")).Stdout.Should().StartWith("day,", "the ingest had loaded the file");
    }

    [Fact]
    public async Task AConsumerThatStopsReadingFailsEveryPrintingCommandWithAWriteErrorNotASuccess()
    {
        // Bug: summary, runs, transform and ingest --json printed through Console.Out, which drops EPIPE: piped into a
        // consumer that had quit they exited 0, and a scheduler took the ingest's lost summary for a success (found by
        // probing the docs, which say exit 3 for a closed pipe).
        using var folder = TransformFixtures.Folder();
        var (log, db) = await FiftyCallsIn(folder);

        string[][] commands =
        [
            ["ingest", log, "--db", db, "--json"], ["summary", "--db", db], ["summary", "--db", db, "--format", "json"],
            ["runs", "--all", "--db", db], ["transform", "--db", db, "--dry-run"],
        ];
        foreach (var args in commands)
        {
            var run = await LlmLogProcess.RunWithStdoutClosedAsync(folder.Path, args);
            run.ExitCode.Should().Be((int)ExitCode.InputError, string.Join(' ', args) + ": " + run.Stderr);
            run.Stderr.Should().Contain("cannot write standard output").And.NotContain("Internal error");
        }
    }

    /// <summary>A generated log of 50 calls in <paramref name="folder"/>, and where its warehouse goes.</summary>
    private static async Task<(string Log, string Db)> FiftyCallsIn(TempFolder folder)
    {
        var log = folder.Combine("calls.jsonl");
        (await LlmLogProcess.RunAsync(folder.Path, "generate", "50", "--format", "jsonl", "--out", log)).ExitCode.Should().Be(0);
        return (log, folder.Combine("w.duckdb"));
    }

    private static async Task<(int Exit, string Stderr)> RunIntoDevFull(string folder, string[] args, string redirect = "> /dev/full")
    {
        var info = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "exec dotnet \"$0\" \"$@\" " + redirect, LlmLogProcess.Executable }.Concat(args)) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stderr);
    }

    private const string PriceHeader = "model_match,match_type,input_per_1m_usd,cached_input_per_1m_usd,output_per_1m_usd,valid_from,valid_to,source";

    private static string ExpectedFolder([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Expected");
}
