using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Loading;

/// <summary>
/// The ledger of ingest runs as people settle it: a run that failed or was cut short, whose records came in a way no
/// later run can recognise, resolved by hand (left open by the twenty-sixth and twenty-seventh sessions' probes: a cut
/// log moved to another folder, a cut pipe sent again, an error page replaced by the export all stayed listed for good).
/// </summary>
public sealed class RunLedgerTests
{
    private static readonly IngestOptions Defaults = new() { LockTimeout = TimeSpan.FromSeconds(60) };
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static TheoryData<Engine> Engines => TestWarehouse.Engines;

    private static IngestSummary Ingest(TestWarehouse w, params string[] paths) => IngestRunner.Run(w.Target, paths, Defaults);

    /// <summary>A JSON Lines log of <paramref name="calls"/> calls, cut inside its last line; and the whole text.</summary>
    private static (string Path, string Whole) CutLog(TestWarehouse w, string name, int calls)
    {
        var whole = string.Join("\n", Some.Calls(calls, days: 1).Select(c => c!.ToJsonString())) + "\n";
        return (w.Files.File(name, whole[..(whole.Length - 30)]), whole);
    }

    private static IReadOnlyList<ResolvedRun> Resolve(TestWarehouse w, string note, params long[] ids)
    {
        using var warehouse = w.Open();
        return RunLedger.Resolve(warehouse, ids, note, Wait);
    }

