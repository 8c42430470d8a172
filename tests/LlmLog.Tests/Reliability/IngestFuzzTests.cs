using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using LlmLog.Loading;
using LlmLog.Reading;
using LlmLog.Tests.Support;
using LlmLog.Validation;
using LlmLog.Warehouse;
using Xunit.Abstractions;

namespace LlmLog.Tests.Reliability;

/// <summary>
/// Mutates valid exports thousands of times with a fixed seed — byte flips, insertions, deletions,
/// truncations, gzip corruption — and after every ingest checks that nothing threw, that the counts
/// add up, that the warehouse holds exactly what the reader and validator made of the bytes, and
/// (every so often) that it equals a clean run into a fresh warehouse.
/// </summary>
[Collection(Alone.Name)]
public class IngestFuzzTests(ITestOutputHelper output)
{
    /// <summary>Set to run longer than the default, e.g. <c>LLMLOG_FUZZ_ITERATIONS=100000</c>.</summary>
    public const string IterationsVariable = "LLMLOG_FUZZ_ITERATIONS";

    /// <summary>Set to fuzz from another seed; the default is fixed so a failure repeats.</summary>
    public const string SeedVariable = "LLMLOG_FUZZ_SEED";

    // Each input is a full DuckDB ingest (read, validate, load, settle, commit); 500 keep the default suite quick
    // on a shared 2-core machine, and LLMLOG_FUZZ_ITERATIONS runs as many as wanted.
    private const int DefaultIterations = 500;
    private const int BatchSize = 10;
    private const int CleanRunEvery = 10;

