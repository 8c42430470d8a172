using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LlmLog.Reading;

/// <summary>
/// Streams the records of one log input — export object, bare array, JSON Lines or pretty-printed objects one after
/// another — as raw bytes,
/// without ever holding more than the record in hand. Records are only cut out here; whether each
/// is valid JSON and a valid call is for validation to say.
/// </summary>
public sealed class LogRecordReader : IDisposable
{
    /// <summary>How much of an unreadable remainder is kept as the reject's text.</summary>
    internal const int MaxRemainderBytes = 64 * 1024;

    private static readonly SearchValues<byte> StringStops = SearchValues.Create("\"\\\n"u8);
    private static readonly SearchValues<byte> ContainerStops = SearchValues.Create("\"{}[]\n"u8);
    private static readonly SearchValues<byte> ScalarStops = SearchValues.Create(",]} \t\r\n"u8);

    private readonly ByteWindow _window;
    private long _line = 1;
    private long _count;

    /// <summary>Opens the reader and works out the input's format from its first bytes.</summary>
    /// <param name="stream">The decompressed input.</param>
    /// <param name="nameHint">File name; a .jsonl or .ndjson name is read as JSON Lines unless its first line is no whole value (then an array, an export or objects one after another) or a known other kind of file.</param>
    public LogRecordReader(Stream stream, string? nameHint = null)
    {
        _window = new ByteWindow(stream);
        Format = Detect(nameHint);
    }

    /// <summary>The format the input turned out to have.</summary>
    public InputFormat Format { get; }

    /// <summary>Decompressed bytes consumed so far.</summary>
    public long BytesRead => _window.AbsolutePosition;

    /// <summary>
    /// The records, in file order. Each record's bytes are valid only until the next one is asked for.
    /// </summary>
    public IEnumerable<RawRecord> Records() => Format switch
    {
        InputFormat.JsonLines => Lines(),
        InputFormat.Array => ArrayElements(),
        InputFormat.Concatenated => Concatenated(),
        _ => ExportRecords(),
    };

    public void Dispose() => _window.Dispose();