    private static LedgerListing List(TestWarehouse w, bool openOnly = true, int limit = 50)
    {
        using var warehouse = w.Open();
        return RunLedger.List(warehouse, openOnly, limit);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AResolvedCutRunIsNoLongerOpenAndARerunOfItsBytesNoLongerFails(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, whole) = CutLog(w, "pipe/app.jsonl", 9);
        Ingest(w, cut).ExitCode.Should().Be(ExitCode.InputError);
        // The whole log arrives under a name in another folder: it loads, but completes nothing.
        var elsewhere = w.Files.File("archive/app.jsonl", whole);
        Ingest(w, elsewhere).Files.Single().CompletedRuns.Should().BeEmpty();
        List(w).Runs.Should().ContainSingle().Which.RunId.Should().Be(1);
        Ingest(w, cut).ExitCode.Should().Be(ExitCode.InputError, "the same cut bytes are still incomplete");

        var results = Resolve(w, "  the whole log loaded from archive/app.jsonl  ", 1);

        results.Should().ContainSingle().Which.Outcome.Should().Be(Resolution.Resolved);
        results[0].Run.ResolvedNote.Should().Be("the whole log loaded from archive/app.jsonl", "the note is kept trimmed");
        List(w).Total.Should().Be(0);
        var all = List(w, openOnly: false);
        all.Runs.Single(r => r.RunId == 1).Should().Match<LedgerRun>(r => r.Status == "partial" && r.RecordsRead == 9 && !r.Open && r.ResolvedAt != null,
            "the run keeps what it recorded");
        var rerun = Ingest(w, cut);
        rerun.ExitCode.Should().Be(ExitCode.Success, "a schedule that reruns the cut bytes is not failed for a run resolved by hand");
        rerun.Files.Single().Message.Should().Contain("run 1 was resolved by hand: the whole log loaded from archive/app.jsonl");
        w.Scalar<long>("SELECT count(*) FROM calls").Should().Be(9, "resolving loads and removes nothing");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AResolvedRunIsStillCompletedByTheRunThatReadsItsWholeFile(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, whole) = CutLog(w, "app.jsonl", 6);
        Ingest(w, cut);
        Resolve(w, "rest expected from the writer's retry", 1);

        File.WriteAllText(cut, whole);
        Ingest(w, cut).Files.Single().CompletedRuns.Should().Equal(1L);

        w.Scalar<long?>("SELECT completed_by_run FROM ingest_runs WHERE run_id = 1").Should().Be(2);
        w.Scalar<long>("SELECT CAST(sum(rejected_records) AS BIGINT) FROM data_quality_daily").Should().Be(0, "the cut record was read whole");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ResolvingARunThatMissesNothingIsRefusedAndChangesNoRunGivenWithIt(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, _) = CutLog(w, "cut.jsonl", 4);
        Ingest(w, cut);
        Ingest(w, w.Files.File("good.jsonl", Some.JsonLines(Some.Calls(3, days: 1))));

        var refused = () => Resolve(w, "typo", 1, 2, 99);

        refused.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage
            && e.Message.Contains("run 2 succeeded, so nothing of it is missing", StringComparison.Ordinal)
            && e.Message.Contains("there is no run 99", StringComparison.Ordinal)
            && e.Message.Contains("nothing was changed", StringComparison.Ordinal));
        List(w).Runs.Should().ContainSingle().Which.RunId.Should().Be(1, "the open run given beside them is not resolved");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ResolvingAgainKeepsTheFirstNoteAndARunCompletedSinceIsLeftAsItWas(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (first, _) = CutLog(w, "a.jsonl", 4);
        var (second, secondWhole) = CutLog(w, "b.jsonl", 5);
        Ingest(w, first, second);
        File.WriteAllText(second, secondWhole);
        Ingest(w, second);
        Resolve(w, "first note", 1);

        var again = Resolve(w, "second note", 1, 2);

        again.Select(r => r.Outcome).Should().Equal(Resolution.AlreadyResolved, Resolution.AlreadyCompleted);
        w.Scalar<string>("SELECT resolved_note FROM ingest_runs WHERE run_id = 1").Should().Be("first note");
        w.Scalar<long>("SELECT count(*) FROM ingest_runs WHERE run_id = 2 AND resolved_at IS NULL").Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ReopeningUndoesAResolutionAndLeavesAnUnresolvedRunAsItWas(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (first, _) = CutLog(w, "a.jsonl", 4);
        var (second, _) = CutLog(w, "b.jsonl", 5);
        var runs = Ingest(w, first, second).Files.Select(f => f.RunId!.Value).ToArray();
        Resolve(w, "wrong run: meant the other one", runs[0]);
        Ingest(w, first).ExitCode.Should().Be(ExitCode.Success);

        List<ResolvedRun> reopened;
        using (var warehouse = w.Open()) reopened = [.. RunLedger.Reopen(warehouse, [runs[0], runs[1]], Wait)];

        reopened.Select(r => r.Outcome).Should().Equal(Resolution.Reopened, Resolution.NotResolved);
        List(w).Runs.Select(r => r.RunId).Should().BeEquivalentTo(runs, "both are open again");
        w.Scalar<long>("SELECT count(*) FROM ingest_runs WHERE resolved_note IS NOT NULL").Should().Be(0);
        Ingest(w, first).ExitCode.Should().Be(ExitCode.InputError, "the cut bytes are incomplete again");
        var succeeded = Ingest(w, w.Files.File("good.jsonl", Some.JsonLines(Some.Calls(2, days: 1)))).Files.Single().RunId!.Value;
        using (var warehouse = w.Open())
        {
            var refused = () => RunLedger.Reopen(warehouse, [succeeded], Wait);
            refused.Should().Throw<LlmLogException>().Where(e => e.Code == ExitCode.Usage && e.Message.Contains("can be reopened ('llmlog runs --all' lists the resolved ones)", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheListGivesTheNewestRunsFirstUpToItsLimitAndCountsTheRest(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        for (var i = 0; i < 3; i++) Ingest(w, w.Files.File($"{i}.jsonl", Some.JsonLines(Some.Calls(2 + i, days: 1))));

        var listing = List(w, openOnly: false, limit: 2);

        listing.Total.Should().Be(3);
        listing.Runs.Select(r => r.RunId).Should().Equal(3, 2);
        List(w, openOnly: false, limit: 0).Runs.Should().HaveCount(3, "0 lists every run");
    }

    // Found by probing: a line or paragraph separator, or a direction override that turned the rest of the runs table's
    // cell around, passed as "one line"; a zero-width space passed as a note that says something.
    [Theory]
    [InlineData("", "must say what became of the run's records")]
    [InlineData("   ", "must say what became of the run's records")]
    [InlineData("\u200b", "must say what became of the run's records")]
    [InlineData("two\nlines", "one line of plain text")]
    [InlineData("a\u2028b", "one line of plain text")]
    [InlineData("a\u2029b", "one line of plain text")]
    [InlineData("ok \u202eevil", "one line of plain text")]
    [InlineData("ok \u2067isolate", "one line of plain text")]
    public void ANoteThatSaysNothingOrIsNotOneLineIsRefused(string note, string said)
    {
        var check = () => RunLedger.CheckNote(note);

        check.Should().Throw<ArgumentException>().WithMessage($"*{said}*");
    }

    // Bug: 'llmlog ingest - </dev/null' recorded a failed run that no later run could complete, since standard input
    // cannot be read again: one empty pipe of a schedule kept 'runs --exit-code' at 3 until resolved by hand (found by
    // probing the docs), and so did the blank line of 'echo "$OUT" | llmlog ingest -' (found by review).
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task StandardInputWithNothingToLoadFailsTheRunButLeavesNoOpenRun(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);

        var empty = IngestRunner.Run(w.Target, ["-"], Defaults, standardInput: new MemoryStream());
        var blank = IngestRunner.Run(w.Target, ["-"], Defaults, standardInput: new MemoryStream("\uFEFF \n\n"u8.ToArray()));
        var text = IngestRunner.Run(w.Target, ["-"], Defaults, standardInput: new MemoryStream("502 Bad Gateway\n"u8.ToArray()));

        empty.ExitCode.Should().Be(ExitCode.InputError, "the command feeding it sent nothing");
        blank.ExitCode.Should().Be(ExitCode.InputError);
        empty.Files.Single().RunId.Should().BeNull("nothing was read, so nothing can be missing");
        blank.Files.Single().RunId.Should().BeNull("white space holds no record");
        text.ExitCode.Should().Be(ExitCode.InputError);
        List(w, openOnly: false).Runs.Should().ContainSingle("bytes that are not a log are kept as the run that read them")
            .Which.RunId.Should().Be(text.Files.Single().RunId);
    }

    [Fact]
    public void ANoteLongerThanTheReportPrintsIsRefused()
    {
        RunLedger.CheckNote(new string('x', RunLedger.MaxNoteLength)).Should().HaveLength(RunLedger.MaxNoteLength);
        var check = () => RunLedger.CheckNote(new string('x', RunLedger.MaxNoteLength + 1));

        check.Should().Throw<ArgumentException>().WithMessage("*501 characters long; keep it to 500*");
    }

    // Found by probing: 300 emoji were "600 characters long" (UTF-16 units), past the 500 the docs promise.
    [Fact]
    public void ANoteIsMeasuredInCharactersNotUtf16Units()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", RunLedger.MaxNoteLength));

        RunLedger.CheckNote(emoji).Should().Be(emoji);
        var check = () => RunLedger.CheckNote(emoji + "😀");
        check.Should().Throw<ArgumentException>().WithMessage("*501 characters long*");
    }

    // Found by probing: a landing folder that kept the error page whose run was resolved failed every scheduled run.
    // Found by review: under any name, it also skipped a copy of bytes a run failed to read (an I/O error hashes good
    // bytes), whose records were then never loaded.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheBytesOfAResolvedFailedRunAreSkippedAtItsPathAndReadAgainElsewhere(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var page = w.Files.File("landing/export.json", "<html><body>502 Bad Gateway</body></html>\n");
        var empty = w.Files.File("landing/empty.jsonl", "");
        var failed = Ingest(w, page, empty);
        failed.ExitCode.Should().Be(ExitCode.InputError);
        var pageRun = failed.Files[0].RunId!.Value;
        Resolve(w, "the export was downloaded again as export-2.json", pageRun, failed.Files[1].RunId!.Value);

        var again = Ingest(w, page, empty);
        var copy = Ingest(w, w.Files.File("elsewhere/export.json", File.ReadAllText(page)));

        again.ExitCode.Should().Be(ExitCode.Success, string.Join("; ", again.Files.Select(f => f.Message)));
        again.Files.Should().OnlyContain(f => f.Status == FileStatus.Skipped && f.Message!.Contains("and was resolved by hand: the export was downloaded again", StringComparison.Ordinal));
        again.Files[0].Message.Should().Contain($"run {pageRun} failed on these bytes");
        again.Files[0].ResolvedRun.Should().Be(pageRun, "--json names the resolved run a skip stands on");
        copy.ExitCode.Should().Be(ExitCode.InputError, "the same bytes elsewhere are read again: the resolution was of that path");
        var forced = IngestRunner.Run(w.Target, [page], Defaults with { Force = true });
        forced.ExitCode.Should().Be(ExitCode.InputError, "--force reads the bytes again");
    }

    // Found by review: after --force read the same cut bytes twice, resolving the newer run (the one 'llmlog runs' lists
    // first) left every rerun failing on the older one. Found by probing after: a rerun then passed, while the older run
    // stayed listed and the report still said its records were missing. Runs of the same file go together.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ResolvingOneOfSeveralRunsOfTheSameFileResolvesThemAllAndReopeningReopensThemAll(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, _) = CutLog(w, "app.jsonl", 5);
        var older = Ingest(w, cut).Files.Single().RunId!.Value;
        var newer = IngestRunner.Run(w.Target, [cut], Defaults with { Force = true }).Files.Single().RunId!.Value;
        var (other, _) = CutLog(w, "other.jsonl", 4);
        Ingest(w, other);

        var resolved = Resolve(w, "the rest came from the writer's spool", newer);

        resolved.Select(r => (r.Run.RunId, r.Outcome, r.With)).Should().Equal((newer, Resolution.Resolved, (long?)null), (older, Resolution.Resolved, newer));
        List(w).Runs.Should().ContainSingle().Which.FilePath.Should().Be(other, "another file's run is not the same file's");
        var rerun = Ingest(w, cut);
        rerun.ExitCode.Should().Be(ExitCode.Success, string.Join("; ", rerun.Files.Select(f => f.Message)));
        rerun.Files.Single().ResolvedRun.Should().Be(older, "--json names the resolved run a skip stands on");
        List<ResolvedRun> reopened;
        using (var warehouse = w.Open()) reopened = [.. RunLedger.Reopen(warehouse, [older], Wait)];
        reopened.Select(r => (r.Run.RunId, r.Outcome, r.With)).Should().Equal((older, Resolution.Reopened, (long?)null), (newer, Resolution.Reopened, older));
        List(w).Total.Should().Be(3);
    }

    // Found by probing: a resolution of an error page hid every later failure of the same bytes at that path, for good:
    // the next day's 502 page, or an empty file, exited 0 and was listed nowhere.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheSameBadBytesWrittenAgainAtAResolvedPathAreANewFailure(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        const string Page = "<html><body>502 Bad Gateway</body></html>\n";
        var page = w.Files.File("landing/export.json", Page);
        var empty = w.Files.File("landing/empty.jsonl", "");
        var day = new DateTime(2025, 3, 1, 6, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(page, day);
        File.SetLastWriteTimeUtc(empty, day);
        var failed = Ingest(w, page, empty);
        Resolve(w, "upstream 502, exported again", [.. failed.Files.Select(f => f.RunId!.Value)]);
        Ingest(w, page, empty).ExitCode.Should().Be(ExitCode.Success, "the files resolved, unchanged");

        File.WriteAllText(page, Some.JsonLines(Some.Calls(3, days: 1)));
        Ingest(w, page).ExitCode.Should().Be(ExitCode.Success);
        File.WriteAllText(page, Page);
        File.SetLastWriteTimeUtc(page, day.AddDays(2));
        File.SetLastWriteTimeUtc(empty, day.AddDays(2));
        var later = Ingest(w, page, empty);

        later.ExitCode.Should().Be(ExitCode.InputError, "the same bad bytes written again are a new failure");
        later.Files.Should().OnlyContain(f => f.Status == FileStatus.Failed);
        List(w).Total.Should().Be(2);
    }

    // Found by review: after a reopen, the kept error page was passed over unread (a skipped row kept its modification
    // time), so its next failure was recorded without its hash: resolving the first run again let reruns pass while the
    // new one stayed listed.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AReopenedErrorPageThatFailsAgainIsResolvedWithItsFirstRun(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var page = w.Files.File("landing/export.json", "<html><body>502 Bad Gateway</body></html>\n");
        var first = Ingest(w, page).Files.Single().RunId!.Value;
        Resolve(w, "upstream 502", first);
        Ingest(w, page).ExitCode.Should().Be(ExitCode.Success);
        using (var warehouse = w.Open()) RunLedger.Reopen(warehouse, [first], Wait);

        var again = Ingest(w, page);
        again.ExitCode.Should().Be(ExitCode.InputError);
        Resolve(w, "upstream 502, exported again as export-2.json", first).Should().HaveCount(2, "the run that failed again read the same file");

        List(w).Total.Should().Be(0);
        Ingest(w, page).ExitCode.Should().Be(ExitCode.Success);
    }

