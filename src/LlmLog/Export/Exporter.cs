using System.Globalization;
using Dapper;
using LlmLog.Transform;
using LlmLog.Warehouse;
using Serilog;

namespace LlmLog.Export;

/// <summary>
/// <c>llmlog export</c> from start to end: check the request, bring the marts up to date, read the selection
/// in one snapshot and stream it row by row into CSV or Parquet, then write the schema files and the manifest.
/// </summary>
public static class Exporter
{
    // Rows between two progress reports within one statement (a day of calls can hold millions).
    private const int ProgressRows = 1 << 16;

    public static ExportResult Run(DatabaseTarget target, ExportRequest request, Stream? standardOutput = null, string? sqlRoot = null, Action<ExportProgress>? progress = null)
    {
        var zone = Check(request);
        var layout = ExportLayout.For(request);
        // Before the tree is taken, which creates its folder: inside another tree, that folder was the other tree's
        // foreign file for a moment (found by review).
        if (!layout.ToStream) ExportTrees.RefuseInside("--out", layout.DataPath);
        RequireWritable(layout);
        // Before the checks of what the tree holds, which another export into it could change meanwhile.
        using var turn = layout.Partitioned ? TakeTree(layout, request) : null;
        try
        {
            OutputFile.RefuseClashes(target.Files, layout.Outputs);
            // Another DuckDB database than the warehouse, or the write-ahead log beside one, was replaced with exit 0,
            // where generate refused it (found by probing).
            foreach (var (what, path) in layout.Outputs)
            {
                OutputFile.RefuseDuckDbFiles(what, OutputFile.Resolve(path), path, "export", path == layout.DataPath ? "the exported rows" : what);
            }
            RefuseMixedTree(layout, request, zone);
            RefuseOrphaning(layout);
            RefuseStalingThroughLink(layout);

            // A missing warehouse is exit 6, and never created: UpToDateWarehouse.Open checks it before opening.
            try
            {
                var result = Write(target, request, zone, layout, standardOutput, sqlRoot, progress);
                turn?.Published();
                return result;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException || OutputFile.IsTooLarge(e))
            {
                // (The drivers wrap their own socket and file errors, so these come from the files being written.)
                throw CannotWrite(layout, e);
            }
        }
        catch
        {
            turn?.RemoveFolderMadeForNothing();
            throw;
        }
    }

    // Before the warehouse is read, and in the words a report uses: .NET's message named the hidden staging file, and a
    // read-only file was replaced with exit 0 (both found by probing as a non-root user). The files beside the data go
    // beside a link to it, maybe in another folder.
    private static void RequireWritable(ExportLayout layout)
    {
        if (layout.ToStream) return;
        if (layout.Partitioned)
        {
            OutputFile.RequireWritableTree(layout.DataPath, layout.DataPath);
            layout.RequireWritableDays();
        }
        else
        {
            var data = OutputFile.Resolve(layout.DataPath);
            OutputFile.RequireWritable(data, layout.DataPath);
            if (Path.GetDirectoryName(Path.GetFullPath(data)) != Path.GetDirectoryName(Path.GetFullPath(layout.ManifestPath)))
            {
                OutputFile.RequireWritableFolder(layout.ManifestPath, layout.ManifestPath);
            }
        }
        // The schema files and manifest are replaced with the data: one made read-only is refused as the data would be.
        foreach (var (_, path) in layout.Outputs.Skip(1)) OutputFile.RequireWritableFile(OutputFile.Resolve(path), path);
    }

    // A tree folder that cannot be made or opened is the user's to fix, exit 3, as any output that cannot be written: the
    // lock taken first made it an internal error (found by probing).
    private static ExportTreeLock? TakeTree(ExportLayout layout, ExportRequest request)
    {
        try
        {
            return ExportTreeLock.Take(layout.DataPath, request.LockTimeout);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(layout, e);
        }
    }

    // A folder llmlog may not write to, a full disk, a closed pipe, a file past a size limit (EFBIG, which was exit 2, a
    // usage error): the user's to fix, not a bug of llmlog's.
    // A closed standard output ('>&-') read "Access to the path is denied", where the other commands say it is closed (found by probing the CLI).
    private static LlmLogException CannotWrite(ExportLayout layout, Exception e) => layout.ToStdout && Cli.StandardOutput.Refused(e) ? Cli.StandardOutput.Unwritable(e) : new(ExitCode.InputError,
        $"cannot write {(layout.ToStdout ? "standard output" : layout.DataPath)}: {OutputFile.Reason(e)}", e);

