using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace LlmLog.Validation;

/// <summary>
/// Stable ids for records that carry none: a hash of the record's canonical JSON — object keys sorted,
/// insignificant white space dropped, strings and numbers as written — so the same call exported twice
/// (pretty-printed in one file, on one line in another, keys in another order) is recognised as one.
/// </summary>
public static class RecordId
{
    // Per thread, reused: canonicalising runs once per record on the hot path and must not allocate.
    [ThreadStatic] private static Canonicalizer? _canonicalizer;

    // Per thread, reused: the one-shot SHA256.HashData sets up a new OpenSSL digest context for every
    // call, which cost more than the hashing itself for records of a few hundred bytes.
    [ThreadStatic] private static IncrementalHash? _sha256;

    /// <summary>Hash of the canonical form of a JSON value already known to be well-formed.</summary>
    public static string OfCanonicalJson(ReadOnlySpan<byte> json)
    {
        var c = _canonicalizer ??= new Canonicalizer();
        return OfBytes(c.Canonicalize(json));
    }

    /// <summary>The canonical bytes themselves (for tests and for explaining an id).</summary>
    public static byte[] CanonicalBytes(ReadOnlySpan<byte> json) => (_canonicalizer ??= new Canonicalizer()).Canonicalize(json).ToArray();

    /// <summary>Hash of bytes exactly as they are (used for rejects, which need not be JSON).</summary>
    public static string OfBytes(ReadOnlySpan<byte> bytes)
    {
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> hash = stackalloc byte[32];
        sha256.AppendData(bytes);
        sha256.GetHashAndReset(hash);
        // 128 bits keep ids short in the primary key while collisions stay out of reach.
        return Convert.ToHexStringLower(hash[..16]);
    }

    private sealed class Canonicalizer
    {
        private byte[] _out = new byte[4096];
        private int _length;
        private (int KeyStart, int KeyLength, int ValueStart, int ValueLength)[] _members = new (int, int, int, int)[64];
        private int _memberCount;
        private byte[] _scratch = new byte[4096];

        public ReadOnlySpan<byte> Canonicalize(ReadOnlySpan<byte> json)
        {
            _length = 0;
            _memberCount = 0;
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            reader.Read();
            WriteValue(ref reader, json);
            return _out.AsSpan(0, _length);
        }

        private void WriteValue(ref Utf8JsonReader r, ReadOnlySpan<byte> json)
        {
            switch (r.TokenType)
            {
                case JsonTokenType.StartObject:
                    WriteObject(ref r, json);
                    break;
                case JsonTokenType.StartArray:
                    Append((byte)'[');
                    var first = true;
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (!first) Append((byte)',');
                        first = false;
                        WriteValue(ref r, json);
                    }
                    Append((byte)']');
                    break;
                case JsonTokenType.String:
                    // The token's bytes as written, escapes included, inside its quotes.
                    Append((byte)'"');
                    Append(r.HasValueSequence ? r.ValueSequence.ToArray() : r.ValueSpan);
                    Append((byte)'"');
                    break;
                default:
                    Append(r.HasValueSequence ? r.ValueSequence.ToArray() : r.ValueSpan);
                    break;
            }
        }

        // Members are written one after another into _out, then the object's region is rewritten in key order.
        private void WriteObject(ref Utf8JsonReader r, ReadOnlySpan<byte> json)
        {
            var objectStart = _length;
            var firstMember = _memberCount;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var keyStart = _length;
                Append(r.ValueSpan);
                var keyLength = _length - keyStart;
                r.Read();
                var valueStart = _length;
                WriteValue(ref r, json);
                if (_memberCount == _members.Length) Array.Resize(ref _members, _members.Length * 2);
                _members[_memberCount++] = (keyStart, keyLength, valueStart, _length - valueStart);
            }
            var count = _memberCount - firstMember;
            var members = _members.AsSpan(firstMember, count);
            var region = _length - objectStart;
            if (_scratch.Length < region + count * 4 + 2) _scratch = new byte[Math.Max(_scratch.Length * 2, region + count * 4 + 2)];
            var outBytes = _out;
            members.Sort((a, b) => outBytes.AsSpan(a.KeyStart, a.KeyLength).SequenceCompareTo(outBytes.AsSpan(b.KeyStart, b.KeyLength)));
            var s = 0;
            _scratch[s++] = (byte)'{';
            for (var i = 0; i < count; i++)
            {
                if (i > 0) _scratch[s++] = (byte)',';
                _scratch[s++] = (byte)'"';
                _out.AsSpan(members[i].KeyStart, members[i].KeyLength).CopyTo(_scratch.AsSpan(s));
                s += members[i].KeyLength;
                _scratch[s++] = (byte)'"';
                _scratch[s++] = (byte)':';
                _out.AsSpan(members[i].ValueStart, members[i].ValueLength).CopyTo(_scratch.AsSpan(s));
                s += members[i].ValueLength;
            }
            _scratch[s++] = (byte)'}';
            _memberCount = firstMember;
            _length = objectStart;
            Append(_scratch.AsSpan(0, s));
        }

        private void Append(byte b)
        {
            if (_length == _out.Length) Array.Resize(ref _out, _out.Length * 2);
            _out[_length++] = b;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _out.Length) Array.Resize(ref _out, Math.Max(_out.Length * 2, _length + bytes.Length));
            bytes.CopyTo(_out.AsSpan(_length));
            _length += bytes.Length;
        }
    }
}
