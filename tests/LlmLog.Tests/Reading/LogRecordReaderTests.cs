using System.Text;
using System.Text.Json.Nodes;
using LlmLog.Reading;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Reading;

public class LogRecordReaderTests
{
    private static List<(RawRecord Record, string Text)> ReadAll(string text, string? name = null, int window = 1 << 20)
        => ReadAll(Encoding.UTF8.GetBytes(text), name);

    private static List<(RawRecord Record, string Text)> ReadAll(byte[] bytes, string? name = null)
    {
        using var reader = new LogRecordReader(new MemoryStream(bytes), name);
        return reader.Records().Select(r => (r, Encoding.UTF8.GetString(r.Utf8.Span))).ToList();
    }

    private static InputFormat FormatOf(string text, string? name = null)
    {
        using var reader = new LogRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), name);
        return reader.Format;
    }

    [Fact]
    public void AnExportYieldsEachRecordOfItsDataArrayWithItsOriginalText()
    {
        var records = new JsonNode?[] { Some.Call(), Some.StreamedCall() };
        var read = ReadAll(Some.Export(records));

        read.Should().HaveCount(2);
        read.Select(r => r.Text).Should().Equal(records.Select(r => r!.ToJsonString()));
        read.Select(r => r.Record.Number).Should().Equal(1, 2);
        read.Select(r => r.Record.Line).Should().Equal(2, 3);
        read.Should().OnlyContain(r => r.Record.SyntaxError == null);
    }

    // Found by review: a backslash at the end of a line inside a string (a bad record) skipped the newline uncounted, so
    // every later record of an array, an export or records one after another had its line one too low.
    [Fact]
    public void ALineEndingInABackslashInsideAStringStillCountsAsALine()
    {
        var read = ReadAll("[\n{\"model\": \"x\\\n\"},\n{\"model\": \"y\"}\n]\n");

        read.Select(r => r.Record.Line).Should().Equal(2, 4);
    }

    [Fact]
    public void AnExportIsReadWhateverTheOrderOfItsKeys()
    {
        var text = Some.Export([Some.Call(), Some.Call()], schemaFirst: true);

        FormatOf(text).Should().Be(InputFormat.Export);
        ReadAll(text).Should().HaveCount(2);
    }

    // Bug: an export whose first key was another one was read as one JSON Lines record and rejected whole; the run
    // loaded nothing and exited 0 (found by probing ingest).
    [Theory]
    [InlineData("""{"exported_at": "2025-03-01", "data": [CALLS]}""")]
    [InlineData("""{"realtime_state": {"type": "on", "watermark": [1, {"a": "b\"}"}]}, "data": [CALLS], "schema": {}}""")]
    [InlineData("{ \"note\": \"a \\\"quoted\\\" data: [\", \"count\": 2, \"ok\": true, \"none\": null,\n  \"data\": [CALLS] }")]
    public void AnExportIsReadWhateverKeyComesBeforeItsDataArray(string shape)
    {
        var text = shape.Replace("CALLS", Some.Call().ToJsonString() + "," + Some.Call().ToJsonString(), StringComparison.Ordinal);

        FormatOf(text).Should().Be(InputFormat.Export);
        ReadAll(text).Should().HaveCount(2).And.OnlyContain(r => r.Record.SyntaxError == null);
    }

    [Theory]
    [InlineData("""{"input": {"data": [1]}, "created": "2024-12-18 16:40:40", "model": "m"}""")]
    [InlineData("""{"tags": ["x"], "model": "m", "data": [1], "created": "2024-12-18 16:40:40"}""")]
    public void ARecordThatHoldsADataFieldIsStillALineOfJsonLines(string record)
    {
        var text = record + "\n" + record + "\n";

        FormatOf(text).Should().Be(InputFormat.JsonLines);
    }

    [Fact]
    public void ABareArrayIsReadAsRecords()
    {
        var text = "[" + Some.Call().ToJsonString() + ",\n" + Some.Call().ToJsonString() + "]";

        FormatOf(text).Should().Be(InputFormat.Array);
        ReadAll(text).Should().HaveCount(2);
    }

    [Fact]
    public void JsonLinesAreReadLineByLineSkippingBlankLines()
    {
        var text = Some.Call().ToJsonString() + "\r\n\n" + Some.Call().ToJsonString() + "\n";

        FormatOf(text).Should().Be(InputFormat.JsonLines);
        var read = ReadAll(text);
        read.Select(r => r.Record.Line).Should().Equal(1, 3);
        read.Should().OnlyContain(r => r.Text.StartsWith('{') && r.Text.EndsWith('}'));
    }

    [Fact]
    public void AJsonlNameMeansJsonLinesEvenWhenTheFirstKeyLooksLikeAnExport()
    {
        FormatOf("{\"data\": 1}\n", "x.jsonl.gz").Should().Be(InputFormat.JsonLines);
        FormatOf("{}\n" + Some.Call().ToJsonString() + "\n", "x.jsonl").Should().Be(InputFormat.JsonLines);
    }

    // A record with "stream" (or "type", "temperature", "max_tokens") first and a "data" array of its own after it made
    // its JSON Lines file one export, cut at line 2: every record lost; one whose "data" held numbers made them records
    // (found by reviewing the reader).
    [Theory]
    [InlineData("""{"stream": false, "data": [], "id": "r1", "created": "2024-12-18 16:40:40", "model": "m"}""", "calls.jsonl")]
    [InlineData("""{"stream": false, "data": [], "id": "r1", "created": "2024-12-18 16:40:40", "model": "m"}""", "calls.json")]
    [InlineData("""{"type": "chat", "data": [{"role": "user"}], "created": "2024-12-18 16:40:40", "model": "m"}""", "calls.json")]
    [InlineData("""{"tags": ["a"], "data": [1, 2], "created": "2024-12-18 16:40:40", "model": "m"}""", "calls.json")]
    public void ARecordWithADataArrayAfterACallFieldOrOfNoRecordsIsALineOfJsonLines(string record, string name)
    {
        var text = record + "\n" + Some.Call().ToJsonString() + "\n";

        FormatOf(text, name).Should().Be(InputFormat.JsonLines);
        ReadAll(text, name).Should().HaveCount(2).And.OnlyContain(r => r.Record.SyntaxError == null);
    }

    [Fact]
    public void AnExportWithDataTwiceReadsTheFirstArrayAndSaysTheSecondWasNotRead()
    {
        // Both arrays were loaded, where a JSON parser keeps the last (found by reviewing the reader).
        var text = "{\"data\": [" + Some.Call().ToJsonString() + "], \"data\": [" + Some.Call("2024-12-19 10:00:00").ToJsonString() + "]}";

        var read = ReadAll(text);

        read.Should().HaveCount(2);
        read[0].Record.SyntaxError.Should().BeNull();
        read[1].Record.EndsInput.Should().BeTrue();
        read[1].Record.SyntaxError.Should().Contain("holds \"data\" twice");
    }

    // A record of 1 GiB or more overflowed the window's doubling: "minimumLength ('-2147483648') must be a non-negative
    // value", exit 2 as if the command were mistyped, and no --json object (found by probing resources). The file now
    // fails as input, with its reason.
    [Fact]
    public void ARecordLongerThanOneGibibyteFailsTheFileWithItsReason()
    {
        using var reader = new LogRecordReader(new EndlessRecord(), "huge.jsonl");

        var read = () => reader.Records().Count();

        read.Should().Throw<InputFormatException>().WithMessage("holds a record longer than 1,073,741,824 bytes (1 GiB, from byte 0)*");
    }

    /// <summary>One record that never ends: its first field, then white space for ever.</summary>
    private sealed class EndlessRecord() : ReadOnlyStream(Stream.Null)
    {
        private static readonly byte[] Start = Encoding.UTF8.GetBytes("{\"id\": \"w1\", ");
        private long _position;

        protected override long BytesRead => _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position < Start.Length)
            {
                var n = Math.Min(buffer.Length, Start.Length - (int)_position);
                Start.AsSpan((int)_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            buffer.Fill((byte)' ');
            _position += buffer.Length;
            return buffer.Length;
        }
    }

    // A key written with escapes is the key a JSON parser reads: an export whose "data" was written "d\u0061ta" had no
    // data (exit 4, nothing loaded), and a second "data" so written was read as another key (found by probing the reader).
    [Theory]
    [InlineData("{\"d\\u0061ta\": [CALL, CALL]}", "calls.json")]
    [InlineData("{\"d\\u0061ta\": [\nCALL,\nCALL\n]}\n", "calls.jsonl")]
    [InlineData("{\"exported_\\\"at\\\"\": 1, \"data\": [CALL, CALL]}", "calls.json")]
    [InlineData("{\"exported_\\\"at\\\"\": 1, \"\\u0064ata\": [\nCALL,\nCALL\n]}\n", "calls.jsonl")]
    public void AnExportWhoseKeysAreWrittenWithEscapesIsReadAsAnExport(string shape, string name)
    {
        var text = shape.Replace("CALL", Some.Call().ToJsonString(), StringComparison.Ordinal);

        FormatOf(text, name).Should().Be(InputFormat.Export);
        ReadAll(text, name).Should().HaveCount(2).And.OnlyContain(r => r.Record.SyntaxError == null);
    }

    [Fact]
    public void ASecondDataWrittenWithEscapesIsSaidToBeDataTwice()
    {
        var text = "{\"data\": [" + Some.Call().ToJsonString() + "], \"dat\\u0061\": [" + Some.Call("2024-12-19 10:00:00").ToJsonString() + "]}";

        var read = ReadAll(text);

        read.Should().HaveCount(2);
        read[0].Record.SyntaxError.Should().BeNull();
        read[1].Record.SyntaxError.Should().Contain("holds \"data\" twice");
    }

    // An export saved as calls.jsonl (generate's default format, or a BTQL response) was read line by line: its first
    // and last lines were two bogus rejects, with exit 0; on one line it was one rejected record.
    [Theory]
    [InlineData("{\"data\":[\nCALL,\nCALL\n],\"schema\":{},\"dialect\":\"clickhouse\"}\n", InputFormat.Export)]
    [InlineData("{\"schema\": {},\n \"data\": [CALL, CALL]}", InputFormat.Export)]
    [InlineData("[\nCALL,\nCALL\n]\n", InputFormat.Array)]
    [InlineData("[CALL,\nCALL]", InputFormat.Array)]
    public void AnExportOrArraySpreadOverLinesIsReadAsWhatItIsWhenItsNameSaysJsonLines(string shape, InputFormat format)
    {
        var text = shape.Replace("CALL", Some.Call().ToJsonString(), StringComparison.Ordinal);

        FormatOf(text, "calls.jsonl").Should().Be(format);
        ReadAll(text, "calls.jsonl").Should().HaveCount(2).And.OnlyContain(r => r.Record.SyntaxError == null);
    }

    // Bug: with exports read as exports under a .jsonl name, a file of API response pages, one per line, was read as one
    // export: page 1 loaded and the rest one reject, where each page is its own line with its own reason; and a first line
    // of other text that held "data": [...] was read as an export (found by probing the input shapes).
    [Theory]
    [InlineData("{\"data\":[CALL]}\n{\"data\":[CALL]}\n{\"data\":[CALL]}\n", 3)]
    [InlineData("#\"data\":[CALL]}\nCALL\n", 2)]
    public void ALineThatIsAWholeValueIsALineOfJsonLinesWhateverItHolds(string shape, int lines)
    {
        var text = shape.Replace("CALL", Some.Call().ToJsonString(), StringComparison.Ordinal);

        FormatOf(text, "pages.jsonl").Should().Be(InputFormat.JsonLines);
        ReadAll(text, "pages.jsonl").Should().HaveCount(lines);
    }

    [Fact]
    public void AByteOrderMarkIsSkipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Some.Export([Some.Call()]))).ToArray();

        ReadAll(bytes).Should().ContainSingle();
    }

    [Fact]
    public void AByteOrderMarkStartingALineOfConcatenatedJsonLinesIsSkippedToo()
    {
        // `cat a.jsonl b.jsonl` of files saved with a BOM: b's first record was rejected as "not valid JSON: '0xEF'".
        var bom = Encoding.UTF8.GetPreamble();
        byte[] bytes = [.. bom, .. "{\"a\":1}\n"u8, .. bom, .. "{\"b\":2}\n"u8, .. bom, .. "\n"u8];

        var records = ReadAll(bytes, "joined.jsonl");

        records.Select(r => r.Text).Should().Equal("{\"a\":1}", "{\"b\":2}");
        records[1].Record.Line.Should().Be(2);
        records[1].Record.ByteOffset.Should().Be(bom.Length * 2 + 8);
    }

    [Fact]
    public void BracesAndQuotesInsideStringsDoNotEndARecord()
    {
        var call = Some.Call();
        call["note"] = "a \"quoted\" } ] { [ string \\";
        var read = ReadAll(Some.Export([call, Some.Call()]));

        read.Should().HaveCount(2);
        read[0].Text.Should().Be(call.ToJsonString());
    }

    [Fact]
    public void ARecordLargerThanTheReadBufferIsReadWhole()
    {
        var call = Some.Call();
        call["big"] = new string('x', 3 * 1024 * 1024);
        var read = ReadAll(Some.Export([Some.Call(), call, Some.Call()]));

        read.Should().HaveCount(3);
        read[1].Text.Length.Should().BeGreaterThan(3 * 1024 * 1024);
    }

    [Fact]
    public void ASyntaxErrorBetweenRecordsKeepsTheEarlierOnesAndEndsWithOneRejectForTheRest()
    {
        var text = "{\"data\": [\n" + Some.Call().ToJsonString() + "\n" + Some.Call().ToJsonString() + "]}";
        var read = ReadAll(text);

        read.Should().HaveCount(2);
        read[0].Record.SyntaxError.Should().BeNull();
        read[1].Record.EndsInput.Should().BeTrue();
        read[1].Record.SyntaxError.Should().Contain("expected ',' or ']' after record 1").And.Contain("line 3");
        read[1].Text.Should().StartWith("{\"created\"");
    }

    [Fact]
    public void AFileCutOffMidRecordEndsWithARejectOfTheCutRecord()
    {
        var full = Some.Export([Some.Call(), Some.Call()]);
        var read = ReadAll(full[..full.IndexOf("\"tokens\"", full.IndexOf('\n', 12), StringComparison.Ordinal)]);

        read.Should().HaveCount(2);
        read[1].Record.EndsInput.Should().BeTrue();
        read[1].Record.SyntaxError.Should().Contain("record 2 is cut off");
    }

    [Fact]
    public void AJsonLinesFileCutOffInItsLastLineEndsWithAnEndsInputRejectOfThatLine()
    {
        var good = Some.Call().ToJsonString();
        var text = good + "\n" + good[..(good.Length / 2)];
        var read = ReadAll(text, "cut.jsonl");

        read.Should().HaveCount(2);
        read[0].Record.SyntaxError.Should().BeNull();
        read[1].Record.EndsInput.Should().BeTrue("a file cut off mid-record must not pass for complete");
        read[1].Record.SyntaxError.Should().Be($"record 2 is cut off: the input ends inside it (line 2, byte {good.Length + 1})");
        read[1].Text.Should().Be(good[..(good.Length / 2)], "the cut record is kept as it stands");
    }

    [Theory]
    [InlineData("{\"created\": \"2024-12-18 16:40:40\", \"model\": \"m\"", "\n", "a cut line that still ends with a newline is one bad line")]
    [InlineData("{\"created\": \"2024-12-18 16:40:40\", \"model\": x}", "", "a complete line with a syntax error")]
    [InlineData("{\"created\": \"2024-12-18 16:40:40\",, \"model", "", "a syntax error before the end: more bytes would not mend it")]
    [InlineData("{\"model\": \"m\"} {", "", "a second value after a complete one")]
    [InlineData("{\"model\": \"m\"}", "", "a complete record without a final newline")]
    [InlineData("12", "", "a complete number, which validation rejects as not an object")]
    public void ALastLineThatIsNotCutShortRejectsOnlyItselfAsBefore(string last, string ending, string because)
    {
        var read = ReadAll(Some.Call().ToJsonString() + "\n" + last + ending, "x.jsonl");

        read.Should().HaveCount(2);
        read[1].Record.EndsInput.Should().BeFalse(because);
        read[1].Record.SyntaxError.Should().BeNull(because);
        read[1].Text.Should().Be(last);
    }

    [Theory]
    [InlineData("{\"model\": \"m")]
    [InlineData("{\"model\": tru")]
    [InlineData("{\"metrics\": {\"tokens\": 12")]
    [InlineData("[1, 2")]
    [InlineData("{")]
    public void ALastLineThatStopsInsideAValueIsCutOff(string last)
    {
        var read = ReadAll(Some.Call().ToJsonString() + "\n" + last + " \t", "x.jsonl");

        read[^1].Record.EndsInput.Should().BeTrue();
        read[^1].Text.Should().Be(last);
    }

    // A gzip stream cut short has no checksum to check, and damage near its end reads as a cut (found by probing): it
    // yields no record to trust, whatever its shape; an array or export cut inside its trailer, after its closing
    // bracket, passed as whole (found by review).
    [Theory]
    [InlineData("lines", 2)]
    [InlineData("lines", -4)]
    [InlineData("array", -4)]
    [InlineData("export", -4)]
    public void AGzipStreamCutShortYieldsNoRecordToTrust(string shape, int cut)
    {
        var calls = Some.Calls(2000);
        var text = shape switch
        {
            "lines" => Some.JsonLines(calls),
            "array" => "[" + string.Join(",", calls.Select(c => c!.ToJsonString())) + "]",
            _ => Some.Export(calls),
        };
        var gz = Some.Gzip(text);
        var kept = cut > 0 ? gz[..(gz.Length / cut)] : gz[..^-cut];

        using var stream = InputFiles.Open(new InputSource("-"), new MemoryStream(kept));
        var read = () =>
        {
            using var reader = new LogRecordReader(stream, "x.json.gz");
            return reader.Records().ToList();
        };

        read.Should().Throw<InputFormatException>().Where(e => e.Message.Contains("gzip data cut short", StringComparison.Ordinal));
    }

    // Bug: a gzip file whose checksum was wrong was "compressed using an unsupported compression method" (.NET's words
    // for any damaged gzip data), which sent the user looking for another compressor (found by probing ingest). And the
    // records read before the checksum failed were loaded, though deflate had decoded them from the same damaged bytes
    // (found by review): damaged gzip data fails its input whole.
    [Fact]
    public void AGzipStreamWithAWrongChecksumIsSaidToBeDamagedAndYieldsNoRecordToTrust()
    {
        var gz = Some.Gzip(Some.JsonLines(Some.Calls(3)));
        gz[^6] ^= 0xFF; // in the CRC-32 of the trailer

        using var stream = InputFiles.Open(new InputSource("-"), new MemoryStream(gz));
        var read = () =>
        {
            using var reader = new LogRecordReader(stream, "x.jsonl.gz");
            return reader.Records().ToList();
        };

        read.Should().Throw<InputFormatException>().Where(e => e.Message.Contains("damaged gzip data", StringComparison.Ordinal)
            && e.Message.Contains("get or export the file again", StringComparison.Ordinal) && !e.Message.Contains("compression method", StringComparison.Ordinal));
    }

    [Fact]
    public void GzipIsRecognisedByItsBytesNotItsName()
    {
        var gz = Some.Gzip(Some.Export([Some.Call(), Some.Call()]));
        using var stream = InputFiles.Open(new InputSource("-"), new MemoryStream(gz));
        using var reader = new LogRecordReader(stream);

        reader.Format.Should().Be(InputFormat.Export);
        reader.Records().Count().Should().Be(2);
    }

    // PowerShell 5's redirection and Out-File write UTF-16 LE with a byte-order mark; such a file used to
    // become one "not valid UTF-8" reject per line, holding the text with a NUL between every character.
    public static TheoryData<string, bool> UnicodeEncodings() => new()
    {
        { "utf-16le", true }, { "utf-16be", true }, { "utf-32le", true }, { "utf-32be", true },
        { "utf-16le", false }, { "utf-16be", false }, { "utf-32le", false }, { "utf-32be", false },
    };

    [Theory]
    [MemberData(nameof(UnicodeEncodings))]
    public void AUtf16OrUtf32InputIsReadAsTheSameRecordsAsItsUtf8Text(string encodingName, bool byteOrderMark)
    {
        // Characters of one, two, three and four UTF-8 bytes, one of them beyond UTF-16's single units.
        var text = Some.JsonLines([Some.Call(), Some.StreamedCall()]) + "{\"created\": \"2024-12-18 16:40:40\", \"model\": \"modèle ✓ 😀\"}\n";
        var encoding = Encoding.GetEncoding(encodingName);
        var bytes = (byteOrderMark ? encoding.GetPreamble() : []).Concat(encoding.GetBytes(text)).ToArray();

        foreach (var input in new[] { bytes, Some.Gzip(bytes) })
        {
            using var stream = InputFiles.Open(new InputSource("-"), new MemoryStream(input));
            using var reader = new LogRecordReader(stream, "x.jsonl");
            var read = reader.Records().Select(r => (Text: Encoding.UTF8.GetString(r.Utf8.Span), r.SyntaxError)).ToList();

            read.Select(r => r.Text).Should().Equal(text.TrimEnd('\n').Split('\n'));
            read.Should().OnlyContain(r => r.SyntaxError == null);
        }
    }

    [Fact]
    public void AUtf16InputThatIsNotValidUtf16KeepsWhatCameBeforeAndReportsTheRestAsUnreadable()
    {
        // A high surrogate followed by a letter: no UTF-16 text has it, and decoding it would need a guess.
        byte[] bad = [.. Encoding.Unicode.GetBytes("{\"model\": \"x"), 0x00, 0xD8, 0x41, 0x00, .. Encoding.Unicode.GetBytes("\"}\n")];
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Some.JsonLines(Some.Calls(2000))), .. bad, .. Encoding.Unicode.GetBytes(Some.JsonLines([Some.Call()]))];

        using var stream = InputFiles.Open(new InputSource("-"), new MemoryStream(bytes));
        using var reader = new LogRecordReader(stream, "x.jsonl");
        var read = reader.Records().Select(r => (Text: Encoding.UTF8.GetString(r.Utf8.Span), r.SyntaxError, r.EndsInput)).ToList();

        // Some of the 2,000 good lines, or all of them, then the record of the unreadable rest: how far the decoder gets
        // before it meets the bad pair depends on where its buffers end (all 2,000 were read once, and 2,000 was the bound).
        read.Count.Should().BeInRange(100, 2001);
        read.SkipLast(2).Should().OnlyContain(r => r.SyntaxError == null && JsonNode.Parse(r.Text, null, default) != null);
        read.Should().NotContain(r => r.Text.Contains('\uFFFD'), "a call is never loaded with a guessed character");
        read[^1].EndsInput.Should().BeTrue();
        read[^1].SyntaxError.Should().Contain("could not be read past line").And.Contain("not valid UTF-16");
    }

    [Theory]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0x24, 0x00 }, "is zstd-compressed, not JSON*zstd -dc FILE | llmlog ingest -")]
    [InlineData(new byte[] { (byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0x31, 0x41 }, "is bzip2-compressed, not JSON*bzip2 -dc")]
    [InlineData(new byte[] { 0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, 0x00 }, "is xz-compressed, not JSON*xz -dc")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 0x03, 0x04, 0x14, 0x00 }, "is a zip archive, not JSON*unzip it")]
    [InlineData(new byte[] { (byte)'P', (byte)'A', (byte)'R', (byte)'1', 0x15, 0x04 }, "is a Parquet file, not JSON*export the calls from it as JSON")]
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0, (byte)'D', (byte)'U', (byte)'C', (byte)'K', 0x40, 0 }, "is a DuckDB database, not JSON*--db")]
    public void AFileInAnotherFormatIsNamedWithWhatToDoInstead(byte[] start, string message)
    {
        var act = () => ReadAll([.. start, .. new byte[100]]);

        act.Should().Throw<InputFormatException>().WithMessage($"{message}*");
    }

    // Bug: named .jsonl, an error page, a zip archive or a file gzipped twice was read line by line into rejected
    // "records" with exit 0, where the same bytes named .json were not a log (found by probing ingest).
    [Theory]
    [InlineData("calls.jsonl", "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n", "is HTML or XML (an error page saved in place of the export?), not JSON")]
    [InlineData("calls.json", "<?xml version=\"1.0\"?><Error>AccessDenied</Error>", "is HTML or XML")]
    [InlineData("calls.ndjson.gz", "PK\u0003\u0004\u0014\u0000 archive", "is a zip archive, not JSON")]
    [InlineData("calls.jsonl", "\u001f\u008b\u0008\u0000 once more", "is gzip-compressed twice, not JSON*decompress it once")]
    public void AFileOfAnotherKindIsNotALogWhateverItsName(string name, string text, string message)
    {
        var bytes = text.Select(c => (byte)c).ToArray();

        var act = () => ReadAll(bytes, name);

        act.Should().Throw<InputFormatException>().WithMessage($"{message}*");
    }

    [Fact]
    public void AJsonLinesFileWhoseFirstLineIsOtherTextKeepsTheRecordsAfterIt()
    {
        var read = ReadAll("exported by our logger, version 2\n" + Some.Call().ToJsonString() + "\n", "calls.jsonl");

        read.Should().HaveCount(2);
        read[1].Record.SyntaxError.Should().BeNull();
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    // What `jq '.data[]' export.json > calls.json` writes: each record pretty-printed, one after another. Cut by
    // lines, such a file was one reject per line (43 for 3 records of the sample export).
    [Theory]
    [InlineData("calls.json")]
    [InlineData("calls.jsonl")]
    [InlineData(null)]
    public void RecordsPrettyPrintedOneAfterAnotherAreReadWholeWhateverTheFileIsCalled(string? name)
    {
        var records = new[] { Some.Call(), Some.StreamedCall(), Some.Call() };
        var texts = records.Select(r => r.ToJsonString(Indented)).ToList();

        var read = ReadAll(string.Join("\n", texts) + "\n", name);

        FormatOf(texts[0] + "\n", name).Should().Be(InputFormat.Concatenated);
        read.Select(r => r.Text).Should().Equal(texts);
        read.Select(r => r.Record.Line).Should().Equal(1, 1 + texts[0].Split('\n').Length, 1 + texts[0].Split('\n').Length + texts[1].Split('\n').Length);
        read.Should().OnlyContain(r => r.Record.SyntaxError == null);
    }

    [Fact]
    public void PrettyPrintedRecordsSeparatedByCommasOrAStrayBracketStillReadEachRecord()
    {
        var a = Some.Call().ToJsonString(Indented);
        var b = Some.Call().ToJsonString(Indented);

        var read = ReadAll(a + ",\n" + b + "\n}\n" + a.Replace("\"model\"", "\"model2\"") + "\n");

        read.Select(r => r.Text).Should().Equal(a, b, "}", a.Replace("\"model\"", "\"model2\""));
    }

    [Fact]
    public void APrettyPrintedRecordTheInputEndsInsideIsCutOffAndEndsTheInput()
    {
        var a = Some.Call().ToJsonString(Indented);

        var read = ReadAll(a + "\n" + a[..(a.Length / 2)]);

        read.Should().HaveCount(2);
        read[0].Text.Should().Be(a);
        read[1].Record.EndsInput.Should().BeTrue();
        read[1].Record.SyntaxError.Should().Contain("record 2 is cut off: the input ends inside");
    }

    // Bug: every line of a JSON Lines file whose records end in a comma (an array one element per line with its
    // brackets dropped) was rejected as invalid JSON, and nothing was loaded.
    [Fact]
    public void ACommaAfterALinesRecordSeparatesItButACommaInsideTheRecordIsItsOwnError()
    {
        var a = Some.Call().ToJsonString();
        var b = Some.StreamedCall().ToJsonString();
        const string unfinished = "{\"created\": \"2024-12-18 16:40:40\",";

        var read = ReadAll(a + ",\n" + b + " , \r\n" + unfinished + "\n" + a + "\n");

        read.Select(r => r.Text).Should().Equal(a, b, unfinished, a);
        read.Select(r => r.Record.Line).Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public void JsonLinesWhoseFirstRecordOpensOnItsOwnLineOnlyIfItSpansLinesAreStillLines()
    {
        FormatOf("{\"created\": \"2024-12-18 16:40:40\"}\n{\n").Should().Be(InputFormat.JsonLines);
        FormatOf("{ \"created\": \"2024-12-18 16:40:40\"}\n", "x.jsonl").Should().Be(InputFormat.JsonLines);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   \n\t ", "is empty")]
    [InlineData("{}", "without a \"data\" array")]
    [InlineData("{\"data\": null}", "\"data\": null")]
    [InlineData("{\"data\": {}}", "not an array")]
    [InlineData("hello", "does not start with JSON")]
    public void AnInputThatIsNoLogAtAllIsAFileLevelError(string text, string message)
    {
        var act = () => ReadAll(text);

        act.Should().Throw<InputFormatException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void AnEmptyDataArrayHasNoRecords()
    {
        ReadAll("{\"data\": [], \"schema\": {}}").Should().BeEmpty();
    }

    [Fact]
    public void ArrayElementsThatAreNotObjectsAreStillCutOutForValidationToReject()
    {
        var read = ReadAll("[\"a string\", [1, 2], 42, " + Some.Call().ToJsonString() + "]");

        read.Select(r => r.Text).Take(3).Should().Equal("\"a string\"", "[1, 2]", "42");
        read.Should().HaveCount(4);
    }

    [Fact]
    public void ByteOffsetsPointAtTheFirstByteOfEachRecord()
    {
        var text = Some.Export([Some.Call(), Some.Call()]);
        var bytes = Encoding.UTF8.GetBytes(text);

        foreach (var (record, _) in ReadAll(text))
        {
            bytes[record.ByteOffset].Should().Be((byte)'{');
        }
    }
}
