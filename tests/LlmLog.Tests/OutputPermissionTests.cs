using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;

namespace LlmLog.Tests;

/// <summary>
/// Outputs this user may not write: a folder that takes no new file, a file that is read-only. Each is refused before
/// the work, with exit 3 and a message that names the path the user gave, never the hidden staging file. Root may
/// write anything, so as root (as on CI) llmlog runs as <c>nobody</c>, who is stopped by a mode as any service account is.
/// </summary>
[Collection(ReportCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputPermissionTests
{
    private static readonly LlmLogProcess.Options AsUser = new(User: Environment.IsPrivilegedProcess ? "nobody" : null);

    private const UnixFileMode Open = (UnixFileMode)0b111_111_111;
    private const UnixFileMode ReadAndEnter = (UnixFileMode)0b101_101_101;

    // Bug: export and generate said "Access to the path '/srv/ro/.c.csv.18c49fcdc505.partial' is denied.", naming a hidden
    // file the user never gave, where report says which folder takes no file (found by a newcomer probing as a non-root
    // user). A tree said "Access to the path '/srv/ro/lake' is denied.".
    [Theory]
    [InlineData("export-csv")]
    [InlineData("export-parquet")]
    [InlineData("export-tree")]
    [InlineData("export-default-name")]
    [InlineData("generate")]
    [InlineData("generate-gz")]
    public async Task AnOutputFolderThatTakesNoFileIsNamedAsReportNamesItNotTheHiddenStagingFile(string output)
    {
        using var sample = OpenSample();
        var locked = Directory.CreateDirectory(Path.Combine(sample.Folder, "locked")).FullName;
        File.SetUnixFileMode(locked, ReadAndEnter);
        var (cwd, named, args) = output switch
        {
            "export-csv" => (sample.Folder, Path.Combine(locked, "c.csv"), Export("--out", Path.Combine(locked, "c.csv"))),
            "export-parquet" => (sample.Folder, Path.Combine(locked, "c.parquet"), Export("--format", "parquet", "--out", Path.Combine(locked, "c.parquet"))),
            "export-tree" => (sample.Folder, Path.Combine(locked, "lake"), Export("--partition-by", "day", "--out", Path.Combine(locked, "lake"))),
            "export-default-name" => (locked, "calls.csv", Export()),
            "generate" => (sample.Folder, Path.Combine(locked, "g.jsonl"), ["generate", "10", "--out", Path.Combine(locked, "g.jsonl")]),
            _ => (sample.Folder, Path.Combine(locked, "g.jsonl.gz"), new[] { "generate", "10", "--out", Path.Combine(locked, "g.jsonl.gz") }),
        };

        var run = await LlmLogProcess.RunAsync(cwd, AsUser, args);

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stderr.Should().Contain($"cannot write {named}: permission denied: the folder {locked} takes no new file for this user")
            .And.NotContain(".partial").And.NotContain("Access to the path");
        Directory.EnumerateFileSystemEntries(locked).Should().BeEmpty();

        string[] Export(params string[] more) => ["export", "--table", "calls", "--db", sample.Database, .. more];
    }

    // Bug: `chmod 444 u.html u.csv` was taken as nothing: report, export and generate replaced the file and exited 0, where
    // README promises exit 3 for an output file without permission (found by a newcomer probing as a non-root user).
    // The folder takes new files, so only the file's own mode stops the user.
    [Theory]
    [InlineData("report", "u.html")]
    [InlineData("report-pdf", "u.pdf")]
    [InlineData("export", "u.csv")]
    [InlineData("export-manifest", "u.manifest.json")]
    [InlineData("export-through-link", "real.csv")]
    [InlineData("generate", "u.jsonl")]
    public async Task AnOutputFileThisUserMayNotWriteIsRefusedBeforeTheWorkAndLeftAsItWas(string output, string readOnly)
    {
        using var sample = OpenSample();
        var file = Path.Combine(sample.Folder, readOnly);
        File.WriteAllText(file, "precious");
        File.SetUnixFileMode(file, (UnixFileMode)0b100_100_100);
        var named = output == "export-through-link" ? Path.Combine(sample.Folder, "u.csv") : file;
        if (output == "export-through-link") File.CreateSymbolicLink(named, file);
        string[] args = output switch
        {
            "report" => ["report", "--db", sample.Database, "--out", file],
            "report-pdf" => ["report", "--db", sample.Database, "--out", Path.Combine(sample.Folder, "u.html"), "--pdf", file],
            "export" or "export-manifest" or "export-through-link" => ["export", "--table", "daily", "--db", sample.Database, "--out", Path.Combine(sample.Folder, "u.csv")],
            _ => ["generate", "10", "--out", file],
        };

        var run = await LlmLogProcess.RunAsync(sample.Folder, AsUser, args);

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        // As root the test's llmlog runs as nobody, whose file it is not, and who may not chmod it.
        run.Stderr.Should().Contain(Environment.IsPrivilegedProcess
            ? $"cannot write {named}: the file is read-only for this user (mode 0444) and belongs to another; remove it, or have its owner make it writable"
            : $"cannot write {named}: the file is read-only for this user (mode 0444); make it writable (chmod u+w) or remove it");
        File.ReadAllText(file).Should().Be("precious");
        Directory.EnumerateFiles(sample.Folder, "*.partial").Should().BeEmpty();
        Directory.EnumerateFiles(sample.Folder, "u.*").Should().Equal([named], "nothing else was written before the refusal");
    }

    // Bug: an output that is a symbolic link into a folder that does not exist was a usage error for report (exit 2, "the
    // folder … does not exist") and, for export and generate, exit 3 with "Could not find a part of the path
    // '…/nodir/.x.csv.eab9d66f.partial'" (found by probing this session's fixes).
    [Theory]
    [InlineData("export")]
    [InlineData("generate")]
    [InlineData("report")]
    public async Task AnOutputLinkedIntoAFolderThatDoesNotExistIsAUsageErrorNamingThatFolder(string command)
    {
        using var sample = OpenSample();
        var link = Path.Combine(sample.Folder, "link.out");
        File.CreateSymbolicLink(link, Path.Combine("nodir", "x.out"));
        string[] args = command switch
        {
            "export" => ["export", "--table", "daily", "--db", sample.Database, "--out", link],
            "generate" => ["generate", "5", "--out", link],
            _ => ["report", "--db", sample.Database, "--out", link],
        };

        var run = await LlmLogProcess.RunAsync(sample.Folder, args);

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain($"the folder {Path.Combine(sample.Folder, "nodir")} does not exist").And.NotContain(".partial");
    }

    // Bug: a folder on a read-only file system named the hidden staging file in .NET's words ("Read-only file system :
    // '…/.r.html.b7a21666.partial'"), and an existing warehouse there was blamed on permissions, which cannot help (found
    // by probing this session's fixes). The folder is bound read-only in a mount namespace of the test's own.
    [Fact]
    public async Task AnOutputOrAWarehouseOnAReadOnlyFileSystemIsSaidToBeThere()
    {
        using var sample = OpenSample();
        var log = Path.Combine(sample.Folder, "more.jsonl");
        File.WriteAllText(log, ReportSample.Lines(days: 1, callsPerDay: 2, seed: 9, models: ["gpt-4o-mini"]));

        var report = await ReadOnlyAsync(sample.Folder, "report", "--db", sample.Database, "--out", Path.Combine(sample.Folder, "r.html"));
        var generate = await ReadOnlyAsync(sample.Folder, "generate", "5", "--out", Path.Combine(sample.Folder, "g.jsonl"));
        var ingest = await ReadOnlyAsync(sample.Folder, "ingest", log, "--db", sample.Database);

        foreach (var run in new[] { report, generate })
        {
            run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
            run.Stderr.Should().Contain($"the folder {sample.Folder} is on a read-only file system").And.NotContain(".partial");
        }
        ingest.ExitCode.Should().Be((int)ExitCode.ReadOnly, ingest.Stderr);
        ingest.Stderr.Should().Contain("is on a read-only file system, which no permission can change").And.NotContain("fix their permissions");
    }

    private static async Task<LlmLogProcess.Result> ReadOnlyAsync(string folder, params string[] args)
    {
        using var process = PrivateMount.Start(folder,
            "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 99; shift; exec dotnet \"$@\"", [folder], args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().NotBe(99, "the test binds a folder read-only in a private mount namespace: {0}", stderr);
        return new LlmLogProcess.Result(process.ExitCode, await stdout, stderr);
    }

    // Bug: behind a folder this user may not search (a service's 0700 data folder, seen by another user), nothing can be
    // told, not even whether a file is there, and .NET says it is not: report, export and generate called the output's
    // folder missing (exit 2), a tree named the folder above as taking no file, ingest said "no such file or directory",
    // and an ingest into a warehouse there "the folder does not exist; create it" (found by probing as a non-root user).
    // Mode 0600 stops the folder's owner too, so the case holds whoever runs the test.
    [Theory]
    [InlineData("report", ExitCode.InputError)]
    [InlineData("report-through-link", ExitCode.InputError)]
    [InlineData("export", ExitCode.InputError)]
    [InlineData("export-tree", ExitCode.InputError)]
    [InlineData("generate", ExitCode.InputError)]
    [InlineData("ingest-file", ExitCode.InputError)]
    [InlineData("ingest-folder", ExitCode.InputError)]
    [InlineData("ingest-warehouse", ExitCode.ReadOnly)]
    [InlineData("transform-prices", ExitCode.InputError)]
    public async Task APathBehindAFolderThisUserMayNotSearchIsSaidToBeHiddenThereNotMissing(string command, ExitCode expected)
    {
        using var sample = OpenSample();
        var hiding = Directory.CreateDirectory(Path.Combine(sample.Folder, "service")).FullName;
        var inner = Directory.CreateDirectory(Path.Combine(hiding, "data")).FullName;
        var log = Path.Combine(inner, "calls.jsonl");
        File.WriteAllText(log, ReportSample.Lines(days: 1, callsPerDay: 2, seed: 3, models: ["gpt-4o-mini"]));
        var link = Path.Combine(sample.Folder, "data-link");
        Directory.CreateSymbolicLink(link, inner);
        var newWarehouse = Path.Combine(sample.Folder, "new.duckdb");
        var (named, args) = command switch
        {
            "report" => (Path.Combine(inner, "r.html"), new[] { "report", "--db", sample.Database, "--out", Path.Combine(inner, "r.html") }),
            "report-through-link" => (Path.Combine(link, "r.html"), ["report", "--db", sample.Database, "--out", Path.Combine(link, "r.html")]),
            "export" => (Path.Combine(inner, "d.csv"), ["export", "--table", "daily", "--db", sample.Database, "--out", Path.Combine(inner, "d.csv")]),
            "export-tree" => (Path.Combine(inner, "lake"), ["export", "--table", "calls", "--partition-by", "day", "--db", sample.Database, "--out", Path.Combine(inner, "lake")]),
            "generate" => (Path.Combine(inner, "g.jsonl"), ["generate", "5", "--out", Path.Combine(inner, "g.jsonl")]),
            "ingest-file" => (log, ["ingest", log, "--db", newWarehouse]),
            "ingest-folder" => (inner, ["ingest", inner, "--db", newWarehouse]),
            "ingest-warehouse" => (Path.Combine(inner, "w.duckdb"), ["ingest", Path.Combine(sample.Folder, "none.jsonl"), "--db", Path.Combine(inner, "w.duckdb")]),
            _ => (Path.Combine(inner, "prices.csv"), ["transform", "--db", sample.Database, "--prices", Path.Combine(inner, "prices.csv")]),
        };
        if (command == "ingest-warehouse") File.WriteAllText(Path.Combine(sample.Folder, "none.jsonl"), "");
        File.SetUnixFileMode(hiding, (UnixFileMode)0b110_000_000);
        try
        {
            var run = await LlmLogProcess.RunAsync(sample.Folder, AsUser, args);

            run.ExitCode.Should().Be((int)expected, run.Stderr);
            run.Stderr.Should().Contain($"permission denied: this user may not look into the folder {hiding} (it needs execute, search, permission on it)")
                .And.NotContain("does not exist").And.NotContain("no such file").And.NotContain("takes no new file");
            if (command is "report" or "report-through-link" or "export" or "export-tree" or "generate") run.Stderr.Should().Contain($"cannot write {named}: ");
            else if (command == "ingest-warehouse") run.Stderr.Should().Contain("whether a warehouse is there cannot be told");
            else run.Stderr.Should().Contain(named);
            File.Exists(newWarehouse).Should().BeFalse("the run stopped before it made anything");
        }
        finally
        {
            File.SetUnixFileMode(hiding, Open);
        }
        Directory.EnumerateFileSystemEntries(inner).Should().Equal([log], "nothing was written behind the folder");
    }

    // Bug: inside a tree only the tree's folder was checked before the work, so a day folder this user may not write failed
    // the finished export with .NET's "Access to the path '…/day=…/.part-00000.csv.TOKEN.partial' is denied.", and a
    // read-only part was replaced where a read-only single file is refused (left open by the twenty-third session).
    [Theory]
    [InlineData("day-folder")]
    [InlineData("part-file")]
    public async Task ATreeWithADayThisUserMayNotWriteIsRefusedBeforeTheWorkAndLeftAsItWas(string readOnly)
    {
        using var sample = OpenSample();
        var lake = Path.Combine(sample.Folder, "lake");
        string[] export = ["export", "--table", "calls", "--partition-by", "day", "--db", sample.Database, "--out", lake];
        var first = await LlmLogProcess.RunAsync(sample.Folder, AsUser, export);
        first.ExitCode.Should().Be(0, first.Stderr);
        var day = Directory.GetDirectories(lake).Order(StringComparer.Ordinal).First();
        var part = Path.Combine(day, "part-00000.csv");
        var before = Directory.GetFiles(sample.Folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        File.SetUnixFileMode(readOnly == "day-folder" ? day : part, readOnly == "day-folder" ? ReadAndEnter : (UnixFileMode)0b100_100_100);
        try
        {
            var run = await LlmLogProcess.RunAsync(sample.Folder, AsUser, export);

            run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
            run.Stderr.Should().Contain(readOnly == "day-folder"
                ? $"cannot write {lake}: permission denied: the folder {day} takes no new file for this user"
                : $"cannot write {part}: the file is read-only for this user (mode 0444)").And.NotContain("Access to the path");
            run.Stderr.Should().NotContain("Exported");
            Directory.GetFiles(sample.Folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes)
                .Should().BeEquivalentTo(before, "nothing was written, replaced or removed");
        }
        finally
        {
            File.SetUnixFileMode(day, Open);
        }
    }

    // Bug: once an export of one file held its folder while it published, a folder this user may write but not read (a
    // drop box, mode 0733), which cannot be opened to be locked, failed the export with "cannot open the folder" (found by
    // probing that change). It publishes there without taking turns, as before.
    [Fact]
    public async Task AnExportIntoAFolderThisUserMayWriteButNotReadIsWritten()
    {
        using var sample = OpenSample();
        var dropBox = Directory.CreateDirectory(Path.Combine(sample.Folder, "incoming")).FullName;
        File.SetUnixFileMode(dropBox, (UnixFileMode)0b011_011_011);
        try
        {
            var run = await LlmLogProcess.RunAsync(sample.Folder, AsUser, "export", "--table", "daily", "--db", sample.Database, "--out", Path.Combine(dropBox, "daily.csv"));

            run.ExitCode.Should().Be(0, run.Stderr);
        }
        finally
        {
            File.SetUnixFileMode(dropBox, Open);
        }
        Directory.EnumerateFiles(dropBox).Select(Path.GetFileName).Should().BeEquivalentTo(["daily.csv", "daily.schema.json", "daily.sql", "daily.manifest.json"]);
    }

    /// <summary>A warehouse with calls in a folder the other user may write, so that only the folder made for each test stops it.</summary>
    private static ReportSample OpenSample()
    {
        var sample = ReportSample.Create(days: 2, callsPerDay: 5);
        File.SetUnixFileMode(sample.Folder, Open);
        foreach (var file in Directory.EnumerateFiles(sample.Folder)) File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
        return sample;
    }
}
