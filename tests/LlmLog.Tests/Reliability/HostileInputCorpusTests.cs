using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LlmLog.Loading;
using LlmLog.Tests.Support;
using LlmLog.Warehouse;

namespace LlmLog.Tests.Reliability;

/// <summary>
/// The hostile-input corpus (<c>Reliability/Corpus/</c>, plus the big cases generated here) through the real
/// executable: for each, its exit code, one stderr line naming the file, record and field, every good record
/// loaded, no partial file and no stack trace.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class HostileInputCorpusTests
{
    private static readonly string CorpusDir = Path.Combine(AppContext.BaseDirectory, "Reliability", "Corpus");

    /// <summary>What a case puts in front of llmlog: paths (relative to the case's folder), standard input, the user.</summary>
    public sealed record Input(string[] Paths, byte[]? Stdin = null, bool Unreadable = false);

    /// <summary>One hostile input and what llmlog must make of it.</summary>
    /// <param name="Loaded">Good records that must be loaded; null when only "some, and all the rest rejected" can be said.</param>
    /// <param name="Lines">Each inner array: fragments that one line of stderr must contain together.</param>
    public sealed record Case(string Name, Func<TempFolder, Input> Prepare, int Exit, long? Loaded, long Rejected, string[][] Lines)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } =
    [
        Committed("empty.json", 3, 0, 0, ["empty.json: not loaded", "is empty", "fix or remove the file"]),
        Committed("whitespace.json", 3, 0, 0, ["whitespace.json: not loaded", "is empty"]),
        Committed("empty-object.json", 3, 0, 0, ["empty-object.json: not loaded", "without a \"data\" array"]),
        Committed("data-null.json", 3, 0, 0, ["data-null.json: not loaded", "\"data\": null"]),
        Committed("data-empty-object.json", 3, 0, 0, ["data-empty-object.json: not loaded", "\"data\" value that is not an array"]),
        Committed("cut-off-mid-record.json", 3, 2, 1, ["cut-off-mid-record.json", "record 3 is cut off", "line 4, byte ", "fix the file and run again"]),
        Committed("invalid-utf8.jsonl", 0, 2, 1, ["invalid-utf8.jsonl: record 2 (line 2, byte ", "not valid UTF-8", "kept in the rejects table"]),
        Committed("bom.json", 0, 2, 0),
        Committed("nan-infinity.jsonl", 0, 2, 3,
            ["nan-infinity.jsonl: record 2 (line 2, byte ", "temperature is not valid JSON", "fix it at the source"],
            ["nan-infinity.jsonl: record 3 (line 3, byte ", "metrics.start is not valid JSON"],
            ["nan-infinity.jsonl: record 4 (line 4, byte ", "metrics.end is not valid JSON"]),
        Committed("big-numbers.jsonl", 0, 2, 4,
            ["big-numbers.jsonl: record 2 (line 2, byte ", "metrics.tokens is 18446744073709551616, beyond a 64-bit integer"],
            ["big-numbers.jsonl: record 3 (line 3, byte ", "max_tokens is 99999999999999999999999999999, beyond a 64-bit integer"],
            ["big-numbers.jsonl: record 4 (line 4, byte ", "temperature is 1e400, not a finite number"],
            ["big-numbers.jsonl: record 5 (line 5, byte ", "metrics.start is 1e309, not a finite number"]),
        Committed("duplicate-keys.jsonl", 0, 2, 2,
            ["duplicate-keys.jsonl: record 2 (line 2, byte ", "model appears more than once"],
            ["duplicate-keys.jsonl: record 3 (line 3, byte ", "metrics.start appears more than once"]),
        Committed("not-objects.json", 0, 2, 6,
            ["not-objects.json: record 2 (line 3, byte ", "record is a JSON array, not an object"],
            ["not-objects.json: record 3 (line 4, byte ", "record is a JSON string, not an object"],
            ["not-objects.json: record 6 (line 7, byte ", "record is a JSON null, not an object"]),
        Committed("nul-and-lone-surrogate.jsonl", 0, 1, 2,
            ["nul-and-lone-surrogate.jsonl: record 1 (line 1, byte 0)", "model contains a NUL character"],
            ["nul-and-lone-surrogate.jsonl: record 3 (line 3, byte ", "model holds a \\u escape of a lone UTF-16 surrogate"]),
        // Found by the fuzzer: an escaped lone surrogate in a key crashed the validator.
        Committed("fuzz-lone-surrogate-in-key.jsonl", 0, 2, 2,
            ["fuzz-lone-surrogate-in-key.jsonl: record 2 (line 2, byte ", "metrics holds a \\u escape of a lone UTF-16 surrogate"],
            ["fuzz-lone-surrogate-in-key.jsonl: record 3 (line 3, byte ", "metrics.start holds a \\u escape"]),
        new("mixed-directory", _ => new Input([Path.Combine(CorpusDir, "mixed-directory")]), 3, 5, 1,
        [
            ["c-not-a-log.json: not loaded", "does not start with JSON", "fix or remove the file"],
            ["b-some-bad.jsonl: record 2 (line 2, byte ", "created is missing"],
        ]),
        new("a single 50 MB string value", dir => new Input([BigString(dir)]), 0, 3, 0, []),
        new("nesting 10,000 levels deep", dir => new Input([dir.File("deep.jsonl",
                Good(1) + "\n" + "{\"created\": \"2024-12-11 10:00:00\", \"model\": \"m\", \"extra\": "
                + new string('[', 10_000) + new string(']', 10_000) + "}\n" + Good(2) + "\n")]), 0, 2, 1,
            [["deep.jsonl: record 2 (line 2, byte ", "extra is valid JSON nested more than 256 levels deep"]]),
        new("every field with every wrong type", dir => new Input([dir.File("wrong-types.jsonl", WrongTypes.File)]), 0, 2, WrongTypes.Cases.Count,
            [["wrong-types.jsonl: record 2 (line 2, byte ", WrongTypes.Cases[0].Field + " is "]]),
        new("records that are arrays or strings in JSON Lines", dir => new Input([dir.File("not-objects.jsonl",
                Good(3) + "\n[1, 2]\n\"text\"\n" + Good(4) + "\n")]), 0, 2, 2,
            [["not-objects.jsonl: record 2 (line 2, byte ", "record is a JSON array, not an object"]]),
        new("a truncated gzip stream", dir => new Input([TruncatedGzip(dir)]), 3, 0, 0,
            [["truncated.jsonl.gz", "gzip data cut short", "run again once the file is whole"]]),
        new("a path that does not exist", dir => new Input([dir.File("good.json", Export(5, 6)), "missing.json"]), 3, 0, 0,
            [["missing.json: no such file or directory"]]),
        new("a file without read permission", dir => new Input([dir.File("good.json", Export(7, 8)), Unreadable(dir)], Unreadable: true), 3, 2, 0,
            [["secret.json", "permission denied", "needs read access"]]),
        // Bug: standard input was told to "fix the file", and when empty to "fix or remove the file and run again" (found
        // by probing the CLI).
        new("standard input closed in the middle of a record", _ => new Input(["-"], Stdin: CutShort(Export(9, 10, 11))), 3, 2, 1,
            [["<stdin>", "record 3 is cut off", "the input ends inside", "fix what is sent to standard input and send it again"]]),
        new("standard input closed before any byte", _ => new Input(["-"], Stdin: []), 3, 0, 0,
            [["<stdin>: not loaded", "is empty", "fix what is sent to standard input and send it again"]]),
    ];

    public static TheoryData<Case> Cases => new(All);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachHostileInputGetsItsExitCodeOneClearLineAndEveryGoodRecordLoaded(Case c)
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var input = c.Prepare(w.Files);
        var options = new LlmLogProcess.Options(input.Stdin, input.Unreadable ? OtherUserWhenRoot(w.Files) : null);

        var run = await LlmLogProcess.RunAsync(w.Files.Path, options, ["ingest", .. input.Paths, "--db", w.DbArgument, "--json"]);

        var output = run.Stdout + run.Stderr;
        run.ExitCode.Should().Be(c.Exit, run.Stderr);
        output.Should().NotContain("   at ", "a user's mistake never shows a stack trace");
        var lines = run.Stderr.Split('\n');
        foreach (var fragments in c.Lines)
        {
            lines.Should().Contain(l => fragments.All(f => l.Contains(f, StringComparison.Ordinal)),
                $"one line of stderr should say all of [{string.Join(" | ", fragments)}]:\n{run.Stderr}");
        }
        if (run.Stdout.StartsWith('{'))
        {
            var json = JsonNode.Parse(run.Stdout)!;
            ((int)json["exit_code"]!).Should().Be(run.ExitCode);
            // A run stopped before its files (a path that does not exist) prints only its exit code and message.
            if (json["read"] is not null)
            {
                ((long)json["read"]!).Should().Be((long)json["loaded"]! + (long)json["duplicates"]! + (long)json["rejected"]!);
            }
        }
        var loaded = w.Scalar<long>("SELECT count(*) FROM calls");
        if (c.Loaded is { } expected) loaded.Should().Be(expected);
        else loaded.Should().BePositive("the records before the damage are good");
        w.Scalar<long>("SELECT count(*) FROM rejects").Should().Be(c.Rejected);
        WarehouseState.ShouldHaveNoPartialFile(w);
    }

    [Fact]
    public async Task EveryWrongTypeIsRejectedWithTheFieldItIsIn()
    {
        using var w = await TestWarehouse.CreateAsync(Engine.DuckDb);
        var file = w.Files.File("wrong-types.jsonl", WrongTypes.File);

        IngestRunner.Run(w.Target, [file], new IngestOptions());

        var rejects = w.Query<(long, string?)>("SELECT record_number, field FROM rejects ORDER BY record_number");
        rejects.Should().Equal(WrongTypes.Cases.Select((x, i) => ((long)i + 2, (string?)x.Field)));
    }

    [Fact]
    public async Task TheCorpusGivesTheSameCountsOnPostgreSQLAsOnDuckDB()
    {
        // The process runs above are on DuckDB; here every case runs in-process on PostgreSQL, which stores
        // text differently (no NUL, its own limits), and must load and reject exactly the same records.
        foreach (var c in All.Where(c => !c.Name.Contains("permission", StringComparison.Ordinal)))
        {
            using var w = await TestWarehouse.CreateAsync(Engine.Postgres);
            var input = c.Prepare(w.Files);
            var paths = input.Paths.Select(p => p == "-" || Path.IsPathRooted(p) ? p : w.Files.Combine(p)).ToArray();
            IngestSummary? summary = null;
            try
            {
                summary = IngestRunner.Run(w.Target, paths, new IngestOptions(), standardInput: input.Stdin is { } b ? new MemoryStream(b) : null);
            }
            catch (LlmLogException e)
            {
                ((int)e.Code).Should().Be(c.Exit, c.Name);
            }
            if (summary is not null) ((int)summary.ExitCode).Should().Be(c.Exit, c.Name);
            var loaded = w.Scalar<long>("SELECT count(*) FROM calls");
            if (c.Loaded is { } expected) loaded.Should().Be(expected, c.Name);
            w.Scalar<long>("SELECT count(*) FROM rejects").Should().Be(c.Rejected, c.Name);
            WarehouseState.ShouldHaveNoPartialFile(w);
        }
    }

    private static Case Committed(string file, int exit, long loaded, long rejected, params string[][] lines) =>
        new(file, _ => new Input([Path.Combine(CorpusDir, file)]), exit, loaded, rejected, lines);

    /// <summary>A valid record, distinct for each <paramref name="i"/>.</summary>
    internal static string Good(int i) => Some.Call(
        new DateTime(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ToJsonString();

    private static string Export(params int[] ids) => Some.Export(ids.Select(i => JsonNode.Parse(Good(i))));

    private static byte[] CutShort(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lastRecord = text.LastIndexOf("{\"created\"", StringComparison.Ordinal);
        return bytes[..(lastRecord + 40)];
    }

    private static string BigString(TempFolder dir)
    {
        var path = dir.Combine("big-string.jsonl");
        using var file = new StreamWriter(path, false, new UTF8Encoding(false));
        file.Write(Good(20) + "\n");
        var record = JsonNode.Parse(Good(21))!.AsObject();
        var json = record.ToJsonString();
        file.Write(json[..^1] + ", \"output\": \"");
        var chunk = new string('x', 1 << 20);
        for (var i = 0; i < 50; i++) file.Write(chunk);
        file.Write("\"}\n" + Good(22) + "\n");
        return path;
    }

    private static string TruncatedGzip(TempFolder dir)
    {
        var text = string.Concat(Enumerable.Range(100, 2000).Select(i => Good(i) + "\n"));
        var gz = Some.Gzip(text);
        return dir.File("truncated.jsonl.gz", gz[..(gz.Length * 6 / 10)]);
    }

    private static string Unreadable(TempFolder dir)
    {
        var path = dir.File("secret.json", Export(30, 31));
        File.SetUnixFileMode(path, UnixFileMode.None);
        return path;
    }

    /// <summary>
    /// Root reads any file whatever its mode, so as root (as on CI) the case runs llmlog as <c>nobody</c>, who is
    /// stopped by chmod 000 like any real service account; the folder is opened up so it can still write the DuckDB file.
    /// </summary>
    private static string? OtherUserWhenRoot(TempFolder dir)
    {
        if (!Environment.IsPrivilegedProcess) return null;
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_111_111);
        foreach (var f in Directory.EnumerateFiles(dir.Path).Where(f => !f.EndsWith("secret.json", StringComparison.Ordinal)))
            File.SetUnixFileMode(f, (UnixFileMode)0b110_110_110);
        return "nobody";
    }

    /// <summary>One record per (field, wrong value): each otherwise valid, so the field named is the only fault.</summary>
    internal static class WrongTypes
    {
        private static readonly (string Field, string[] Values)[] Table =
        [
            ("created", ["1734540040", "true", "null", "[]", "{}", "\"yesterday\""]),
            ("model", ["1", "true", "null", "[]", "{}", "\"\""]),
            ("stream", ["1", "\"yes\"", "[]", "{}"]),
            ("max_tokens", ["\"1\"", "true", "[]", "{}", "-1", "1.5"]),
            ("temperature", ["\"hot\"", "true", "[]", "{}"]),
            ("type", ["1", "true", "[]", "{}"]),
            ("metrics", ["1", "\"x\"", "true", "[]"]),
            ("metrics.start", ["\"x\"", "true", "[]", "{}"]),
            ("metrics.end", ["\"x\"", "true", "[]", "{}"]),
            ("metrics.time_to_first_token", ["\"x\"", "true", "[]", "{}", "-1"]),
            ("metrics.cost", ["\"x\"", "true", "[]", "{}"]),
            ("metrics.tokens", ["\"1\"", "true", "[]", "{}", "-1", "1.5"]),
            ("metrics.prompt_tokens", ["\"1\"", "true", "[]", "{}", "-1", "1.5"]),
            ("metrics.completion_tokens", ["\"1\"", "true", "[]", "{}", "-1", "1.5"]),
        ];

        public static IReadOnlyList<(string Field, string Value)> Cases { get; } =
            Table.SelectMany(t => t.Values.Select(v => (t.Field, v))).ToList();

        public static string File { get; } = string.Concat(
            [Good(40) + "\n", .. Cases.Select((c, i) => Record(c.Field, c.Value, i) + "\n"), Good(41) + "\n"]);

        private static string Record(string field, string value, int i)
        {
            var created = $"\"2024-12-11 10:{i / 60:00}:{i % 60:00}\"";
            var top = new Dictionary<string, string> { ["created"] = created, ["model"] = "\"gpt-4o\"" };
            var metrics = new Dictionary<string, string> { ["start"] = "1734540040.5", ["end"] = "1734540041.5" };
            if (field.StartsWith("metrics.", StringComparison.Ordinal)) metrics[field["metrics.".Length..]] = value;
            else top[field] = value;
            if (field != "metrics") top["metrics"] = "{" + string.Join(", ", metrics.Select(kv => $"\"{kv.Key}\": {kv.Value}")) + "}";
            return "{" + string.Join(", ", top.Select(kv => $"\"{kv.Key}\": {kv.Value}")) + "}";
        }
    }
}
