using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmLog.Report.Pdf;

/// <summary>
/// Cuts each font program of a PDF that SkiaSharp wrote down to the glyphs the document draws. Skia names its fonts
/// as subsets, but the SkiaSharp build has no subsetter and embeds every glyph (760 KB for DejaVu Sans). Skia's
/// ToUnicode map of a font lists exactly the glyphs it drew, so HarfBuzz's subsetter (in the HarfBuzzSharp library
/// that SkiaSharp.HarfBuzz ships) keeps those, under the same glyph ids, so the pages and widths stay valid.
/// </summary>
internal static partial class PdfFontSubset
{
    private const string HarfBuzz = "libHarfBuzzSharp";
    private const uint RetainGlyphIds = 0x2; // HB_SUBSET_FLAGS_RETAIN_GIDS

    /// <summary>The PDF with its fonts subset; unchanged when it is not laid out as Skia writes, or HarfBuzz cannot subset.</summary>
    public static byte[] Apply(byte[] pdf)
    {
        // Latin-1 maps each byte to one char, so an index in the text is an offset in the file.
        var text = Encoding.Latin1.GetString(pdf);
        var xref = text.LastIndexOf("\nxref\n", StringComparison.Ordinal) + 1;
        if (xref <= 0) return pdf;
        var entries = XrefEntry().Matches(text, xref).ToList();
        var offsets = entries.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var trailer = text.IndexOf("trailer\n", xref, StringComparison.Ordinal);
        var startxref = text.IndexOf("startxref", xref, StringComparison.Ordinal);
        // Skia numbers its objects 1..n in one section, none free but the head of the free list.
        if (trailer < 0 || startxref < trailer || !text[xref..trailer].StartsWith(FormattableString.Invariant($"xref\n0 {entries.Count}\n"), StringComparison.Ordinal)
            || entries.Count < 2 || entries.Skip(1).Any(m => m.Groups[2].Value != "n") || offsets.Skip(1).Any(o => o <= 0 || o >= xref)) return pdf;
        string Object(int number) => number > 0 && number < offsets.Count ? text[offsets[number]..text.IndexOf("endobj", offsets[number], StringComparison.Ordinal)] : "";
        byte[]? Stream(int number) => number > 0 && number < offsets.Count ? Inflate(text, offsets[number]) : null;

        var programs = new Dictionary<int, byte[]>();
        foreach (Match font in Type0Font().Matches(text))
        {
            var descriptor = Reference("FontDescriptor", Object(Number(font.Groups[1].Value)));
            var program = Reference("FontFile2", Object(descriptor));
            if (program <= 0 || programs.ContainsKey(program)) continue;
            if (Stream(Number(font.Groups[2].Value)) is not { } map || Stream(program) is not { } whole) continue;
            var (glyphs, unicodes) = Drawn(Encoding.Latin1.GetString(map));
            if (Subset(whole, glyphs, unicodes) is { } subset) programs[program] = subset;
        }
        return programs.Count == 0 ? pdf : Rewrite(pdf, offsets, xref, text[trailer..startxref], programs);
    }

    /// <summary>The glyph ids a ToUnicode map lists (bfchar and bfrange entries), and the characters they stand for.</summary>
    private static (HashSet<uint> Glyphs, HashSet<uint> Unicodes) Drawn(string cmap)
    {
        var glyphs = new HashSet<uint> { 0 };
        var unicodes = new HashSet<uint>();
        foreach (Match m in CmapEntry().Matches(cmap))
        {
            var range = m.Groups[3].Success;
            uint first = Hex(m.Groups[1].Value), last = range ? Hex(m.Groups[2].Value) : first, unicode = Hex(m.Groups[range ? 3 : 2].Value);
            for (var g = first; g <= last && g <= ushort.MaxValue; g++)
            {
                glyphs.Add(g);
                if (unicode is > 0 and <= 0xFFFF) unicodes.Add(unicode + g - first);
            }
        }
        return (glyphs, unicodes);
    }