    private static ExportResult Write(DatabaseTarget target, ExportRequest request, TimeZoneInfo zone, ExportLayout layout, Stream? standardOutput, string? sqlRoot,
        Action<ExportProgress>? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var table = request.Table;
        using var reads = OpenReads(target, request, zone, sqlRoot, out var plan);
        var warehouse = reads.Warehouse;
        var db = warehouse.Connection;
        var tx = reads.Transaction;

        var slots = table.Columns.Select((c, i) => new ExportColumnSlot(c, i))
            .Where(s => !(request.PartitionByDay && s.Ordinal == table.DayOrdinal))
            .ToList();
        var cells = new CsvCells(zone, request.SpreadsheetSafe);
        var dayOrdinal = table.DayOrdinal;
        // A reject's created_day is its UTC day whatever --timezone says, so the days its export stands for (manifest,
        // log) are those of its instant in the zone: an export of --from 2024-11-03 in New York said 2024-11-04.
        var instantOrdinal = table.DayOfInstantOrdinal;
        long rows = 0;
        DateOnly? minDay = null, maxDay = null;
        IReadOnlyList<WrittenFile> files;

        // Disposed at the end: until the export is published, whatever it staged is deleted on the way out.
        using var output = layout.Open(request.Format, slots, cells, standardOutput);
        output.Start();
        // Progress counts days: a statement of sparse days reads several.
        var partsDone = 0;
        var parts = plan.Queries.Sum(q => q.Days);
        foreach (var (reader, query) in reads.Run(plan.Queries).Zip(plan.Queries))
        {
            while (reader.Read())
            {
                DateOnly? day = dayOrdinal >= 0 && !reader.IsDBNull(dayOrdinal) ? ExportValues.Day(reader, dayOrdinal) : null;
                output.Write(reader, day);
                rows++;
                if (instantOrdinal >= 0)
                {
                    day = reader.IsDBNull(instantOrdinal) ? null : DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(ExportValues.Utc(reader, instantOrdinal), zone));
                }
                if (day is { } d)
                {
                    if (minDay is null || d < minDay) minDay = d;
                    if (maxDay is null || d > maxDay) maxDay = d;
                }
                if (rows % ProgressRows == 0) progress?.Invoke(new ExportProgress(table.Name, rows, partsDone, parts, clock.Elapsed));
            }
            partsDone += query.Days;
            progress?.Invoke(new ExportProgress(table.Name, rows, partsDone, parts, clock.Elapsed));
        }
        files = output.Complete();

        var result = new ExportResult { Table = table.Name, Rows = rows, DataFiles = files, MinDay = minDay, MaxDay = maxDay };
        if (layout.ToStream)
        {
            var where = layout.ToStdout ? "standard output" : layout.DataPath;
            // A mistyped --model into a pipe was one line of information, where into a file it warns with the model meant
            // (found by probing the CLI).
            if (rows == 0)
            {
                Log.Warning("No rows of {Table} match the selection; wrote {What} to {Where} (no schema files or manifest: they go beside a file){Hint}", table.Name,
                    EmptyData(request), where, NoRowsHint(request, warehouse, tx));
            }
            else
            {
                // "for a pipe" called /dev/null, a character device, and standard output, which may be a file, a pipe (found by probing the CLI).
                Log.Information("Exported {Rows:N0} rows of {Table} to {Where} (no schema files or manifest: they go beside a file)", rows, table.Name, where);
            }
            return result;
        }