    private static string InMemoryDisk => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    [Fact]
    public void MutatedExportsNeverCrashAndLeaveExactlyWhatACleanRunWould()
    {
        var iterations = int.Parse(Environment.GetEnvironmentVariable(IterationsVariable) ?? DefaultIterations.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var seed = int.Parse(Environment.GetEnvironmentVariable(SeedVariable) ?? "20261122", CultureInfo.InvariantCulture);
        var random = new Random(seed);
        var bases = Bases();
        // tmpfs: thousands of commits would otherwise wait on the disk, not on llmlog.
        using var folder = new TempFolder(InMemoryDisk);
        var target = DatabaseTarget.Parse(folder.Combine("fuzz.duckdb"));
        var options = new IngestOptions { LockTimeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var stats = new SortedDictionary<string, int>(StringComparer.Ordinal);
        // Held open for the whole run: DuckDB.NET shares one database instance per file within a process, so
        // each ingest's own open is cheap, and the checks below read through it.
        using var held = WarehouseConnection.Open(target, TimeSpan.FromSeconds(30));
        var db = held.Connection;
        // Everything ingest and the marts write; the migrations and the price table in force stay.
        var dataTables = db.Query<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
            .Where(t => t is not ("schema_migrations" or "price_tables" or "model_prices")).ToList();

        for (var batch = 0; batch * BatchSize < iterations; batch++)
        {
            // Several mutated inputs per command, as a folder of exports would be: cross-file duplicates and skips are checked too.
            var inputs = new List<(string Path, byte[] Bytes, string How)>();
            for (var k = 0; k < BatchSize && batch * BatchSize + k < iterations; k++)
            {
                var (name, original) = bases[random.Next(bases.Count)];
                var (bytes, how) = Mutate(original, name.EndsWith(".gz", StringComparison.Ordinal), random);
                inputs.Add((folder.File($"{k:00}-{name}", bytes), bytes, $"{name}: {how}"));
            }
            // Cheap: an assertion builds its message whether or not it fails, so the inputs are kept only in the catch below.
            string Context() => $"batch {batch} (seed {seed})";

            try
            {
                foreach (var table in dataTables) db.Execute($"DELETE FROM {table}");
                var oracle = new Oracle();
                var expected = inputs.Select(x => oracle.Read(x.Path, x.Bytes)).ToList();
                var summary = IngestRunner.Run(target, inputs.Select(x => x.Path).ToList(), options);

                summary.Files.Should().HaveCount(inputs.Count, Context());
                for (var k = 0; k < inputs.Count; k++)
                {
                    var file = summary.Files[k];
                    var want = expected[k];
                    var where = $"input {k} ({inputs[k].How}), {Context()}";
                    stats[file.Status.ToString()] = stats.GetValueOrDefault(file.Status.ToString()) + 1;
                    (file.Read == file.Loaded + file.Duplicates + file.Rejected).Should().BeTrue($"read = loaded + duplicates + rejected, {where}");
                    (file.Status, file.Read, file.Rejected, file.Loaded, file.Duplicates).Should().Be(
                        (want.Status, want.Read, want.Rejected, want.Loaded, want.Read - want.Rejected - want.Loaded), where);
                }
                var calls = db.Query<(string, string)>("SELECT record_id, raw FROM calls ORDER BY record_id").ToList();
                calls.Should().Equal(oracle.Calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value)), Context());
                db.ExecuteScalar<long>("SELECT count(*) FROM rejects").Should().Be(oracle.Rejects.Count, Context());
                // PostgreSQL must be able to store what DuckDB stored here: a reason or field quoting a NUL failed a whole file there.
                db.Query<string>("SELECT coalesce(field, '') || reason FROM rejects").Where(t => t.Any(char.IsControl))
                    .Should().BeEmpty($"rejects quote bad values with escapes, not raw control characters, {Context()}");

                if (batch % CleanRunEvery == 0)
                {
                    // The reused warehouse must not differ from a fresh one given the same bytes, nor change when they are read again.
                    var reused = WarehouseState.Of(db);
                    using var freshFolder = new TempFolder(InMemoryDisk);
                    var fresh = DatabaseTarget.Parse(freshFolder.Combine("fresh.duckdb"));
                    IngestRunner.Run(fresh, inputs.Select(x => x.Path).ToList(), options);
                    using (var f = WarehouseConnection.Open(fresh, TimeSpan.FromSeconds(30)))
                    {
                        WarehouseState.Of(f.Connection).Should().BeEquivalentTo(reused, o => o.WithStrictOrdering(), Context());
                    }
                    IngestRunner.Run(target, inputs.Select(x => x.Path).ToList(), options with { Force = true });
                    WarehouseState.Of(db).Should().BeEquivalentTo(reused, o => o.WithStrictOrdering(), "a forced re-read changes nothing; " + Context());
                }
            }
            catch (Exception e)
            {
                // A failing batch is kept so its inputs can become corpus cases.
                throw new Xunit.Sdk.XunitException($"{Context()}; inputs kept at {Keep(inputs, batch)}: {e}", e);
            }
            foreach (var x in inputs) File.Delete(x.Path);
        }

        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{iterations} mutated inputs (seed {seed}) in {clock.Elapsed.TotalSeconds:0.0} s; outcomes: {string.Join(", ", stats.Select(s => $"{s.Key} {s.Value}"))}; managed heap {memoryBefore / 1e6:0.0} MB -> {memoryAfter / 1e6:0.0} MB"));
        (memoryAfter - memoryBefore).Should().BeLessThan(64L << 20, "memory must not grow with the number of inputs read");
    }

    /// <summary>Valid inputs in every shape llmlog reads, small enough that thousands of runs stay fast.</summary>
    private static List<(string Name, byte[] Bytes)> Bases()
    {
        // Built here, not with Some.Call, whose shared counter would make the bases depend on which tests ran first.
        var records = Enumerable.Range(0, 24).Select(i => (JsonNode?)Record(i, streamed: i % 4 == 3)).ToList();
        var withId = records.Take(6).Select((r, i) => { var o = JsonNode.Parse(r!.ToJsonString())!.AsObject(); o["id"] = $"call-{i}"; return (JsonNode?)o; });
        var jsonl = Some.JsonLines(records.Take(12));
        return
        [
            ("export.json", Encoding.UTF8.GetBytes(Some.Export(records.Take(12)))),
            ("schema-first.json", Encoding.UTF8.GetBytes(Some.Export(records.Skip(12), schemaFirst: true))),
            ("array.json", Encoding.UTF8.GetBytes("[" + string.Join(",", records.Skip(6).Take(10).Select(r => r!.ToJsonString())) + "]")),
            ("calls.jsonl", Encoding.UTF8.GetBytes(jsonl + Some.JsonLines(withId))),
            ("calls.jsonl.gz", Some.Gzip(jsonl)),
            ("export.json.gz", Some.Gzip(Some.Export(records.Skip(4).Take(8)))),
        ];
    }

