using System.Buffers;
using System.Security.Cryptography;

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

    /// <summary>
    /// Writes the canonical form of JSON that the validator has already parsed (so it is well-formed and at
    /// most <see cref="CallRecordValidator.MaxDepth"/> deep, which bounds this recursion): a single scan over
    /// the bytes that copies tokens as written, drops the white space between them and rewrites each object's
    /// members in key order. A second full JSON parse here cost about as much as validating the record in the
    /// first place.
    /// </summary>
    private sealed class Canonicalizer
    {
        private byte[] _out = new byte[4096];
        private int _length;
        private Member[] _members = new Member[64];
        private int _memberCount;
        private byte[] _scratch = new byte[4096];

        private record struct Member(int KeyStart, int KeyLength, int ValueStart, int ValueLength);

        public ReadOnlySpan<byte> Canonicalize(ReadOnlySpan<byte> json)
        {
            _length = 0;
            _memberCount = 0;
            var end = WriteValue(json, SkipWhiteSpace(json, 0));
            if (SkipWhiteSpace(json, end) != json.Length) throw new ArgumentException("expected exactly one JSON value", nameof(json));
            return _out.AsSpan(0, _length);
        }

        // Writes the value starting at json[i]; returns the index just past it.
        private int WriteValue(ReadOnlySpan<byte> json, int i)
        {
            switch (json[i])
            {
                case (byte)'{':
                    return WriteObject(json, i);
                case (byte)'[':
                    Append((byte)'[');
                    i = SkipWhiteSpace(json, i + 1);
                    if (json[i] == (byte)']') break;
                    while (true)
                    {
                        i = SkipWhiteSpace(json, WriteValue(json, i));
                        if (json[i] == (byte)']') break;
                        Append((byte)',');
                        i = SkipWhiteSpace(json, i + 1); // past the comma
                    }
                    break;
                case (byte)'"':
                    var stringEnd = EndOfString(json, i);
                    Append(json[i..stringEnd]);
                    return stringEnd;
                default:
                    // A number, true, false or null: everything up to the next delimiter, as written.
                    var literalEnd = i;
                    while (literalEnd < json.Length && !IsDelimiter(json[literalEnd])) literalEnd++;
                    Append(json[i..literalEnd]);
                    return literalEnd;
            }
            Append((byte)']');
            return i + 1;
        }

        // Members are written one after another into _out, then the object's region is rewritten in key order.
        private int WriteObject(ReadOnlySpan<byte> json, int i)
        {
            var objectStart = _length;
            var firstMember = _memberCount;
            i = SkipWhiteSpace(json, i + 1);
            while (json[i] != (byte)'}')
            {
                var keyEnd = EndOfString(json, i);
                var keyStart = _length;
                Append(json[(i + 1)..(keyEnd - 1)]); // the key's bytes as written, without its quotes
                var keyLength = _length - keyStart;
                i = SkipWhiteSpace(json, SkipWhiteSpace(json, keyEnd) + 1); // past the colon
                var valueStart = _length;
                i = SkipWhiteSpace(json, WriteValue(json, i));
                if (_memberCount == _members.Length) Array.Resize(ref _members, _members.Length * 2);
                _members[_memberCount++] = new Member(keyStart, keyLength, valueStart, _length - valueStart);
                if (json[i] == (byte)',') i = SkipWhiteSpace(json, i + 1);
            }

            var count = _memberCount - firstMember;
            var members = _members.AsSpan(firstMember, count);
            SortByKey(members, _out);
            var region = _length - objectStart;
            if (_scratch.Length < region + count * 4 + 2) _scratch = new byte[Math.Max(_scratch.Length * 2, region + count * 4 + 2)];
            var s = 0;
            _scratch[s++] = (byte)'{';
            for (var m = 0; m < count; m++)
            {
                if (m > 0) _scratch[s++] = (byte)',';
                _scratch[s++] = (byte)'"';
                _out.AsSpan(members[m].KeyStart, members[m].KeyLength).CopyTo(_scratch.AsSpan(s));
                s += members[m].KeyLength;
                _scratch[s++] = (byte)'"';
                _scratch[s++] = (byte)':';
                _out.AsSpan(members[m].ValueStart, members[m].ValueLength).CopyTo(_scratch.AsSpan(s));
                s += members[m].ValueLength;
            }
            _scratch[s++] = (byte)'}';
            _memberCount = firstMember;
            _length = objectStart;
            Append(_scratch.AsSpan(0, s));
            return i + 1;
        }

        // Objects have a handful of members: an insertion sort by the key's bytes, stable and allocation-free.
        private static void SortByKey(Span<Member> members, byte[] bytes)
        {
            for (var i = 1; i < members.Length; i++)
            {
                var m = members[i];
                var key = bytes.AsSpan(m.KeyStart, m.KeyLength);
                var j = i - 1;
                while (j >= 0 && bytes.AsSpan(members[j].KeyStart, members[j].KeyLength).SequenceCompareTo(key) > 0)
                {
                    members[j + 1] = members[j];
                    j--;
                }
                members[j + 1] = m;
            }
        }

        // json[i] is the opening quote; returns the index just past the closing one.
        private static int EndOfString(ReadOnlySpan<byte> json, int i)
        {
            i++;
            while (true)
            {
                var next = json[i..].IndexOfAny((byte)'"', (byte)'\\');
                if (next < 0) throw new ArgumentException("unterminated string", nameof(json));
                i += next;
                if (json[i] == (byte)'"') return i + 1;
                i += 2; // a backslash and the character it escapes
            }
        }

        private static int SkipWhiteSpace(ReadOnlySpan<byte> json, int i)
        {
            while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') i++;
            return i;
        }

        private static bool IsDelimiter(byte b) => b is (byte)',' or (byte)']' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

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