    private InputFormat Detect(string? nameHint)
    {
        SkipBom();
        if (!SkipWhitespace())
        {
            throw new InputFormatException(_window.ReadError is { } err
                ? $"cannot be read: {err}"
                : "is empty: expected a JSON export object, a JSON array or JSON Lines") { NothingToLoad = _window.ReadError is null || !_window.AnyByteRead };
        }
        var name = nameHint ?? "";
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        if (name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
        {
            // The name does not make a file of another kind JSON Lines: an error page saved as calls.jsonl was two
            // rejected "records" and exit 0, where calls.json of the same bytes was not a log (found by probing ingest).
            // A first line of some other text stays one rejected record, and the lines after it are read.
            if (Current != (byte)'{' && KnownKind() is var (kind, advice)) throw NotJson(kind, advice);
            // Nor an export or an array spread over lines: saved as calls.jsonl, one was read line by line, its first and
            // last lines two bogus rejects with exit 0. A first line that is a whole value is a line of JSON Lines: a page
            // of an API's responses, one per line, keeps its own reason, and every page is read.
            if (Current is (byte)'{' or (byte)'[' && !FirstLineIsAWholeValue())
            {
                if (Current == (byte)'[') return InputFormat.Array;
                if (IsExportObject(byItsDataArray: true)) return InputFormat.Export;
            }
            return OpensAPrettyPrintedRecord() ? InputFormat.Concatenated : InputFormat.JsonLines;
        }

        var first = Current;
        if (first == (byte)'[') return InputFormat.Array;
        if (first != (byte)'{')
        {
            throw KnownKind() is var (kind, advice)
                ? NotJson(kind, advice)
                : new InputFormatException($"does not start with JSON (first byte '{Printable(first)}' at line {_line}): expected a JSON export object, a JSON array or JSON Lines");
        }
        // An export object names its parts first thing; a JSON Lines file starts with a record's field.
        if (IsExportObject()) return InputFormat.Export;
        return OpensAPrettyPrintedRecord() ? InputFormat.Concatenated : InputFormat.JsonLines;
    }

    private static bool IsCallField(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("created"u8) || name.SequenceEqual("model"u8) || name.SequenceEqual("metrics"u8) || name.SequenceEqual("id"u8)
        || name.SequenceEqual("stream"u8) || name.SequenceEqual("max_tokens"u8) || name.SequenceEqual("temperature"u8) || name.SequenceEqual("type"u8);

    // jq prints a record over many lines with its opening brace alone on the first: never a line of JSON Lines,
    // whatever the file is called (jq '.data[]' export.json > calls.jsonl). Cutting such a file by lines made one
    // reject of every line.
    private bool OpensAPrettyPrintedRecord() => Current == (byte)'{' && LookAhead(ahead =>
    {
        for (var i = 1; ; i++)
        {
            var b = ahead(i);
            if (b == '\n') return true;
            if (b is not (' ' or '\t' or '\r')) return false;
        }
    });

    /// <summary>Whether the first line (within the first MB; the input's end ends it too) is one whole JSON value.</summary>
    private bool FirstLineIsAWholeValue() => LookAhead(ahead =>
    {
        var line = new List<byte>();
        for (var i = 0; i < ExportKeysLookAhead; i++)
        {
            var b = ahead(i);
            if (b < 0 || b == '\n') break;
            line.Add((byte)b);
        }
        try
        {
            var reader = new Utf8JsonReader(line.ToArray(), isFinalBlock: true, new JsonReaderState(new JsonReaderOptions { MaxDepth = int.MaxValue }));
            while (reader.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    });

    /// <summary>How far into the input the first object's keys are looked through for a "data" array.</summary>
    private const int ExportKeysLookAhead = 1 << 20;

    /// <summary>
    /// Whether the first object is an export rather than a record: it is empty (an export with nothing in it, reported
    /// as such), its first key is one of an export's parts, or among its own keys "data" holds an array before any
    /// field a call record has. The last is looked for within the first MB: an export whose first key was another one
    /// (<c>{"exported_at": ..., "data": [...]}</c>, or a response's <c>realtime_state</c>) was read as one JSON Lines
    /// record of 268 KB and rejected, and the run loaded nothing with exit 0 (found by probing ingest).
    /// <paramref name="byItsDataArray"/> asks for the "data" array alone, as a file named JSON Lines needs: there an empty
    /// object or <c>{"data": 1}</c> is a record.
    /// </summary>
    private bool IsExportObject(bool byItsDataArray = false) => LookAhead(ahead =>
    {
        var i = 1;
        int b;
        while ((b = ahead(i)) >= 0 && IsWhitespace((byte)b)) i++;
        if (b == '}') return !byItsDataArray;
        for (var first = true; i < ExportKeysLookAhead; first = false)
        {
            while ((b = ahead(i)) >= 0 && IsWhitespace((byte)b)) i++;
            if (b != '"') return false;
            var key = new List<byte> { (byte)'"' };
            while ((b = ahead(++i)) >= 0 && b != '"')
            {
                if (key.Count < 64) key.Add((byte)b);
                if (b == '\\' && (b = ahead(++i)) >= 0 && key.Count < 64) key.Add((byte)b);
            }
            if (b < 0) return false;
            key.Add((byte)'"');
            var name = KeyName(key.ToArray()).AsSpan();
            if (first && !byItsDataArray && (name.SequenceEqual("data"u8) || name.SequenceEqual("schema"u8) || name.SequenceEqual("dialect"u8) || name.SequenceEqual("cursor"u8))) return true;
            i++;
            while ((b = ahead(i)) >= 0 && IsWhitespace((byte)b)) i++;
            if (b != ':') return false;
            i++;
            while ((b = ahead(i)) >= 0 && IsWhitespace((byte)b)) i++;
            if (name.SequenceEqual("data"u8))
            {
                // An export's data holds records: objects, or nothing. A record's own "data": [1, 2] made the file an
                // export of numbers (found by reviewing the reader).
                if (b != '[') return false;
                i++;
                while ((b = ahead(i)) >= 0 && IsWhitespace((byte)b)) i++;
                return b is '{' or ']';
            }
            // Any field of a call record first: this object is a record (with "stream" or "type" first, a record's "data"
            // array after it made the whole JSON Lines file one cut export, found by reviewing the reader).
            if (IsCallField(name)) return false;
            // Past the value: a string (with its escapes) or a nested value (its brackets counted, strings skipped).
            var depth = 0;
            var inString = false;
            for (; i < ExportKeysLookAhead; i++)
            {
                b = ahead(i);
                if (b < 0) return false;
                if (inString)
                {
                    if (b == '\\') i++;
                    else if (b == '"') inString = false;
                    if (depth == 0 && !inString) { i++; break; }
                    continue;
                }
                if (b == '"') inString = true;
                else if (b is '{' or '[') depth++;
                else if (b is '}' or ']')
                {
                    if (depth == 0) return false; // the object ended without a "data" array
                    if (--depth == 0) { i++; break; }
                }
                else if (depth == 0 && (b == ',' || IsWhitespace((byte)b))) break;
            }
            while ((b = ahead(i)) >= 0 && IsWhitespace((byte)b)) i++;
            if (b != ',') return false;
            i++;
        }
        return false;
    });

    /// <summary>
    /// Looks at the input after the current position without consuming it: <c>ahead(i)</c> is the i-th byte after it,
    /// or -1 past the end of the input. The window keeps every byte from the current position while it is looked at.
    /// </summary>
    private T LookAhead<T>(Func<Func<int, int>, T> look)
    {
        var saveMark = _window.Mark;
        _window.Mark = _window.Position;
        try
        {
            return look(i =>
            {
                while (_window.Mark + i >= _window.Length)
                {
                    if (!_window.Fill()) return -1;
                }
                return _window.Buffer[_window.Mark + i];
            });
        }
        finally
        {
            _window.Mark = saveMark;
        }
    }

    private IEnumerable<RawRecord> ExportRecords()
    {
        Advance(); // '{'
        var sawData = false;
        while (true)
        {
            if (!SkipWhitespace()) { yield return Remainder("the export object is not closed: the input ends early"); yield break; }
            if (Current == (byte)'}') { Advance(); break; }
            if (Current != (byte)'"') { yield return Remainder($"expected a key in the export object, found '{Printable(Current)}'"); yield break; }
            var isData = ReadKeyIsData(out var keyError);
            if (keyError is not null) { yield return Remainder(keyError); yield break; }
            if (!SkipWhitespace() || Current != (byte)':') { yield return Remainder("expected ':' after a key of the export object"); yield break; }
            Advance();
            if (!SkipWhitespace()) { yield return Remainder("the export object ends after a key"); yield break; }
            if (isData && sawData)
            {
                // Which array is meant is unclear, as for a record's field given twice: both were loaded, where a JSON
                // parser keeps the last (found by reviewing the reader).
                yield return Remainder("the export object holds \"data\" twice; which array is meant is unclear, so the second was not read");
                yield break;
            }
            if (isData)
            {
                if (Current != (byte)'[')
                {
                    throw new InputFormatException(Current == (byte)'n'
                        ? "has \"data\": null — expected an array of records"
                        : $"has a \"data\" value that is not an array (starts with '{Printable(Current)}') — expected an array of records");
                }
                sawData = true;
                foreach (var record in ArrayElements()) yield return record;
                if (_ended) yield break;
            }
            else
            {
                var skipError = ScanValue(keep: false);
                if (skipError is not null) { yield return Remainder(skipError); yield break; }
            }
            if (!SkipWhitespace()) { yield return Remainder("the export object is not closed: the input ends early"); yield break; }
            if (Current == (byte)',') { Advance(); continue; }
            if (Current == (byte)'}') { Advance(); break; }
            yield return Remainder($"expected ',' or '}}' in the export object, found '{Printable(Current)}'");
            yield break;
        }
        if (SkipWhitespace())
        {
            yield return Remainder($"unexpected '{Printable(Current)}' after the end of the export object");
            yield break;
        }
        if (!sawData) throw new InputFormatException("is a JSON object without a \"data\" array of records");
    }

    private bool _ended;

    private IEnumerable<RawRecord> ArrayElements()
    {
        Advance(); // '['
        if (!SkipWhitespace()) { yield return Remainder("the array of records is not closed: the input ends early"); yield break; }
        if (Current == (byte)']') { Advance(); yield break; }
        while (true)
        {
            var record = CutValue(strayCloserIsARecord: false);
            yield return record;
            if (record.EndsInput) yield break;
            _window.Mark = -1;
            if (!SkipWhitespace()) { yield return Remainder("the array of records is not closed: the input ends early"); yield break; }
            if (Current == (byte)',')
            {
                Advance();
                if (!SkipWhitespace()) { yield return Remainder("the array of records is not closed: the input ends early"); yield break; }
                if (Current == (byte)']') { Advance(); break; } // a trailing comma loses nothing
                continue;
            }
            if (Current == (byte)']') { Advance(); break; }
            yield return Remainder($"expected ',' or ']' after record {_count}, found '{Printable(Current)}'");
            yield break;
        }
        if (Format == InputFormat.Array && SkipWhitespace())
        {
            yield return Remainder($"unexpected '{Printable(Current)}' after the end of the array");
        }
    }

    /// <summary>
    /// Records one after another, cut by their brackets as the elements of an array are, over any number of lines.
    /// Commas between them (an array without its brackets) are skipped; a stray closing bracket is a record of its
    /// own, for validation to reject; a record the input ends inside is cut off, as in an array.
    /// </summary>
    private IEnumerable<RawRecord> Concatenated()
    {
        while (SkipWhitespace())
        {
            if (SkipBom()) continue;
            if (Current == (byte)',')
            {
                Advance();
                continue;
            }
            var record = CutValue(strayCloserIsARecord: true);
            yield return record;
            if (record.EndsInput) yield break;
            _window.Mark = -1;
        }
        if (_window.ReadError is { } err) yield return Unreadable(err);
    }

    /// <summary>
    /// The JSON value at the current position as the next record, cut by its brackets (an element of an array, or
    /// of records one after another); a value the input ends inside is the cut-off rest of the input. With
    /// <paramref name="strayCloserIsARecord"/>, a closing bracket where a value should start is a one-byte record,
    /// for validation to reject. The record's bytes stay valid until the caller clears the window's mark.
    /// </summary>
    private RawRecord CutValue(bool strayCloserIsARecord)
    {
        var line = _line;
        var offset = _window.AbsolutePosition;
        _window.Mark = _window.Position;
        if (strayCloserIsARecord && Current is ((byte)'}' or (byte)']'))
        {
            Advance();
        }
        else if (ScanValue(keep: true) is { } error)
        {
            _window.Position = _window.Mark;
            _line = line;
            return Remainder($"record {_count + 1} is cut off: {error}");
        }
        _count++;
        return new RawRecord(_count, offset, line, _window.Buffer.AsMemory(_window.Mark, _window.Position - _window.Mark));
    }

    private IEnumerable<RawRecord> Lines()
    {
        while (SkipWhitespace())
        {
            // `cat a.jsonl b.jsonl` of files saved with a byte-order mark puts one at the start of a line: it
            // belongs to the file it came from, not to the record, as at the start of the input.
            if (SkipBom()) continue;
            var line = _line;
            var offset = _window.AbsolutePosition;
            _window.Mark = _window.Position;
            var scanFrom = _window.Position;
            int newline;
            while (true)
            {
                newline = _window.Span[scanFrom.._window.Length].IndexOf((byte)'\n');
                if (newline >= 0) { newline += scanFrom; break; }
                var consumed = _window.Length - _window.Mark;
                if (!_window.Fill()) { newline = -1; break; }
                scanFrom = _window.Mark + consumed;
            }
            var end = newline >= 0 ? newline : _window.Length;
            var trimmedEnd = end;
            while (trimmedEnd > _window.Mark && IsWhitespace(_window.Buffer[trimmedEnd - 1])) trimmedEnd--;
            trimmedEnd = WithoutSeparatingComma(_window.Mark, trimmedEnd);
            _count++;
            var bytes = _window.Buffer.AsMemory(_window.Mark, trimmedEnd - _window.Mark);
            _window.Position = end;
            // A last line without its newline that stops inside a value is where the file was cut off (an export
            // still being written, a copy interrupted), not one bad record: the file must not pass for complete.
            // A read error has its own record below; a last line that is complete, valid or not, is just a record.
            if (newline < 0 && _window.ReadError is null && EndsInsideAValue(bytes.Span))
            {
                yield return new RawRecord(_count, offset, line, bytes,
                    $"record {_count.ToString(System.Globalization.CultureInfo.InvariantCulture)} is cut off: the input ends inside it (line {line.ToString(System.Globalization.CultureInfo.InvariantCulture)}, byte {offset.ToString(System.Globalization.CultureInfo.InvariantCulture)})", EndsInput: true);
            }
            else
            {
                yield return new RawRecord(_count, offset, line, bytes);
            }
            _window.Mark = -1;
        }
        if (_window.ReadError is { } err) yield return Unreadable(err);
    }

    /// <summary>
    /// The end of a line's record without the comma after it: an array's elements one per line with its brackets
    /// dropped, or a logger that writes <c>{...},</c>, separate records by commas as an array does, and the comma is
    /// no more part of the record than between records one after another. Only a comma after a closing brace is
    /// a separator; anywhere else it is the record's own syntax error, kept as written.
    /// </summary>
    private int WithoutSeparatingComma(int start, int end)
    {
        if (end - start < 2 || _window.Buffer[end - 1] != (byte)',') return end;
        var before = end - 1;
        while (before > start && IsWhitespace(_window.Buffer[before - 1])) before--;
        return before > start && _window.Buffer[before - 1] == (byte)'}' ? before : end;
    }

    /// <summary>Where a read error (a failed read, text that is not UTF-16) ended the input: the reject that says so.</summary>
    private RawRecord Unreadable(string error) =>
        new(_count + 1, _window.AbsolutePosition, _line, ReadOnlyMemory<byte>.Empty,
            $"the input could not be read past line {_line.ToString(System.Globalization.CultureInfo.InvariantCulture)}, byte {_window.AbsolutePosition.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {error}; the rest of the input was not read", EndsInput: true);

    /// <summary>
    /// True when <paramref name="text"/> is not a complete JSON value but only because it stops early: read as
    /// all there is it fails, read as the first part of something longer it has no error so far. A syntax error
    /// (a missing quote before a comma, stray text after the value) is false: more bytes would not mend it.
    /// </summary>
    internal static bool EndsInsideAValue(ReadOnlySpan<byte> text)
    {
        // Any depth: this asks whether the text was cut short, not whether it is a record llmlog accepts.
        var options = new JsonReaderOptions { MaxDepth = int.MaxValue };
        try
        {
            var whole = new Utf8JsonReader(text, isFinalBlock: true, new JsonReaderState(options));
            while (whole.Read())
            {
            }
            return false;
        }
        catch (JsonException)
        {
        }
        try
        {
            var start = new Utf8JsonReader(text, isFinalBlock: false, new JsonReaderState(options));
            while (start.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Scans past one JSON value; null on success, else why it could not be scanned.</summary>
    private string? ScanValue(bool keep)
    {
        if (!keep) _window.Mark = -1;
        var buf = _window.Buffer;
        var first = buf[_window.Position];
        if (first == (byte)'"')
        {
            _window.Position++;
            return ScanStringBody();
        }
        if (first is (byte)'{' or (byte)'[')
        {
            var depth = 0;
            while (true)
            {
                if (!_window.Ensure()) return EndedInside("an object or array");
                buf = _window.Buffer;
                var rest = buf.AsSpan(_window.Position, _window.Length - _window.Position);
                var i = rest.IndexOfAny(ContainerStops);
                if (i < 0) { _window.Position = _window.Length; continue; }
                _window.Position += i;
                var b = buf[_window.Position++];
                switch (b)
                {
                    case (byte)'"':
                        var err = ScanStringBody();
                        if (err is not null) return err;
                        break;
                    case (byte)'{' or (byte)'[':
                        depth++;
                        break;
                    case (byte)'}' or (byte)']':
                        if (--depth == 0) return null;
                        break;
                    case (byte)'\n':
                        _line++;
                        break;
                }
            }
        }
        // A number, true, false, null or stray text: up to the next delimiter; validation judges it.
        while (true)
        {
            if (!_window.Ensure()) return null;
            var rest = _window.Buffer.AsSpan(_window.Position, _window.Length - _window.Position);
            var i = rest.IndexOfAny(ScalarStops);
            if (i >= 0) { _window.Position += i; return null; }
            _window.Position = _window.Length;
        }
    }

    private string? ScanStringBody()
    {
        while (true)
        {
            if (!_window.Ensure()) return EndedInside("a string");
            var buf = _window.Buffer;
            var rest = buf.AsSpan(_window.Position, _window.Length - _window.Position);
            var i = rest.IndexOfAny(StringStops);
            if (i < 0) { _window.Position = _window.Length; continue; }
            _window.Position += i;
            var b = buf[_window.Position++];
            if (b == (byte)'"') return null;
            if (b == (byte)'\n') { _line++; continue; }
            // Backslash: the next byte is escaped, whatever it is, and a newline is still a line (a backslash at a line's
            // end left every later record's line one too low; found by review).
            if (!_window.Ensure()) return EndedInside("a string");
            if (_window.Buffer[_window.Position++] == (byte)'\n') _line++;
        }
    }

    private string EndedInside(string what) => _window.ReadError is { } err
        ? $"the input could not be read inside {what}: {err}"
        : $"the input ends inside {what}";

    private bool ReadKeyIsData(out string? error)
    {
        error = null;
        _window.Mark = _window.Position;
        Advance();
        var scanError = ScanStringBody();
        if (scanError is not null)
        {
            error = scanError;
            _window.Mark = -1;
            return false;
        }
        var key = _window.Buffer.AsSpan(_window.Mark, _window.Position - _window.Mark);
        _window.Mark = -1;
        return key.SequenceEqual("\"data\""u8) || (key.Contains((byte)'\\') && KeyName(key).AsSpan().SequenceEqual("data"u8));
    }

    /// <summary>
    /// A key's name as a JSON parser reads it, from its quoted text: <c>"d\u0061ta"</c> is <c>data</c>. An escaped key was
    /// compared as written, so an export whose "data" was so written had none, and a second one so written was read as
    /// another key (found by probing the reader). A key cut at the look-ahead's limit, or not valid JSON, is no name.
    /// </summary>
    private static byte[] KeyName(ReadOnlySpan<byte> quoted)
    {
        if (!quoted.Contains((byte)'\\')) return quoted[1..^1].ToArray();
        try
        {
            var reader = new Utf8JsonReader(quoted);
            return reader.Read() ? Encoding.UTF8.GetBytes(reader.GetString() ?? "") : [];
        }
        catch (JsonException)
        {
            return [];
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>The rest of the input as one unreadable reject, and the end of reading.</summary>
    private RawRecord Remainder(string why)
    {
        _ended = true;
        var line = _line;
        var offset = _window.AbsolutePosition;
        var start = _window.Position;
        _window.Mark = start;
        while (_window.Length - _window.Mark < MaxRemainderBytes && _window.Fill())
        {
        }
        var keep = Math.Min(_window.Length - _window.Mark, MaxRemainderBytes);
        var text = _window.Buffer.AsMemory(_window.Mark, keep);
        _window.Position = _window.Mark + keep;
        _window.Mark = -1;
        return new RawRecord(_count + 1, offset, line, text, $"{why} (line {line.ToString(System.Globalization.CultureInfo.InvariantCulture)}, byte {offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}); the rest of the input was not read", EndsInput: true);
    }

    private byte Current => _window.Buffer[_window.Position];

    private void Advance() => _window.Position++;

    /// <summary>Skips a UTF-8 byte-order mark at the current position; true when there was one.</summary>
    private bool SkipBom()
    {
        if (!_window.Ensure()) return false;
        while (_window.Length - _window.Position < 3 && _window.Fill())
        {
        }
        if (!_window.Span[_window.Position..].StartsWith("\uFEFF"u8)) return false;
        _window.Position += 3;
        return true;
    }

    /// <summary>Skips white space, counting lines; false at the end of input.</summary>
    private bool SkipWhitespace()
    {
        while (_window.Ensure())
        {
            var b = _window.Buffer[_window.Position];
            if (b == (byte)'\n') _line++;
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return true;
            _window.Position++;
        }
        return false;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    // Files people hand to llmlog by mistake, told by their magic bytes (a bare "first byte 0x28" helps nobody),
    // with what to do instead.
    /// <summary>The kind of file the input is by its first 16 bytes, when it is one llmlog knows is not JSON.</summary>
    private (string Kind, string Advice)? KnownKind()
    {
        while (_window.Length - _window.Position < 16 && _window.Fill())
        {
        }
        return KnownFileKind(_window.Span[_window.Position..]);
    }

    private static InputFormatException NotJson(string kind, string advice) =>
        new($"is {kind}, not JSON: llmlog reads JSON, plain or gzip-compressed; {advice}");

    private static (string Kind, string Advice)? KnownFileKind(ReadOnlySpan<byte> start) => start switch
    {
        // What is left after one gunzip: a file compressed twice.
        [0x1F, 0x8B, ..] => ("gzip-compressed twice", "decompress it once (gzip -dc FILE > ONCE) and ingest that; llmlog takes off one layer"),
        // An error page or a proxy's response saved where the export should be.
        [(byte)'<', ..] => ("HTML or XML (an error page saved in place of the export?)", "export or download the calls again as JSON"),
        [0x28, 0xB5, 0x2F, 0xFD, ..] => ("zstd-compressed", Decompress("zstd")),
        [(byte)'B', (byte)'Z', (byte)'h', ..] => ("bzip2-compressed", Decompress("bzip2")),
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => ("xz-compressed", Decompress("xz")),
        [(byte)'P', (byte)'K', 0x03, 0x04, ..] => ("a zip archive", "unzip it and ingest the files it holds (a folder is read whole)"),
        [(byte)'P', (byte)'A', (byte)'R', (byte)'1', ..] => ("a Parquet file", ExportAsJson),
        _ when start.StartsWith("SQLite format 3\0"u8) => ("a SQLite database", ExportAsJson),
        [_, _, _, _, _, _, _, _, (byte)'D', (byte)'U', (byte)'C', (byte)'K', ..] => ("a DuckDB database", ExportAsJson + "; llmlog's own warehouse is named with --db"),
        _ => null,
    };

    private static string Decompress(string tool) => $"decompress it first, or stream it in: {tool} -dc FILE | llmlog ingest -";

    private const string ExportAsJson = "export the calls from it as JSON or JSON Lines first";

    private static string Printable(byte b) => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"0x{b:X2}";
}
