using SkiaSharp;

namespace LlmLog.Report.Pdf;

/// <summary>
/// A table across pages: the header row repeats on every page. Numbers are never cut: each numeric column is as
/// wide as its widest cell, and the table's font shrinks when they do not fit side by side. Text cells share what
/// is left and are shortened in the middle; headers wrap at spaces.
/// </summary>
internal static class PdfTable
{
    private const float Padding = 4;

    /// <summary>Text columns are not shortened below this many points (at the requested font size) before the font shrinks.</summary>
    private const float MinTextWidth = 70;

    /// <summary>The height the table takes when it is drawn on one page, space after it included.</summary>
    public static float Height(PdfCanvas pdf, string[] columns, IReadOnlyList<string[]> rows, float[] weights, float fontSize)
    {
        var (_, _, _, rowHeight, headerHeight) = Measure(pdf, columns, rows, weights, fontSize);
        return headerHeight + rowHeight * rows.Count + After;
    }

    private const float After = 10;

    private static (float Size, float[] Widths, bool[] Right, float RowHeight, float HeaderHeight) Measure(
        PdfCanvas pdf, string[] columns, IReadOnlyList<string[]> rows, float[] weights, float fontSize)
    {
        // Numeric columns are right-aligned, header included.
        var right = ReportContent.TextColumns(columns.Length, rows).Select(text => !text).ToArray();
        var (size, widths) = Layout(pdf, columns, rows, weights, right, fontSize);
        var rowHeight = size * 1.75f;
        var lines = columns.Select((c, i) => pdf.Lines(c, size, widths[i] - Padding, bold: true).Count).Max();
        return (size, widths, right, rowHeight, rowHeight + (lines - 1) * size * 1.2f);
    }

    /// <summary>
    /// Draws the table; a <paramref name="totals"/> row comes last, in bold, as the HTML report's footer (the PDF's
    /// total row read as one more day; found by probing the report).
    /// </summary>
    public static void Draw(PdfCanvas pdf, string[] columns, IReadOnlyList<string[]> rows, float[] weights, float fontSize, string[]? totals = null)
    {
        var all = totals is null ? rows : [.. rows, totals];
        var (size, widths, right, rowHeight, headerHeight) = Measure(pdf, columns, all, weights, fontSize);
        var header = columns.Select((c, i) => pdf.Lines(c, size, widths[i] - Padding, bold: true)).ToArray();
        var line = new SKColor(0xd9, 0xde, 0xe4);
        pdf.Need(headerHeight + rowHeight * 2);
        HeaderRow(pdf, header, widths, size, headerHeight, right);
        for (var r = 0; r < all.Count; r++)
        {
            var row = all[r];
            var bold = totals is not null && r == all.Count - 1;
            if (pdf.Remaining < rowHeight)
            {
                pdf.NewPage();
                HeaderRow(pdf, header, widths, size, headerHeight, right);
            }
            var x = PdfCanvas.Margin;
            for (var i = 0; i < row.Length && i < widths.Length; i++)
            {
                Cell(pdf, row[i], x, pdf.Y + rowHeight * 0.68f, widths[i], size, bold, right[i]);
                x += widths[i];
            }
            pdf.Y += rowHeight;
            pdf.Line(PdfCanvas.Margin, pdf.Y, PdfCanvas.Margin + PdfCanvas.ContentWidth, pdf.Y, line);
        }
        pdf.Y += After;
    }

    /// <summary>
    /// The font size and column widths: numeric columns get their widest cell, text columns at least their longest
    /// header word and, while it can be had, <see cref="MinTextWidth"/>; the rest of the page goes by weight.
    /// </summary>
    private static (float Size, float[] Widths) Layout(PdfCanvas pdf, string[] columns, IReadOnlyList<string[]> rows, float[] weights, bool[] right, float fontSize)
    {
        var n = columns.Length;
        var word = columns.Select(c => c.Split(' ').Max(w => pdf.Measure(w, fontSize, bold: true))).ToArray();
        var cells = Enumerable.Range(0, n).Select(i => rows.Where(r => i < r.Length).Select(r => pdf.Measure(r[i], fontSize)).DefaultIfEmpty(0).Max()).ToArray();
        // At fontSize: what a column cannot do without, and what it would like.
        var need = Enumerable.Range(0, n).Select(i => right[i] ? Math.Max(word[i], cells[i]) : Math.Max(word[i], Math.Min(cells[i], MinTextWidth))).ToArray();
        var room = PdfCanvas.ContentWidth - Padding * n;
        // Text widths scale with the font size, so one factor makes every numeric column fit.
        var scale = Math.Min(1f, room / need.Sum());
        var size = fontSize * scale * 0.99f;
        var widths = need.Select(w => w * scale).ToArray();
        var left = room - widths.Sum();
        // Columns that want more than they need (text) share the rest by weight, each up to its widest cell.
        var wanting = Enumerable.Range(0, n).Where(i => cells[i] * scale > widths[i]).ToList();
        while (left > 0.5f && wanting.Count > 0)
        {
            var total = wanting.Sum(i => weights[i]);
            var given = 0f;
            foreach (var i in wanting)
            {
                var add = Math.Min(left * weights[i] / total, cells[i] * scale - widths[i]);
                widths[i] += add;
                given += add;
            }
            left -= given;
            wanting.RemoveAll(i => cells[i] * scale - widths[i] < 0.5f);
        }
        // Whatever is still left widens every column by weight, so the table spans the page.
        var all = weights.Sum();
        return (size, widths.Select((w, i) => w + Padding + left * weights[i] / all).ToArray());
    }

    private static void HeaderRow(PdfCanvas pdf, List<string>[] header, float[] widths, float size, float height, bool[] right)
    {
        pdf.Rect(PdfCanvas.Margin, pdf.Y, PdfCanvas.ContentWidth, height, new SKColor(0xf5, 0xf7, 0xfa));
        var x = PdfCanvas.Margin;
        for (var i = 0; i < header.Length; i++)
        {
            // Bottom-aligned, so one-line headers sit on the same line as the last line of a wrapped one.
            var y = pdf.Y + height - size * 1.75f * 0.32f - (header[i].Count - 1) * size * 1.2f;
            foreach (var line in header[i])
            {
                Cell(pdf, line, x, y, widths[i], size, bold: true, right[i]);
                y += size * 1.2f;
            }
            x += widths[i];
        }
        pdf.Y += height;
    }

    private static void Cell(PdfCanvas pdf, string text, float x, float baseline, float width, float size, bool bold, bool right)
    {
        var inner = width - Padding;
        var textWidth = Math.Min(inner, pdf.Measure(text, size, bold));
        pdf.TextAt(text, right ? x + Padding / 2 + inner - textWidth : x + Padding / 2, baseline, size, bold, width: inner);
    }

}