    private static JsonObject Record(int i, bool streamed)
    {
        var start = 1733817600.125 + i * 18000.5;
        var metrics = new JsonObject { ["end"] = start + 3.25 + i, ["start"] = start, ["time_to_first_token"] = 0.5 + i / 10.0 };
        if (!streamed)
        {
            metrics["prompt_tokens"] = 300 + i;
            metrics["completion_tokens"] = 800 + 2 * i;
            metrics["tokens"] = 1100 + 3 * i;
        }
        return new JsonObject
        {
            ["created"] = new DateTime(2024, 12, 10, 8, 0, 0, DateTimeKind.Utc).AddHours(i * 5).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["model"] = i % 3 == 0 ? "gpt-4o-mini-2024-07-18" : "gpt-4o-2024-11-20",
            ["stream"] = streamed,
            ["max_tokens"] = 16000,
            ["temperature"] = 0.7,
            ["type"] = i % 5 == 0 ? "json_schema" : "text",
            ["metrics"] = metrics,
        };
    }

    private static readonly byte[] Significant = "{}[]\",:\\\n \t0-.eE9tfnu\u00ff"u8.ToArray();

    // Whole tokens that single-byte edits almost never spell: escapes that decode to nothing storable,
    // numbers no type holds, literals JSON lacks, and structure that opens without closing.
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\\u0000", "\\ud800", "\\udfff", "\\uD83D\\uDE00", "\\", "NaN", "-Infinity", "1e400", "-0", "18446744073709551616",
            "null", "true", "[]", "{}", "[[[[[[[[", "{\"a\":", "\"model\": 1, ", "\"metrics\": [], ", "\"created\": \"2024-02-30 10:00:00\", ",
            ",", "]", "}", "\n", "\r\n", "\uFEFF", "\u2028", "\"data\": null, ",
            // Values a reason quotes: a NUL or an escape sequence must reach the rejects table escaped.
            "\"stream\": \"a\\u0000\", ", "\"created\": \"\\u001b[2J\", ",
        }.Select(t => Encoding.UTF8.GetBytes(t)),
        [0x00], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0x1F, 0x8B],
    ];

    /// <summary>One to three random edits; gzip inputs are corrupted either in their compressed bytes or inside.</summary>
    private static (byte[] Bytes, string How) Mutate(byte[] original, bool gzip, Random random)
    {
        if (gzip && random.Next(2) == 0)
        {
            var inner = Gunzip(original);
            var (edited, how) = Edit(inner, random);
            return (GzipBytes(edited), "inside gzip: " + how);
        }
        var result = Edit(original, random);
        return (result.Bytes, (gzip ? "gzip bytes: " : "") + result.How);
    }

    private static (byte[] Bytes, string How) Edit(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var steps = new List<string>();
        var count = random.Next(1, 4);
        for (var s = 0; s < count && bytes.Count > 0; s++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 6:
                    var token = Tokens[random.Next(Tokens.Length)];
                    bytes.InsertRange(at, token);
                    steps.Add($"insert token {Convert.ToHexString(token)} at {at}");
                    break;
                case 0:
                    var bit = (byte)(1 << random.Next(8));
                    bytes[at] ^= bit;
                    steps.Add($"flip bit {bit:X2} at {at}");
                    break;
                case 1:
                    var b = random.Next(3) == 0 ? (byte)random.Next(256) : Significant[random.Next(Significant.Length)];
                    bytes.Insert(at, b);
                    steps.Add($"insert {b:X2} at {at}");
                    break;
                case 2:
                    var n = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.RemoveRange(at, n);
                    steps.Add($"delete {n} at {at}");
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    steps.Add($"truncate at {at}");
                    break;
                case 4:
                    var len = Math.Min(random.Next(1, 200), bytes.Count - at);
                    var to = random.Next(bytes.Count);
                    bytes.InsertRange(to, bytes.GetRange(at, len));
                    steps.Add($"copy {len} from {at} to {to}");
                    break;
                default:
                    bytes[at] = Significant[random.Next(Significant.Length)];
                    steps.Add($"set {bytes[at]:X2} at {at}");
                    break;
            }
        }
        return (bytes.ToArray(), string.Join("; ", steps));
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] GzipBytes(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(data);
        return output.ToArray();
    }

    // Writes a failing batch's inputs where they outlive the run (a fixed folder per batch, replaced by the next failure).
    private static string Keep(List<(string Path, byte[] Bytes, string How)> inputs, int batch)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"llmlog-fuzz-batch-{batch}")).FullName;
        foreach (var x in inputs) File.WriteAllBytes(Path.Combine(dir, Path.GetFileName(x.Path)), x.Bytes);
        File.WriteAllLines(Path.Combine(dir, "mutations.txt"), inputs.Select(x => x.How));
        return dir;
    }

    /// <summary>What one input should come to, by the oracle.</summary>
    private sealed record Outcome(FileStatus Status, long Read, long Rejected, long Loaded);

    /// <summary>
    /// The reader and validator alone, with the warehouse's rules written out plainly — a file whose bytes
    /// loaded before is skipped, a call or reject already kept is a duplicate (so is a bad record whose id another
    /// input loaded as a call), a file that cannot be read
    /// leaves nothing — as the model the warehouse must match.
    /// </summary>
    private sealed class Oracle
    {
        private readonly HashSet<string> _loadedFiles = new(StringComparer.Ordinal);
        private readonly CallRecordValidator _validator = new();
        private readonly CallRow _row = new();

        public Dictionary<string, string> Calls { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Rejects { get; } = new(StringComparer.Ordinal);

        public Outcome Read(string path, byte[] bytes)
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            if (_loadedFiles.Contains(sha)) return new Outcome(FileStatus.Skipped, 0, 0, 0);
            var calls = new Dictionary<string, string>(StringComparer.Ordinal);
            var rejects = new HashSet<string>(StringComparer.Ordinal);
            var copies = new Dictionary<string, int>(StringComparer.Ordinal);
            long read = 0, rejected = 0;
            var status = FileStatus.Succeeded;
            try
            {
                using var stream = InputFiles.Open(new InputSource(path));
                using var reader = new LogRecordReader(stream, path);
                foreach (var raw in reader.Records())
                {
                    read++;
                    var outcome = raw.SyntaxError is { } why ? new ValidationResult(new Rejection(null, why), null) : _validator.Validate(raw.Utf8.Span, _row);
                    if (outcome.IsAccepted)
                    {
                        if (!Calls.ContainsKey(_row.RecordId)) calls.TryAdd(_row.RecordId, Encoding.UTF8.GetString(raw.Utf8.Span));
                    }
                    else
                    {
                        // A reject is its text and how many times that text came before it in the file; the cut-off
                        // rest of a file is also the file's. One already kept is a duplicate.
                        var id = raw.EndsInput
                            ? RecordId.OfBytes([.. Encoding.UTF8.GetBytes(sha + "\n"), .. raw.Utf8.Span])
                            : RecordId.OfBytes(raw.Utf8.Span);
                        var copy = copies[id] = copies.GetValueOrDefault(id) + 1;
                        if (copy > 1) id += "-" + copy.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        // A record another input loaded as a call (the same id, valid there) is a duplicate of it.
                        var loadedBefore = outcome.CallId is { } callId && Calls.ContainsKey(callId);
                        if (!loadedBefore && !Rejects.Contains(id) && rejects.Add(id)) rejected++;
                        if (raw.EndsInput) status = FileStatus.Partial;
                    }
                }
            }
            catch (InputFormatException)
            {
                return new Outcome(FileStatus.Failed, 0, 0, 0);
            }
            _loadedFiles.Add(sha);
            foreach (var c in calls) Calls.Add(c.Key, c.Value);
            Rejects.UnionWith(rejects);
            return new Outcome(status, read, rejected, calls.Count);
        }
    }
}

/// <summary>Tests that measure the process's heap, so nothing else may allocate in it while they run.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "Alone: measures the process heap";
}
