using System.CommandLine;
using System.Diagnostics;
using System.Text;
using LlmLog.Report;
using LlmLog.Report.Html;
using LlmLog.Report.Pdf;
using LlmLog.Transform;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Cli;

/// <summary><c>llmlog report</c>: one self-contained HTML dashboard (and optionally a PDF) of the selection.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "HTML file to write: one self-contained file (inline charts and styles, no scripts, no network); - for standard output",
            DefaultValueFactory = _ => "dashboard.html",
            HelpName = "file",
        };
        output.NonEmptyPath("give the HTML file to write, - for standard output, or leave --out out for ./dashboard.html");
        var pdf = new Option<string?>("--pdf") { Description = "Also write the same report as a paginated PDF with vector charts", HelpName = "file" };
        pdf.NonEmptyPath("give the PDF file to write, or leave --pdf out for no PDF");
        var title = new Option<string?>("--title") { Description = "Title at the top of the report (default: LLM usage report)", HelpName = "text" };

        var command = new Command("report", "Write a dashboard of the warehouse: KPI tiles, 15 charts, daily and per-model tables, data quality and findings, as one HTML file that opens offline. "
            + "When every record of the period failed validation (no call, but rejected records), the report shows its data quality alone: "
            + "the rejected count, the reject reasons, the ingest runs and what to fix (exit 0). Exit 6 when the selection holds no call and no rejected record of its own, "
            + "or no call with --model (a rejected record has no model).")
        {
            output, pdf, SharedOptions.From, SharedOptions.To, SharedOptions.Model, SharedOptions.TimeZone, title, SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        command.SetAction(parse =>
        {
            var outOption = OutputFile.DashForStandardOutput(parse.GetValue(output))!;
            if (parse.GetValue(pdf) == StandardOutput)
            {
                // Binary PDF bytes on a terminal, or mixed into the HTML of --out -, help nobody.
                throw new LlmLogException(ExitCode.Usage, "--pdf - is not supported: give the PDF a file name (--out - writes the HTML to standard output)");
            }
            var selection = ReportSelection.Create(parse.GetValue(SharedOptions.From), parse.GetValue(SharedOptions.To), parse.GetValue(SharedOptions.Model), parse.GetValue(SharedOptions.TimeZone));
            var target = SharedOptions.Target(parse);
            var pdfOption = parse.GetValue(pdf) is { Length: > 0 } p ? p : null;
            (string, string)[] files = [.. outOption == StandardOutput ? [] : new[] { ("--out", outOption) }, .. pdfOption is null ? [] : new[] { ("--pdf", pdfOption) }];
            OutputFile.RefuseClashes(target.Files, files);
            foreach (var (what, path) in files) RefuseUnfitOutput(what, path);
            ReportData data;
            // The first report after a large ingest builds the report's marts of the days it changed: seconds to show.
            using (var progress = ProgressLine.Enabled ? new ProgressLine() : null)
            {
                data = Build(target, selection, parse.GetValue(title), TimeSpan.FromSeconds(parse.GetValue(SharedOptions.LockTimeout)), progress: progress is null ? null : progress.Report);
            }
            var watch = Stopwatch.StartNew();
            if (outOption == StandardOutput)
            {
                WriteStandardOutput(HtmlReportWriter.Render(data));
                LogWritten("the report to standard output", data);
            }
            else
            {
                var htmlPath = Path.GetFullPath(outOption);
                WriteFile(htmlPath, p => HtmlReportWriter.Write(data, p));
                LogWritten(htmlPath, data);
            }
            Log.Debug("Rendered the HTML in {Seconds:0.000} s", watch.Elapsed.TotalSeconds);
            if (pdfOption is not null)
            {
                var pdfPath = Path.GetFullPath(pdfOption);
                WriteFile(pdfPath, p => PdfReportWriter.Write(data, p));
                Log.Information("Wrote {Path}", pdfPath);
            }
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static void LogWritten(string where, ReportData data)
    {
        if (data.HasCalls) Log.Information("Wrote {Path}: {Calls:N0} " + Counting.Noun(data.Kpis.Calls, "call") + " over {Days:N0} " + Counting.Noun(data.Days.Count, "day"), where, data.Kpis.Calls, data.Days.Count);
        else if (data.Kpis.RejectedRecords == 1) Log.Warning("Wrote {Path}: no call, only data quality: the {Rejected} record of the period failed validation", where, data.Kpis.RejectedRecords);
        else Log.Warning("Wrote {Path}: no call, only data quality: all {Rejected:N0} records of the period failed validation", where, data.Kpis.RejectedRecords);
    }

    // Checked before the warehouse is read: a folder as --pdf used to fail only after the HTML was written. A name
    // that says another kind of file than the one written (HTML in r.pdf, a PDF in r.html, plain bytes in r.html.gz)
    // was written all the same, and opened as garbage.
    private static void RefuseUnfitOutput(string what, string path)
    {
        var pdf = what == "--pdf";
        OutputFile.RefuseNonUtf8Name(what, path);
        OutputFile.RefuseCompressedName(what, path, pdf ? "the PDF" : "the HTML", pdf ? null : "llmlog report ...");
        if (!pdf && HasEnding(path, ".pdf"))
        {
            throw new LlmLogException(ExitCode.Usage, $"--out {path} names a PDF, but --out writes the HTML dashboard; write the PDF with --pdf {path}");
        }
        if (pdf && (HasEnding(path, ".html") || HasEnding(path, ".htm")))
        {
            throw new LlmLogException(ExitCode.Usage, $"--pdf {path} names an HTML file, but --pdf writes a PDF; write the HTML with --out {path}");
        }
        if (pdf) OutputFile.RefuseNameOfAnotherKind(what, path, "a PDF", ".pdf");
        else OutputFile.RefuseNameOfAnotherKind(what, path, "the HTML dashboard", ".html", ".htm");
        if (Directory.Exists(path))
        {
            throw new LlmLogException(ExitCode.Usage, $"{what} {path} is a folder; give a file name such as {Path.Combine(path, pdf ? "dashboard.pdf" : "dashboard.html")}");
        }
        var target = OutputFile.Resolve(path);
        // Another DuckDB database than the warehouse (one not named .duckdb), or the write-ahead log beside one, was
        // replaced with exit 0, where generate refused it (found by probing).
        OutputFile.RefuseDuckDbFiles(what, target, path, "report", pdf ? "the PDF" : "the HTML dashboard");
        RequireFolderOf(Path.GetFullPath(target));
        // Before the folder is tried with a file of its own, which a tree's export would see for a moment (found by review).
        Export.ExportTrees.RefuseInside(what, path);
        OutputFile.RequireWritable(target, path);
    }

    private static bool HasEnding(string path, string ending) => path.EndsWith(ending, StringComparison.OrdinalIgnoreCase);

    private static void RequireFolderOf(string path)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            throw OutputFile.MissingFolder(path, dir, $"cannot write {path}: the folder {dir} does not exist");
        }
    }

    /// <summary>
    /// Opens the warehouse as <c>llmlog summary</c> does — migrated, and with any days an interrupted ingest
    /// left dirty rebuilt first — so the report never shows stale marts, then builds the report.
    /// </summary>
    public static ReportData Build(DatabaseTarget target, ReportSelection selection, string? title, TimeSpan lockTimeout, DateTime? generatedAtUtc = null, Action<RefreshProgress>? progress = null)
    {
        using var reads = OpenReads(target, selection, lockTimeout, progress);
        return Build(reads, selection, title, generatedAtUtc);
    }

    /// <summary>
    /// The warehouse brought up to date and the report's sessions in one snapshot of it. On PostgreSQL the writer
    /// lock is then released, so that an ingest or transform scheduled beside a long report (another zone or a
    /// model filter reads the call rows) goes ahead instead of waiting for it; the report reads what was there
    /// when it started.
    /// </summary>
    internal static ReportQueries OpenReads(DatabaseTarget target, ReportSelection selection, TimeSpan lockTimeout, Action<RefreshProgress>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        var db = UpToDateWarehouse.Open(target, lockTimeout);
        ReportQueries? queries = null;
        try
        {
            // Another zone or a model filter reads the call rows: the report's marts wait for the next UTC report.
            var useMarts = !ReportQueries.MartsCanServe(selection) || UpToDateWarehouse.TryRefreshReportDays(db, progress);
            queries = ReportQueries.InOneSnapshot(db, useMarts);
            db.ReleaseWriterLock();
            Log.Debug("Opened the warehouse, refreshed dirty days and took the report's snapshot in {Seconds:0.000} s", watch.Elapsed.TotalSeconds);
            return queries;
        }
        catch
        {
            if (queries is null) db.Dispose();
            else queries.Dispose();
            throw;
        }
    }

    internal static ReportData Build(ReportQueries reads, ReportSelection selection, string? title, DateTime? generatedAtUtc = null)
    {
        var watch = Stopwatch.StartNew();
        var data = ReportBuilder.Build(reads, selection, title, reads.Engine == Engine.Postgres ? "PostgreSQL" : "DuckDB", generatedAtUtc ?? Clock.UtcNow);
        Log.Debug("Read the report's numbers in {Seconds:0.000} s", watch.Elapsed.TotalSeconds);
        return data;
    }

    /// <summary>What <c>--out</c> takes for standard output, as <c>llmlog export</c> does.</summary>
    public const string StandardOutput = "-";

    /// <summary>The whole page at once, rendered before the first byte, so a failed report writes nothing to the pipe.</summary>
    private static void WriteStandardOutput(string html)
    {
        try
        {
            using var stdout = OutputFile.OpenStandardOutput();
            stdout.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html));
            stdout.Flush();
        }
        catch (Exception e) when (Cli.StandardOutput.Refused(e))
        {
            throw Cli.StandardOutput.Unwritable(e);
        }
    }

    /// <summary>
    /// Writes beside the target and renames, so a failed run never leaves half a report behind; a pipe or device
    /// (a FIFO, /dev/null) is written into, since a rename would replace it.
    /// </summary>
    private static void WriteFile(string named, Action<string> write)
    {
        // stat follows links, so a pipe behind one (bash's >(...) gives /dev/fd/63) is found by its own name.
        if (FileKind.IsPipeOrDevice(named))
        {
            try
            {
                write(named);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LlmLogException(ExitCode.InputError, $"cannot write {named}: {OutputFile.Reason(e)}", e);
            }
        }
        var path = OutputFile.Resolve(named);
        // Checked before the report was built as well; again here, since File.Delete of the temp file below fails on a folder gone meanwhile.
        RequireFolderOf(path);
        var temp = OutputFile.StagingNameBeside(path);
        PartialFiles.Add(temp);
        try
        {
            write(temp);
            PartialFiles.MoveIntoPlace(temp, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || OutputFile.IsTooLarge(e))
        {
            // EFBIG (a report past a file size limit) was exit 2, a usage error, and left the cut-off .tmp behind.
            File.Delete(temp);
            throw new LlmLogException(ExitCode.InputError, $"cannot write {path}: {OutputFile.Reason(e)}", e);
        }
    }
}
