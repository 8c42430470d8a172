using System.Globalization;
using LlmLog.Report.Charts;
using SkiaSharp;

namespace LlmLog.Report.Pdf;

/// <summary>
/// A top-to-bottom cursor over the pages of a SkiaSharp PDF document: wraps text, starts a new page when
/// the next block does not fit, and numbers every page in its footer.
/// </summary>
internal sealed class PdfCanvas : IDisposable
{
    public const float PageWidth = 595f;   // A4 in points
    public const float PageHeight = 842f;
    public const float Margin = 40f;
    public const float ContentWidth = PageWidth - 2 * Margin;
    private const float Bottom = PageHeight - Margin - 14f;

    private readonly SKDocument _document;
    private readonly SKTypeface _regular;
    private readonly SKTypeface _bold;
    private int _page;

    public PdfCanvas(SKDocument document)
    {
        _document = document;
        // The typefaces ScottPlot draws the charts with: the PDF embeds a font once per typeface instance, so a
        // second SKTypeface of the same file would embed the same font program a second time.
        _regular = ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: false, italic: false);
        _bold = ScottPlot.Fonts.GetTypeface(ChartFonts.Family, bold: true, italic: false);
        NewPage();
    }

    public SKCanvas Canvas { get; private set; } = null!;

    public float Y { get; set; }

    public float Remaining => Bottom - Y;

    public void NewPage()
    {
        if (_page > 0) EndPage();
        _page++;
        Canvas = _document.BeginPage(PageWidth, PageHeight);
        Y = Margin;
    }

    /// <summary>The height a page has for content, from its top margin to the footer.</summary>
    public const float PageContentHeight = Bottom - Margin;

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    public void Need(float height)
    {
        if (Y + height > Bottom) NewPage();
    }

    /// <summary>The number of the page being drawn, from 1.</summary>
    public int Page => _page;

    /// <summary>
    /// Writes wrapped text at the cursor and moves below it. A paragraph that does not fit breaks with at least two of its
    /// lines on each page, and one of three lines or fewer moves whole: a finding's last line alone made a page of its
    /// own, and so did the footer's (found by probing the report).
    /// </summary>
    public void Text(string text, float size, bool bold = false, SKColor? color = null, float indent = 0, float after = 4)
    {
        using var font = Font(size, bold);
        using var paint = new SKPaint { Color = color ?? new SKColor(0x1d, 0x27, 0x33), IsAntialias = true };
        var lineHeight = size * 1.3f;
        var lines = Wrap(text, font, ContentWidth - indent);
        var breakAt = -1;
        if (Y + lines.Count * lineHeight > Bottom)
        {
            var fit = (int)((Bottom - Y) / lineHeight);
            if (fit < 2 || lines.Count <= 3) NewPage();
            else breakAt = Math.Min(fit, lines.Count - 2);
        }
        for (var i = 0; i < lines.Count; i++)
        {
            if (i == breakAt) NewPage();
            Need(lineHeight);
            FallbackFonts.Draw(Canvas, lines[i], Margin + indent, Y + size, SKTextAlign.Left, font, paint);
            Y += lineHeight;
        }
        Y += after;
    }

    /// <summary>Text at a fixed place, shortened in the middle to <paramref name="width"/>; the cursor does not move.</summary>
    public void TextAt(string text, float x, float y, float size, bool bold = false, SKColor? color = null, float width = float.MaxValue)
    {
        using var font = Font(size, bold);
        using var paint = new SKPaint { Color = color ?? new SKColor(0x1d, 0x27, 0x33), IsAntialias = true };
        var fitted = Fit(text, font, width);
        FallbackFonts.Draw(Canvas, fitted, x, y, SKTextAlign.Left, font, paint);
    }

    /// <summary>Text that must be read whole, such as a number: drawn smaller until it fits <paramref name="width"/>, never cut.</summary>
    public void WholeTextAt(string text, float x, float y, float size, bool bold = false, SKColor? color = null, float width = float.MaxValue)
    {
        var natural = Measure(text, size, bold);
        TextAt(text, x, y, natural <= width ? size : size * width / natural * 0.99f, bold, color);
    }

    public void Rect(float x, float y, float w, float h, SKColor fill, SKColor? stroke = null)
    {
        using var paint = new SKPaint { Color = fill, Style = SKPaintStyle.Fill, IsAntialias = true };
        Canvas.DrawRoundRect(x, y, w, h, 4, 4, paint);
        if (stroke is { } s)
        {
            using var line = new SKPaint { Color = s, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f, IsAntialias = true };
            Canvas.DrawRoundRect(x, y, w, h, 4, 4, line);
        }
    }

    public void Line(float x1, float y1, float x2, float y2, SKColor color, float width = 0.5f)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = width, IsAntialias = true };
        Canvas.DrawLine(x1, y1, x2, y2, paint);
    }

    public float Measure(string text, float size, bool bold = false)
    {
        using var font = Font(size, bold);
        return FallbackFonts.Measure(text, font);
    }

    public int LineCount(string text, float size, float width) => Lines(text, size, width).Count;

    /// <summary>The lines <see cref="Text"/> would wrap <paramref name="text"/> into.</summary>
    public List<string> Lines(string text, float size, float width, bool bold = false)
    {
        using var font = Font(size, bold);
        return Wrap(text, font, width);
    }

    public void Dispose()
    {
        // The typefaces belong to ScottPlot's cache, which later charts and reports still use.
        EndPage();
    }

    private void EndPage()
    {
        var footer = "Page " + _page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var font = Font(8, false);
        using var paint = new SKPaint { Color = new SKColor(0x5b, 0x66, 0x73), IsAntialias = true };
        Canvas.DrawText(footer, PageWidth / 2, PageHeight - Margin / 2, SKTextAlign.Center, font, paint);
        _document.EndPage();
    }

    private SKFont Font(float size, bool bold) => new(bold ? _bold : _regular, size) { Subpixel = true };

    private static string Fit(string text, SKFont font, float width) => Fit(text, t => FallbackFonts.Measure(t, font), width);

    /// <summary>
    /// <paramref name="text"/> if it fits <paramref name="width"/>, else its start and its end around an ellipsis:
    /// names that share a long start (model versions, files of one folder) differ at the end. Cuts fall between
    /// text elements, never inside a surrogate pair or before a combining mark.
    /// </summary>
    internal static string Fit(string text, Func<string, float> measure, float width)
    {
        if (measure(text) <= width) return text;
        var starts = StringInfo.ParseCombiningCharacters(text);
        string Keep(int n)
        {
            var head = n * 2 / 5;  // the end gets more: it is where such names differ
            return text[..starts[head]] + "…" + text[starts[starts.Length - (n - head)]..];
        }
        // The most text elements that still fit, found by halving: a name can be thousands of characters long.
        int lo = 0, hi = starts.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (measure(Keep(mid)) <= width) lo = mid;
            else hi = mid - 1;
        }
        return lo == 0 ? "…" : Keep(lo);
    }

    private static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (FallbackFonts.Measure(candidate, font) <= width || current.Length == 0)
            {
                current = candidate;
                continue;
            }
            lines.Add(current);
            current = word;
        }
        if (current.Length > 0) lines.Add(current);
        // A single word wider than the line (a long path) is cut rather than run off the page.
        return lines.Select(l => Fit(l, font, width)).ToList();
    }
}