    // Found by review: reopening a run took with it another run of the same file that had been resolved on its own, and
    // dropped that run's note.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ReopeningARunLeavesAnotherResolutionOfTheSameFileAsItWas(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, _) = CutLog(w, "app.jsonl", 5);
        var a = Ingest(w, cut).Files.Single().RunId!.Value;
        Resolve(w, "first note", a);
        var b = IngestRunner.Run(w.Target, [cut], Defaults with { Force = true }).Files.Single().RunId!.Value;
        Resolve(w, "second note", b).Should().ContainSingle("the other run of the file was resolved before");

        List<ResolvedRun> reopened;
        using (var warehouse = w.Open()) reopened = [.. RunLedger.Reopen(warehouse, [b], Wait)];

        reopened.Should().ContainSingle().Which.Run.RunId.Should().Be(b);
        List(w, openOnly: false).Runs.Single(r => r.RunId == a).ResolvedNote.Should().Be("first note");
    }

    // Found by review: under --max-reject-rate a resolved skip lost its note to the rate's warning, whose share of
    // rejects was the cut record alone.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AResolvedSkipKeepsItsNoteUnderAMaximumRejectRate(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, _) = CutLog(w, "app.jsonl", 5);
        Resolve(w, "rest from the spool", Ingest(w, cut).Files.Single().RunId!.Value);

        var rerun = IngestRunner.Run(w.Target, [cut], Defaults with { MaxRejectRate = 0.01 });

        rerun.ExitCode.Should().Be(ExitCode.Success);
        rerun.Files.Single().Message.Should().Contain("was resolved by hand: rest from the spool");
    }

    // Found by the third probe: a forced copy of cut bytes in a backup folder stayed listed after the log itself was read
    // whole, though reruns of the copy passed; and a gzip cut inside a member (which fails) failed again on every run of
    // its backup copy, for good.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TheRunThatReadsAWholeFileCompletesTheRunsOfCopiesOfItsCutBytes(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, whole) = CutLog(w, "app.jsonl", 6);
        var backup = w.Files.File("backup/app.jsonl", File.ReadAllText(cut));
        var gzWhole = Some.Gzip(Some.JsonLines(Some.Calls(7, days: 2)));
        var gz = w.Files.File("logs/b.jsonl.gz", gzWhole[..(gzWhole.Length / 2)]);
        var gzBackup = w.Files.File("backup/b.jsonl.gz", gzWhole[..(gzWhole.Length / 2)]);
        Ingest(w, cut, gz, gzBackup);
        IngestRunner.Run(w.Target, [backup], Defaults with { Force = true }).Files.Single().Status.Should().Be(FileStatus.Partial);
        List(w).Total.Should().Be(4, "two cut logs and two cut gzips");

        File.WriteAllText(cut, whole);
        File.WriteAllBytes(gz, gzWhole);
        var read = Ingest(w, cut, gz);

        read.Files.Select(f => f.CompletedRuns.Count).Should().Equal(2, 2);
        List(w).Total.Should().Be(0, "the copies' records are in the whole files");
        var again = Ingest(w, backup, gzBackup);
        again.ExitCode.Should().Be(ExitCode.Success, string.Join("; ", again.Files.Select(f => f.Message)));
        again.Files[1].Message.Should().Contain("which end cut short, and run");
    }

    // Found by the third probe: a kept, resolved error page added a skipped row on every scheduled run.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AKeptResolvedErrorPageAddsNoRowAfterItsFirstSkip(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var page = w.Files.File("landing/x.json", "<html><body>502</body></html>\n");
        Resolve(w, "kept by the uploader", Ingest(w, page).Files.Single().RunId!.Value);
        Ingest(w, page);
        var rows = w.Scalar<long>("SELECT count(*) FROM ingest_runs");

        for (var i = 0; i < 3; i++) Ingest(w, page).ExitCode.Should().Be(ExitCode.Success);

        w.Scalar<long>("SELECT count(*) FROM ingest_runs").Should().Be(rows);
        LlmLog.Cli.IngestCommand.HumanSummary(Ingest(w, page)).Should().Contain("(1 skipped as resolved by hand)");
    }

    // Found by the third probe: resolving an already resolved run again left a forced re-read of its file, failed since,
    // open without a word, while reruns passed.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ResolvingAResolvedRunAgainTakesAlongARunOfItsFileFailedSince(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var page = w.Files.File("landing/err.json", "<html><body>502</body></html>\n");
        var first = Ingest(w, page).Files.Single().RunId!.Value;
        Resolve(w, "kept by the uploader", first);
        var forced = IngestRunner.Run(w.Target, [page], Defaults with { Force = true }).Files.Single().RunId!.Value;

        var again = Resolve(w, "still kept", first);

        again.Select(r => (r.Run.RunId, r.Outcome, r.With)).Should().Equal((first, Resolution.AlreadyResolved, (long?)null), (forced, Resolution.Resolved, first));
        List(w).Total.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ReopeningARunALaterRunCompletedLeavesItAsItWas(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        var (cut, whole) = CutLog(w, "app.jsonl", 5);
        var run = Ingest(w, cut).Files.Single().RunId!.Value;
        Resolve(w, "expected the writer's retry", run);
        File.WriteAllText(cut, whole);
        Ingest(w, cut).Files.Single().CompletedRuns.Should().Equal(run);

        List<ResolvedRun> reopened;
        using (var warehouse = w.Open()) reopened = [.. RunLedger.Reopen(warehouse, [run], Wait)];

        reopened.Single().Outcome.Should().Be(Resolution.AlreadyCompleted, "it misses nothing: the report would not list it again");
        List(w, openOnly: false).Runs.Single(r => r.RunId == run).ResolvedNote.Should().Be("expected the writer's retry", "nothing changed");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ARefusalNamesTenRunsAndCountsTheRest(Engine engine)
    {
        using var w = await TestWarehouse.CreateAsync(engine);
        Ingest(w, w.Files.File("good.jsonl", Some.JsonLines(Some.Calls(2, days: 1))));

        var refused = () => Resolve(w, "typo", [.. Enumerable.Range(100, 5000).Select(i => (long)i)]);

        refused.Should().Throw<LlmLogException>().Where(e => e.Message.Contains("there is no run 109; and 4990 more", StringComparison.Ordinal)
            && e.Message.Length < 1000);
    }
}