    /// <summary>The file again, each replaced font program in place of its object, and the cross-reference table renumbered.</summary>
    private static byte[] Rewrite(byte[] pdf, List<int> offsets, int xref, string trailer, Dictionary<int, byte[]> programs)
    {
        var order = Enumerable.Range(1, offsets.Count - 1).OrderBy(n => offsets[n]).ToList();
        using var output = new MemoryStream(pdf.Length);
        output.Write(pdf, 0, offsets[order[0]]);
        var moved = new long[offsets.Count];
        for (var k = 0; k < order.Count; k++)
        {
            var n = order[k];
            var end = k + 1 < order.Count ? offsets[order[k + 1]] : xref;
            moved[n] = output.Position;
            if (programs.TryGetValue(n, out var program))
            {
                var packed = Deflate(program);
                Ascii(output, $"{n} 0 obj\n<</Length1 {program.Length}\n/Filter /FlateDecode\n/Length {packed.Length}>> stream\n");
                output.Write(packed);
                Ascii(output, "\nendstream\nendobj\n");
            }
            else
            {
                output.Write(pdf, offsets[n], end - offsets[n]);
            }
        }
        var table = output.Position;
        var b = new StringBuilder().Append("xref\n0 ").Append(offsets.Count).Append("\n0000000000 65535 f \n");
        foreach (var position in moved.Skip(1)) b.Append(position.ToString("0000000000", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        b.Append(trailer).Append("startxref\n").Append(table).Append("\n%%EOF\n");
        Ascii(output, b.ToString());
        return output.ToArray();
    }

    /// <summary>The font cut to <paramref name="glyphs"/> by HarfBuzz; null when HarfBuzz fails or is missing.</summary>
    private static byte[]? Subset(byte[] font, HashSet<uint> glyphs, HashSet<uint> unicodes)
    {
        IntPtr blob = 0, face = 0, input = 0, subset = 0, result = 0;
        try
        {
            blob = hb_blob_create(font, (uint)font.Length, 0 /* HB_MEMORY_MODE_DUPLICATE */, 0, 0);
            face = hb_face_create(blob, 0);
            input = hb_subset_input_create_or_fail();
            if (input == 0) return null;
            var glyphSet = hb_subset_input_glyph_set(input);
            foreach (var g in glyphs) hb_set_add(glyphSet, g);
            var unicodeSet = hb_subset_input_unicode_set(input);
            foreach (var u in unicodes) hb_set_add(unicodeSet, u);
            hb_subset_input_set_flags(input, RetainGlyphIds);
            subset = hb_subset_or_fail(face, input);
            if (subset == 0) return null;
            result = hb_face_reference_blob(subset);
            var data = hb_blob_get_data(result, out var length);
            if (data == 0 || length == 0) return null;
            var bytes = new byte[length];
            Marshal.Copy(data, bytes, 0, (int)length);
            return bytes;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Serilog.Log.Debug("PDF fonts embedded whole: {Reason}", e.Message);
            return null;
        }
        finally
        {
            if (result != 0) hb_blob_destroy(result);
            if (subset != 0) hb_face_destroy(subset);
            if (input != 0) hb_subset_input_destroy(input);
            if (face != 0) hb_face_destroy(face);
            if (blob != 0) hb_blob_destroy(blob);
        }
    }

    /// <summary>The decompressed data of the stream object at <paramref name="offset"/>; null when it is not a Flate stream.</summary>
    private static byte[]? Inflate(string text, int offset)
    {
        var data = text.IndexOf("stream\n", offset, StringComparison.Ordinal) + "stream\n".Length;
        var dictionary = text[offset..Math.Max(offset, data)];
        var length = StreamLength().Match(dictionary);
        if (!length.Success || !dictionary.Contains("/FlateDecode", StringComparison.Ordinal) || dictionary.Contains("endobj", StringComparison.Ordinal)) return null;
        var size = int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture);
        if (data + size > text.Length) return null;
        try
        {
            using var z = new ZLibStream(new MemoryStream(Encoding.Latin1.GetBytes(text.Substring(data, size))), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            z.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static byte[] Deflate(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.SmallestSize)) z.Write(data);
        return packed.ToArray();
    }

    private static int Reference(string key, string obj)
    {
        var m = Regex.Match(obj, "/" + key + @" (\d+) 0 R");
        return m.Success ? Number(m.Groups[1].Value) : 0;
    }

    private static int Number(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static uint Hex(string digits) => uint.Parse(digits.Length > 8 ? digits[^8..] : digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static void Ascii(Stream output, string s) => output.Write(Encoding.ASCII.GetBytes(s));

    [GeneratedRegex(@"(\d{10}) \d{5} ([nf]) ?\r?\n")]
    private static partial Regex XrefEntry();

    [GeneratedRegex(@"/Subtype /Type0\n(?:/[^\n]*\n)*?/DescendantFonts \[(\d+) 0 R\]\n/ToUnicode (\d+) 0 R")]
    private static partial Regex Type0Font();

    [GeneratedRegex(@"^<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>(?: <([0-9A-Fa-f]+)>)?$", RegexOptions.Multiline)]
    private static partial Regex CmapEntry();

    [GeneratedRegex(@"/Length (\d+)")]
    private static partial Regex StreamLength();

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_blob_create(byte[] data, uint length, int mode, IntPtr userData, IntPtr destroy);

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_face_create(IntPtr blob, uint index);

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_subset_input_create_or_fail();

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_subset_input_glyph_set(IntPtr input);

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_subset_input_unicode_set(IntPtr input);

    [LibraryImport(HarfBuzz)]
    private static partial void hb_subset_input_set_flags(IntPtr input, uint flags);

    [LibraryImport(HarfBuzz)]
    private static partial void hb_set_add(IntPtr set, uint codepoint);

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_face_reference_blob(IntPtr face);

    [LibraryImport(HarfBuzz)]
    private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [LibraryImport(HarfBuzz)]
    private static partial void hb_blob_destroy(IntPtr blob);

    [LibraryImport(HarfBuzz)]
    private static partial void hb_face_destroy(IntPtr face);

    [LibraryImport(HarfBuzz)]
    private static partial void hb_subset_input_destroy(IntPtr input);
}