        var fileColumns = slots.Select(s => s.Column).ToList();
        var staged = new List<(string Staged, string Final)>();
        try
        {
            return WriteBeside(target, request, zone, layout, output, reads, plan, result, fileColumns, staged);
        }
        finally
        {
            // Unpublished, what was staged beside the data goes with it (the data's own staged files go with output).
            foreach (var (path, _) in staged) File.Delete(path);
        }
    }

    // The schema files and the manifest, staged beside the data; then all of it is published.
    private static ExportResult WriteBeside(DatabaseTarget target, ExportRequest request, TimeZoneInfo zone, ExportLayout layout, ExportOutput output,
        ExportReads reads, ExportPlan plan, ExportResult result, List<ExportColumn> fileColumns, List<(string Staged, string Final)> staged)
    {
        var table = request.Table;
        var warehouse = reads.Warehouse;
        var db = warehouse.Connection;
        var tx = reads.Transaction;
        var files = result.DataFiles;
        var rows = result.Rows;
        string Stage(string final, string text)
        {
            var path = output.Stage(final);
            File.WriteAllText(path, text);
            staged.Add((path, final));
            return path;
        }
        var schemaJson = Stage(layout.SchemaJsonPath, SchemaFiles.BigQuery(fileColumns));
        var createTable = Stage(layout.CreateTablePath, SchemaFiles.Postgres(table, fileColumns, layout.Partitioned));

        if (warehouse.Engine == Engine.Postgres) db.Execute(warehouse.Sql.Get("export/manifest_session"), transaction: tx);
        var runs = plan.RunsBehind is { } behind
            ? db.Query<RunRow>(warehouse.Sql.Get(behind.SqlName), new DynamicParameters(behind.Parameters), tx)
                .Select(r => new RunBehind(r.run_id, r.file_path, r.file_sha256, r.status, r.finished_at)).ToList()
            : [];
        var priceTablesUsed = plan.FromUtc is { } fromUtc && plan.ToUtc is { } toUtc
            ? PriceTables.Used(warehouse, zone, fromUtc, toUtc, request.ModelFilter, tx)
            : [];
        var inForce = PriceTables.InForce(warehouse, tx);

        result = result with { SchemaJsonPath = layout.SchemaJsonPath, CreateTablePath = layout.CreateTablePath, ManifestPath = layout.ManifestPath };
        // Read where the bytes are: nothing is published before the manifest is written.
        var hashed = files.Select(f => (f.Path, f.StagedPath ?? f.Path)).Append((layout.SchemaJsonPath, schemaJson)).Append((layout.CreateTablePath, createTable)).ToList();
        var manifest = ExportManifest.Build(request, zone, Secrets.Mask(target.Display), result, runs, priceTablesUsed, inForce, fileColumns,
            Path.GetDirectoryName(Path.GetFullPath(layout.ManifestPath))!, hashed);
        Stage(layout.ManifestPath, manifest);
        Publish(layout, output, staged, request.LockTimeout);

        if (rows == 0)
        {
            if (request.PartitionByDay)
            {
                // "wrote no partition files (lake/calls) and the manifest" read as neither, where the manifest is written.
                Log.Warning("No rows of {Table} match the selection; wrote no partition files ({Path}); wrote the manifest ({Manifest}){Hint}", table.Name,
                    layout.DataPath, layout.ManifestPath, NoRowsHint(request, warehouse, tx));
            }
            else
            {
                Log.Warning("No rows of {Table} match the selection; wrote {What} ({Path}) and the manifest{Hint}", table.Name,
                    EmptyData(request), layout.DataPath, NoRowsHint(request, warehouse, tx));
            }
        }
        else
        {
            Log.Information("Exported {Rows:N0} " + Counting.Noun(rows, "row") + " of {Table} ({Days}) to {Path} in {Files} " + Counting.Noun(files.Count, "file") + "; manifest {Manifest}",
                rows, table.Name, DaysText(result.MinDay, result.MaxDay), layout.DataPath, files.Count, layout.ManifestPath);
        }
        return result;
    }

    private static string EmptyData(ExportRequest request) =>
        request.Format == ExportFormat.Csv ? "a header-only CSV" : "a Parquet file with no rows";

    // A mistyped --model is the likeliest reason: name the model as the warehouse spells it, or its models.
    private static string NoRowsHint(ExportRequest request, WarehouseConnection warehouse, System.Data.Common.DbTransaction tx) =>
        Transform.NoCalls.ModelHint(request.ModelFilter, () => Transform.NoCalls.KnownModels(warehouse, tx));

    /// <summary>
    /// A tree refreshed a few days at a time (<c>--from</c>/<c>--to</c>) keeps its other days, so its new days must be
    /// of the same export: of another table, format, zone, model filter or spreadsheet-safety they made two datasets of
    /// one. Days of another zone cut the day boundaries elsewhere: calls near them were in two folders, or in none
    /// (found by probing the export). The manifest the tree's last export left says what it is.
    /// </summary>
    private static void RefuseMixedTree(ExportLayout layout, ExportRequest request, TimeZoneInfo zone)
    {
        if (!layout.Partitioned || (request.From is null && request.To is null) || PreviousManifest(layout) is not { } old) return;
        var differences = new List<string>();
        void Compare(string what, string? before, string? now)
        {
            if (!string.Equals(before, now, StringComparison.Ordinal)) differences.Add($"{what} {before ?? "(none)"}, not {now ?? "(none)"}");
        }
        var filters = old["filters"] as System.Text.Json.Nodes.JsonObject;
        Compare("--table", ExportTrees.Text(old["table"]), request.Table.Name);
        Compare("--format", ExportTrees.Text(old["format"]), ExportManifest.FormatName(request.Format));
        Compare("--timezone", ExportTrees.Text(filters?["timezone"]), zone.Id);
        Compare("--model", ExportTrees.Text(filters?["model"]), request.ModelFilter.Length == 0 ? null : request.ModelFilter);
        Compare("--spreadsheet-safe", old["spreadsheet_safe"]?.ToJsonString(), request.SpreadsheetSafe ? "true" : "false");
        if (differences.Count == 0) return;
        throw new LlmLogException(ExitCode.Usage,
            $"--out {layout.DataPath} holds a tree exported with {string.Join(", ", differences)} (its manifest says so); refreshing some of its days "
            + "otherwise would mix two datasets in one tree. Use the same options, leave out --from/--to to export the whole tree again, or choose a new folder");
    }

    /// <summary>
    /// The files beside an export are named after its --out without the extension, so daily.csv after daily.parquet (or
    /// the tree daily/) would replace the manifest, schema and CREATE TABLE of the Parquet file and leave it with no record
    /// of what it holds or its checksum, without a word (found by probing the export). Refused while that other file is still there.
    /// </summary>
    private static void RefuseOrphaning(ExportLayout layout)
    {
        if (layout.ToStream || PreviousManifest(layout)?["files"] is not System.Text.Json.Nodes.JsonArray files) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(layout.ManifestPath))!;
        var ours = layout.Outputs.Select(o => Path.GetFullPath(o.Path)).ToHashSet(StringComparer.Ordinal);
        // A tree's files are its own to replace; calls.csv beside the tree calls/ is not (a default --partition-by day
        // export after a default CSV one took the CSV's manifest and schema files, found by probing the docs).
        var tree = layout.Partitioned ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(layout.DataPath)) + Path.DirectorySeparatorChar : null;
        foreach (var file in files)
        {
            if (ExportTrees.Text((file as System.Text.Json.Nodes.JsonObject)?["path"]) is not { } relative) continue;
            var described = Path.GetFullPath(Path.Combine(folder, relative));
            if (ours.Contains(described) || (tree is not null && described.StartsWith(tree, StringComparison.Ordinal)) || !File.Exists(described)) continue;
            throw new LlmLogException(ExitCode.Usage,
                $"{layout.ManifestPath} describes {described}, written by an earlier export; this one would replace that manifest and the schema files "
                + "beside it and leave it without them. Export to another name (the files beside an export are named after --out without its extension), "
                + "or move or remove the earlier files first");
        }
    }

    /// <summary>
    /// An --out that is a symbolic link rewrites the file behind it (the link is kept), but the schema files and manifest
    /// are written beside the link. When the file behind it is another export's, with that export's manifest beside it, the
    /// manifest would go on describing bytes that are no longer there (found by probing the export): refused instead.
    /// </summary>
    private static void RefuseStalingThroughLink(ExportLayout layout)
    {
        if (layout.ToStream || layout.Partitioned) return;
        var data = Path.GetFullPath(layout.DataPath);
        var behind = Path.GetFullPath(OutputFile.Resolve(data));
        if (string.Equals(behind, data, StringComparison.Ordinal)) return;
        var manifest = Path.Combine(Path.GetDirectoryName(behind)!, Path.GetFileNameWithoutExtension(behind) + ".manifest.json");
        if (string.Equals(manifest, Path.GetFullPath(layout.ManifestPath), StringComparison.Ordinal) || !File.Exists(manifest)) return;
        throw new LlmLogException(ExitCode.Usage,
            $"--out {layout.DataPath} is a symbolic link to {behind}, which an earlier export wrote and {manifest} describes; exporting through the link "
            + $"would replace that file and leave its manifest wrong. Export to {behind} itself, or to another name");
    }

    /// <summary>The manifest an earlier export left at this export's place, or null when there is none llmlog can read.</summary>
    private static System.Text.Json.Nodes.JsonObject? PreviousManifest(ExportLayout layout) => ExportTrees.Manifest(layout.ManifestPath);

    private static TimeZoneInfo Check(ExportRequest request)
    {
        var table = request.Table;
        DailyMetricsReader.CheckDayOrder(request.From, request.To);
        var zone = DailyMetricsReader.ResolveZone(request.TimeZone);
        if (request.ToStdout && request.Format != ExportFormat.Csv)
        {
            throw new LlmLogException(ExitCode.Usage, "--out - (standard output) writes CSV only; give a file path for Parquet");
        }
        if (request.ToStdout && request.PartitionByDay)
        {
            throw new LlmLogException(ExitCode.Usage, "--partition-by day writes a folder tree; give a folder with --out instead of -");
        }
        if (request.PartitionByDay && !table.Partitionable)
        {
            throw new LlmLogException(ExitCode.Usage, $"--table {table.Name} has no day column to partition by; leave out --partition-by");
        }
        if (request.SpreadsheetSafe && request.Format != ExportFormat.Csv)
        {
            throw new LlmLogException(ExitCode.Usage, "--spreadsheet-safe applies to CSV only (Parquet cells are typed and never evaluated as formulas)");
        }
        if (table.Name is "rejects" or "runs" && request.ModelFilter.Length > 0)
        {
            throw new LlmLogException(ExitCode.Usage, $"--model does not apply to --table {table.Name} (it has no model column)");
        }
        return zone;
    }

    // An export must never show stale marts: finish any refresh an interrupted ingest left behind. The writer
    // lock is held only for that and while the read sessions take their snapshot, and released before the
    // (possibly long) read.
    private static ExportReads OpenReads(DatabaseTarget target, ExportRequest request, TimeZoneInfo zone, string? sqlRoot, out ExportPlan plan)
    {
        using var writer = UpToDateWarehouse.Open(target, request.LockTimeout, sqlRoot, needsAggregatedDays: request.Table.ReadsAggregates);
        // DuckDB opens the file read-only only once no read-write connection to it is left (its file lock keeps
        // other writers out anyway); on PostgreSQL the lock stays until every read session has its snapshot.
        if (target.Engine == Engine.DuckDb) writer.Dispose();
        var reads = ExportReads.Open(target, request.LockTimeout, sqlRoot);
        try
        {
            var span = reads.Warehouse.Connection.QuerySingle<CallSpan>(reads.Warehouse.Sql.Get("metrics/call_span"), transaction: reads.Transaction);
            var callDays = request.Table.Name == "calls"
                ? reads.Warehouse.Connection.Query<object>(reads.Warehouse.Sql.Get("export/call_days"), transaction: reads.Transaction)
                    .Select(row => (IDictionary<string, object>)row)
                    .ToDictionary(row => DbValues.Day(row["day"]), row => Convert.ToInt64(row["calls"], CultureInfo.InvariantCulture))
                : null;
            plan = ExportPlan.For(request, zone, span.first_call, span.last_call, callDays);
            if (plan.Queries.Count > 1) reads.AddReadAhead();
            return reads;
        }
        catch
        {
            reads.Dispose();
            throw;
        }
    }

    // Everything is written before anything is replaced. The old manifest goes first and the new one comes last, so an
    // export stopped in between leaves files without a manifest, never beside another export's; a partitioned tree
    // loses its replaced days only now, when their new files are complete.
    // The manifest, removed first, keeps its mode and owners all the same: it came back root's and 0644 after a root run,
    // and the owner's next export refused it as read-only (found by probing this session's fixes).
    // Two exports of one file publish one after the other, holding the manifest's folder (a tree's exports hold the tree
    // throughout): renamed in place side by side, one's manifest could end beside the other's data (found by review). Only
    // the renames take turns, so that exports of other files into one folder still run side by side.
    private static void Publish(ExportLayout layout, ExportOutput output, List<(string Staged, string Final)> staged, TimeSpan lockWait)
    {
        using var turn = layout.Partitioned ? null : ExportTreeLock.TakeWhereReadable(Path.GetDirectoryName(Path.GetFullPath(layout.ManifestPath))!, lockWait);
        // The folder became a tree while this export ran (the tree's first export, which held it, has written its manifest).
        if (turn is not null) ExportTrees.RefuseInside("--out", layout.DataPath);
        var manifest = OutputFile.Resolve(layout.ManifestPath);
        var manifestWas = PartialFiles.KeptOf(manifest);
        File.Delete(manifest);
        layout.ClearReplacedDays(output.StagingSuffix);
        output.Publish();
        foreach (var (path, final) in staged)
        {
            var target = OutputFile.Resolve(final);
            if (target == manifest) PartialFiles.MoveIntoPlace(path, target, manifestWas);
            else PartialFiles.MoveIntoPlace(path, target);
        }
        staged.Clear();
    }

    private static string DaysText(DateOnly? min, DateOnly? max) =>
        min is { } a && max is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"days {a:yyyy-MM-dd} to {b:yyyy-MM-dd}")
            : "no day column";

    // Dapper maps by column name; the snake_case names match the SQL.
#pragma warning disable IDE1006, CA1812
    private sealed record CallSpan(DateTime? first_call, DateTime? last_call);

    private sealed record RunRow(long run_id, string file_path, string? file_sha256, string status, DateTime? finished_at);
#pragma warning restore IDE1006, CA1812
}
