using SkiaSharp;

namespace LlmLog.Report.Pdf;

/// <summary>A table across pages: the header row repeats on every page, cells are cut with an ellipsis, never wrapped off the page.</summary>
internal static class PdfTable
{
    public static void Draw(PdfCanvas pdf, string[] columns, IReadOnlyList<string[]> rows, float[] weights, float fontSize)
    {
        var total = weights.Sum();
        var widths = weights.Select(w => w / total * PdfCanvas.ContentWidth).ToArray();
        var rowHeight = fontSize * 1.75f;
        var line = new SKColor(0xd9, 0xde, 0xe4);
        // A column is numeric (right-aligned, header included) when most of its cells are numbers.
        var right = Enumerable.Range(0, columns.Length).Select(i => i > 0 && rows.Count(r => i < r.Length && !IsText(r[i])) * 2 > rows.Count).ToArray();
        pdf.Need(rowHeight * 3);
        HeaderRow(pdf, columns, widths, fontSize, rowHeight, right);
        foreach (var row in rows)
        {
            if (pdf.Remaining < rowHeight)
            {
                pdf.NewPage();
                HeaderRow(pdf, columns, widths, fontSize, rowHeight, right);
            }
            Cells(pdf, row, widths, fontSize, rowHeight, bold: false, right);
            pdf.Line(PdfCanvas.Margin, pdf.Y, PdfCanvas.Margin + PdfCanvas.ContentWidth, pdf.Y, line);
        }
        pdf.Y += 10;
    }

    private static void HeaderRow(PdfCanvas pdf, string[] columns, float[] widths, float fontSize, float rowHeight, bool[] right)
    {
        pdf.Rect(PdfCanvas.Margin, pdf.Y, PdfCanvas.ContentWidth, rowHeight, new SKColor(0xf5, 0xf7, 0xfa));
        Cells(pdf, columns, widths, fontSize, rowHeight, bold: true, right);
    }

    private static void Cells(PdfCanvas pdf, string[] cells, float[] widths, float fontSize, float rowHeight, bool bold, bool[] right)
    {
        var x = PdfCanvas.Margin;
        for (var i = 0; i < cells.Length && i < widths.Length; i++)
        {
            var inner = widths[i] - 4;
            var textWidth = Math.Min(inner, pdf.Measure(cells[i], fontSize, bold));
            var left = right[i] ? x + 2 + inner - textWidth : x + 2;
            pdf.TextAt(cells[i], left, pdf.Y + rowHeight * 0.68f, fontSize, bold, width: inner);
            x += widths[i];
        }
        pdf.Y += rowHeight;
    }

    private static bool IsText(string cell) => cell.Length > 0 && !char.IsDigit(cell[0]) && cell[0] is not ('$' or '-' or '−') && cell != "n/a";
}
