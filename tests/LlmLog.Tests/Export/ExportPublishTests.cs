using System.Globalization;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Export;

/// <summary>
/// An export replaces what an earlier one wrote only once all of its own files are complete: stopped midway, or
/// racing another export to the same name, it never leaves a reader less than a whole export.
/// </summary>
public sealed class ExportPublishTests
{
    // Bug: a re-export into a --partition-by day tree deleted the old days first, so one killed midway left 19 of
    // 30 days, and the manifest still listed all 30 (found by probing ops).
    [Fact]
    public async Task AReExportKilledMidwayLeavesThePreviousTreeWhole()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 60_000, days: 20);
        var root = w.Files.Combine("lake");
        string[] export = ["export", "--table", "calls", "--format", "parquet", "--partition-by", "day", "--out", root, "--db", w.DbArgument];
        (await LlmLogProcess.RunAsync(w.Files.Path, export)).ExitCode.Should().Be(0);
        var before = Hashes(root);
        before.Should().HaveCount(20);

        // Killed as soon as it has staged its first file, with the old days still to be replaced. The poll runs on
        // this thread, not the busy thread pool; should the export still finish first, it is started again.
        var killed = false;
        for (var attempt = 0; attempt < 5 && !killed; attempt++)
        {
            using var again = LlmLogProcess.Start(w.Files.Path, export);
            again.StandardInput.Close();
            var clock = Stopwatch.StartNew();
            while (!again.HasExited && !Directory.EnumerateFiles(root, "*.partial", SearchOption.AllDirectories).Any() && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(2);
            }
            killed = !again.HasExited;
            if (killed) again.Kill(entireProcessTree: true);
            await again.WaitForExitAsync();
        }
        killed.Should().BeTrue("a re-export must be caught while it is writing");

        Hashes(root).Should().BeEquivalentTo(before, "every day of the previous export is still there, unchanged");
        (await LlmLogProcess.RunAsync(w.Files.Path, export)).ExitCode.Should().Be(0, "the next export replaces the tree");
        Directory.EnumerateFiles(root, "*.partial", SearchOption.AllDirectories).Should().BeEmpty("the replaced days' leftovers go with them");
    }

    // Bug: two exports to one --out shared calls.csv.partial; each deleted or locked the other's, both exited 3 and
    // no file was written (found by probing ops).
    [Fact]
    public async Task TwoExportsToTheSameFileAtOnceBothSucceedAndLeaveOneWholeFile()
    {
        // PostgreSQL: its readers run side by side (DuckDB's file lock lines exports up one after another); enough
        // calls that the exports' writing overlaps.
        using var w = await GeneratedWarehouseAsync(Engine.Postgres, calls: 40_000, days: 10);
        var single = w.Files.Combine("single.csv");
        var reference = w.Files.Combine("reference.csv");
        (await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", reference, "--db", w.DbArgument)).ExitCode.Should().Be(0);

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", single, "--db", w.DbArgument, "--lock-timeout", "60")));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", runs.Select(r => r.Stderr)));
        File.ReadAllBytes(single).Should().Equal(File.ReadAllBytes(reference));
        Directory.EnumerateFileSystemEntries(w.Files.Path, "*.partial").Should().BeEmpty();
    }

    // Found by review: an export into a --partition-by day tree cleared the days it replaced, and with them the staged
    // files of another export writing the same tree: that one failed with "cannot write …: Could not find file", exit 3.
    // Exports into one tree take turns.
    [Fact]
    public async Task ExportsIntoOnePartitionedTreeAtOnceTakeTurnsAndAllSucceed()
    {
        using var w = await GeneratedWarehouseAsync(Engine.Postgres, calls: 60_000, days: 20);
        var root = w.Files.Combine("lake");
        var reference = w.Files.Combine("reference");
        string[] Export(string to) => ["export", "--table", "calls", "--partition-by", "day", "--out", to, "--db", w.DbArgument, "--lock-timeout", "120"];
        (await LlmLogProcess.RunAsync(w.Files.Path, Export(reference))).ExitCode.Should().Be(0);

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
        {
            await Task.Delay(i * 400);
            return await LlmLogProcess.RunAsync(w.Files.Path, Export(root));
        }));

        runs.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", runs.Select(r => r.Stderr)));
        Hashes(root).Should().BeEquivalentTo(Hashes(reference));
        Directory.EnumerateFiles(root, "*.partial", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task AnExportWaitingForAnotherIntoItsTreeBeyondTheLockTimeoutExitsWithTheLockedCode()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 1_000, days: 2);
        var root = w.Files.Combine("lake");
        using (LlmLog.Export.ExportTreeLock.Take(root, TimeSpan.Zero))
        {
            var waited = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", root, "--db", w.DbArgument, "--lock-timeout", "1");

            waited.ExitCode.Should().Be((int)ExitCode.Locked, waited.Stderr);
            waited.Stderr.Should().Contain("another llmlog export is writing").And.Contain("--lock-timeout");
        }
        (await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", root, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        Directory.EnumerateDirectories(root, "day=*").Should().HaveCount(2);
    }

    // Found by review: two exports of one file put their files in place side by side, so that one's manifest could end
    // beside the other's data (another --model, or an ingest between them), and nothing a reader could check said so. They
    // publish one after the other, holding the folder as a tree's export holds its tree; held past --lock-timeout, the
    // export publishes nothing.
    [Fact]
    public async Task AnExportOfOneFileWaitsToPublishWhileAnotherExportHoldsItsFolder()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 1_000, days: 2);
        var csv = w.Files.Combine("calls.csv");
        string[] export = ["export", "--table", "calls", "--out", csv, "--db", w.DbArgument, "--lock-timeout", "1"];
        var before = Directory.GetFileSystemEntries(w.Files.Path);
        using (LlmLog.Export.ExportTreeLock.Take(w.Files.Path, TimeSpan.Zero))
        {
            var waited = await LlmLogProcess.RunAsync(w.Files.Path, export);

            waited.ExitCode.Should().Be((int)ExitCode.Locked, waited.Stderr);
            waited.Stderr.Should().Contain($"another llmlog export is writing {w.Files.Path}").And.Contain("--lock-timeout");
            Directory.GetFileSystemEntries(w.Files.Path).Should().BeEquivalentTo(before, "nothing was published, and nothing staged is left");
        }
        var run = await LlmLogProcess.RunAsync(w.Files.Path, export);
        run.ExitCode.Should().Be(0, run.Stderr);
        File.ReadLines(csv).Should().HaveCount(1_001);
    }

    // Found by review: an export into the folder of a tree whose first export was still running (no manifest beside the
    // tree yet) was not refused, and left the tree a file its next export refuses. It now waits for the tree's export and
    // is refused then, having published nothing.
    [Fact]
    public async Task AnExportIntoAFolderThatBecomesATreeWhileItRunsIsRefusedAndPublishesNothing()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 1_000, days: 2);
        var root = Directory.CreateDirectory(w.Files.Combine("lake")).FullName;
        var csv = Path.Combine(root, "calls.csv");
        LlmLogProcess.Result run;
        using (var tree = LlmLog.Export.ExportTreeLock.Take(root, TimeSpan.Zero))
        {
            var exporting = LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", csv, "--db", w.DbArgument, "--lock-timeout", "60");
            await Task.Delay(TimeSpan.FromSeconds(3));
            // The tree's first export finishes: its manifest goes beside the tree, and it lets go of the folder.
            File.WriteAllText(root + ".manifest.json", """{"partition_by": "day"}""");
            tree!.Dispose();
            run = await exporting;
        }

        run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
        run.Stderr.Should().Contain($"is inside {root}, a tree that an earlier export partitioned by day");
        Directory.GetFileSystemEntries(root).Should().BeEmpty("nothing was published into the tree, and nothing staged is left");
    }

    // Found by probing: the tree's lock, taken first, made a tree that cannot be created (under a file, or in a folder the
    // user may not write) an internal error with a stack trace, where it was exit 3, "cannot write".
    [Fact]
    public async Task APartitionedTreeThatCannotBeCreatedIsExit3NotAnInternalError()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 100, days: 1);
        var file = w.Files.File("afile", "x");

        var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", Path.Combine(file, "tree"), "--db", w.DbArgument);

        run.ExitCode.Should().Be((int)ExitCode.InputError, run.Stderr);
        run.Stderr.Should().Contain("cannot write").And.NotContain("Internal error").And.NotContain("   at ");
    }

    // A failed export into a tree in missing folders removed the tree's folder and left the folders above it (found by
    // probing the docs).
    [Fact]
    public async Task AFailedExportIntoATreeInMissingFoldersLeavesNoneOfThem()
    {
        using var folder = new TempFolder();

        var run = await LlmLogProcess.RunAsync(folder.Path, "export", "--table", "calls", "--partition-by", "day", "--out", Path.Combine("lake", "raw", "calls"),
            "--db", folder.Combine("missing.duckdb"));

        run.ExitCode.Should().Be((int)ExitCode.NoData, run.Stderr);
        Directory.Exists(folder.Combine("lake")).Should().BeFalse();
    }

    // An export into a folder inside a partitioned tree did not take turns with the tree's exports, and left the tree files
    // that its next export refused as "not an llmlog partition" (found by review). Refused before anything is written.
    [Fact]
    public async Task AnExportIntoAFolderInsideAPartitionedTreeIsRefusedAndTheTreesNextExportStillRuns()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 200, days: 2);
        var tree = Path.Combine(w.Files.Path, "lake", "calls");
        Directory.CreateDirectory(w.Files.Combine("lake"));
        (await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", tree, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var before = Directory.GetFileSystemEntries(tree, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var day = Directory.GetDirectories(tree, "day=*").Order(StringComparer.Ordinal).First();

        var file = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", Path.Combine(day, "mine.csv"), "--db", w.DbArgument);
        var root = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", Path.Combine(tree, "mine.csv"), "--db", w.DbArgument);
        var subtree = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--partition-by", "day", "--out", Path.Combine(tree, "daily"), "--db", w.DbArgument);

        foreach (var run in new[] { file, root, subtree })
        {
            run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
            run.Stderr.Should().Contain($"is inside {tree}, a tree that an earlier export partitioned by day").And.Contain("Choose a folder outside the tree");
        }
        // Nor a report or generated records (found by re-probing), which the tree's next export refused.
        var report = await LlmLogProcess.RunAsync(w.Files.Path, "report", "--out", Path.Combine(day, "r.html"), "--db", w.DbArgument);
        var generate = await LlmLogProcess.RunAsync(w.Files.Path, "generate", "5", "--out", Path.Combine(day, "g.jsonl"));
        foreach (var run in new[] { report, generate })
        {
            run.ExitCode.Should().Be((int)ExitCode.Usage, run.Stderr);
            run.Stderr.Should().Contain($"is inside {tree}, a tree that an earlier export partitioned by day");
        }
        Directory.GetFileSystemEntries(tree, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Should().Equal(before, "nothing was written into the tree");
        // A file put there by hand is named when the tree's next export refuses it (it said the day folder was not an
        // llmlog partition, found by re-probing).
        var stray = Path.Combine(day, "notes.txt");
        File.WriteAllText(stray, "mine");
        var refused = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", tree, "--db", w.DbArgument);
        refused.ExitCode.Should().Be((int)ExitCode.Usage, refused.Stderr);
        refused.Stderr.Should().Contain($"also holds {stray}, which llmlog did not write");
        File.Delete(stray);
        var again = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", tree, "--db", w.DbArgument);
        again.ExitCode.Should().Be(0, again.Stderr);
        // The tree's own files, and a file beside the tree, are not inside it.
        (await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", Path.Combine(w.Files.Path, "lake", "mine.csv"), "--db", w.DbArgument)).ExitCode.Should().Be(0);
    }

    // Found by review: a symbolic link into a tree's day folder wrote into it all the same; and a file named like a
    // manifest beside a folder above --out that was not llmlog's (another tool's JSON array, another shape) made the
    // export an internal error.
    [Fact]
    public async Task AnExportThroughALinkIntoATreeIsRefusedAndAnotherToolsManifestAboveTheOutputIsNotTakenForOne()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 200, days: 2);
        var tree = Path.Combine(w.Files.Path, "lake", "calls");
        Directory.CreateDirectory(Path.Combine(w.Files.Path, "lake"));
        (await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", tree, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        var day = Directory.GetDirectories(tree, "day=*").Order(StringComparer.Ordinal).First();
        var link = w.Files.Combine("shortcut");
        Directory.CreateSymbolicLink(link, day);
        Directory.CreateDirectory(w.Files.Combine("build"));
        File.WriteAllText(w.Files.Combine("build.manifest.json"), "[1, 2]");
        Directory.CreateDirectory(w.Files.Combine("other"));
        File.WriteAllText(w.Files.Combine("other.manifest.json"), """{"partition_by": 5}""");

        var throughLink = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", Path.Combine(link, "mine.csv"), "--db", w.DbArgument);
        // An --out that is itself a link to a file in a day folder (found by re-probing).
        File.CreateSymbolicLink(w.Files.Combine("flink.csv"), Path.Combine(day, "f.csv"));
        var fileLink = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", w.Files.Combine("flink.csv"), "--db", w.DbArgument);
        var underArray = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", Path.Combine(w.Files.Combine("build"), "daily.csv"), "--db", w.DbArgument);
        var underOther = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", Path.Combine(w.Files.Combine("other"), "daily.csv"), "--db", w.DbArgument);

        foreach (var refused in new[] { throughLink, fileLink })
        {
            refused.ExitCode.Should().Be((int)ExitCode.Usage, refused.Stderr);
            refused.Stderr.Should().Contain("a tree that an earlier export partitioned by day");
        }
        Directory.GetFiles(day).Should().OnlyContain(f => Path.GetFileName(f).StartsWith("part-", StringComparison.Ordinal));
        underArray.ExitCode.Should().Be(0, underArray.Stderr);
        underOther.ExitCode.Should().Be(0, underOther.Stderr);

        // Found by review: a key written twice in such a file stopped every command below it (exit 2, "An item with the
        // same key has already been added"); a link that leads to itself was an internal error; a tree whose --out is a
        // link to an empty day folder of another tree was written into it; another tool's Hive folder was called llmlog's.
        Directory.CreateDirectory(w.Files.Combine("dup"));
        File.WriteAllText(w.Files.Combine("dup.manifest.json"), """{"name": "x", "name": "y"}""");
        (await LlmLogProcess.RunAsync(w.Files.Path, "generate", "3", "--out", Path.Combine(w.Files.Combine("dup"), "g.jsonl"))).ExitCode.Should().Be(0);
        File.CreateSymbolicLink(w.Files.Combine("loop.csv"), w.Files.Combine("loop.csv"));
        var loop = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "daily", "--out", w.Files.Combine("loop.csv"), "--db", w.DbArgument);
        loop.ExitCode.Should().Be((int)ExitCode.Usage, loop.Stderr);
        loop.Stderr.Should().Contain("is a symbolic link that leads nowhere").And.NotContain("Internal error");
        var emptyDay = Path.Combine(tree, "day=2030-01-01");
        Directory.CreateDirectory(emptyDay);
        Directory.CreateSymbolicLink(w.Files.Combine("treelink"), emptyDay);
        var treeLink = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", w.Files.Combine("treelink"), "--db", w.DbArgument);
        treeLink.ExitCode.Should().Be((int)ExitCode.Usage, treeLink.Stderr);
        Directory.EnumerateFileSystemEntries(emptyDay).Should().BeEmpty();
        Directory.Delete(emptyDay);
        var hiveDay = Path.Combine(w.Files.Combine("hive"), "day=2024-01-01");
        Directory.CreateDirectory(hiveDay);
        File.WriteAllText(Path.Combine(hiveDay, "data_0.parquet"), "theirs");
        var hive = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--partition-by", "day", "--out", w.Files.Combine("hive"), "--db", w.DbArgument);
        hive.ExitCode.Should().Be((int)ExitCode.Usage, hive.Stderr);
        hive.Stderr.Should().Contain("which is not an llmlog partition").And.NotContain("is an llmlog tree");
    }

    // Found by probing DuckDB: an export killed with SIGKILL (the OOM killer, timeout -s KILL) left its staging file
    // beside its output for good, one more at each kill. The next export of that name removes the ones no process holds
    // that have not been written for ten minutes; one still held, or written a minute ago, stays.
    [Fact]
    public async Task AnExportRemovesTheStagingFilesKilledRunsLeftBesideItsFileButNotOneStillInUse()
    {
        using var w = await GeneratedWarehouseAsync(Engine.DuckDb, calls: 100, days: 1);
        var csv = w.Files.Combine("calls.csv");
        string Leftover(string hex, TimeSpan age)
        {
            var path = w.Files.File($".calls.csv.{hex}.partial", "half a file");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }
        var killed = Leftover("0123abcd", TimeSpan.FromHours(2));
        // An export names its staging files with 12 hexadecimal digits: those were missed (found by re-probing).
        var killedExport = Leftover("0123456789ab", TimeSpan.FromHours(2));
        var recent = Leftover("4567cdef", TimeSpan.FromMinutes(1));
        var held = Leftover("89ab0123", TimeSpan.FromHours(2));
        var notStaging = w.Files.File(".calls.csv.mine.partial", "a file of the user's");

        using (new FileStream(held, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            var run = await LlmLogProcess.RunAsync(w.Files.Path, "export", "--table", "calls", "--out", csv, "--db", w.DbArgument);
            run.ExitCode.Should().Be(0, run.Stderr);
        }

        File.Exists(killed).Should().BeFalse();
        File.Exists(killedExport).Should().BeFalse();
        new[] { recent, held, notStaging }.Should().OnlyContain(f => File.Exists(f));
    }

    // Bug: the data file was renamed into place before the schema files and the manifest were written, so an export
    // stopped in between left new rows beside the previous export's manifest (its row count, filters and hashes).
    [Fact]
    public async Task AnExportThatCannotFinishLeavesNoManifestOfAnotherExportBesideItsData()
    {
        using var w = await ExportFixtures.AwkwardWarehouseAsync(Engine.DuckDb);
        var csv = w.Files.Combine("calls.csv");
        var all = ExportFixtures.Export(w, "calls", csv).Rows;
        ExportFixtures.Export(w, "calls", csv, from: new DateOnly(2024, 12, 18)).Rows.Should().BeLessThan(all);
        // The CREATE TABLE file cannot be replaced: a folder now has its name.
        File.Delete(w.Files.Combine("calls.sql"));
        Directory.CreateDirectory(w.Files.Combine("calls.sql"));

        var act = () => ExportFixtures.Export(w, "calls", csv);

        act.Should().Throw<LlmLogException>().Which.Code.Should().Be(ExitCode.InputError);
        var manifest = w.Files.Combine("calls.manifest.json");
        if (File.Exists(manifest))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            var listed = document.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "calls.csv");
            listed.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(csv))), "a manifest describes the data beside it");
        }
    }

    private static async Task<TestWarehouse> GeneratedWarehouseAsync(Engine engine, int calls, int days)
    {
        var w = await TestWarehouse.CreateAsync(engine);
        var file = w.Files.Combine("calls.jsonl");
        string[] generate = ["generate", calls.ToString(CultureInfo.InvariantCulture), "--format", "jsonl", "--seed", "5", "--days", days.ToString(CultureInfo.InvariantCulture), "--out", file];
        (await LlmLogProcess.RunAsync(w.Files.Path, generate)).ExitCode.Should().Be(0);
        (await LlmLogProcess.RunAsync(w.Files.Path, "ingest", file, "--db", w.DbArgument)).ExitCode.Should().Be(0);
        return w;
    }

    // The files a reader sees: Spark, Hive and globs skip hidden names, such as a killed export's staged files.
    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
