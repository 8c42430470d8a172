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
        run.Stderr.Should().Contain($"cannot write {named}: the file is read-only for this user (mode 0444); make it writable (chmod u+w) or remove it");
        File.ReadAllText(file).Should().Be("precious");
        Directory.EnumerateFiles(sample.Folder, "*.partial").Should().BeEmpty();
        Directory.EnumerateFiles(sample.Folder, "u.*").Should().Equal([named], "nothing else was written before the refusal");
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
