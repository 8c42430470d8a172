using LlmLog.Report.Charts;
using SkiaSharp;

namespace LlmLog.Report.Pdf;

/// <summary>
/// Writes the report as an A4 PDF through SkiaSharp's PDF backend: ScottPlot draws each chart onto the page
/// canvas, so charts stay vector, and no browser is needed. Header and KPIs on page 1, page numbers on all.
/// Text and charts share one typeface per weight, and <see cref="PdfFontSubset"/> keeps only the glyphs drawn,
/// so a short report is about 120 KB instead of 1.2 MB.
/// </summary>
public static class PdfReportWriter
{
    private static readonly SKColor Muted = new(0x5b, 0x66, 0x73);
    private static readonly SKColor LineColor = new(0xd9, 0xde, 0xe4);
    private static readonly SKColor TileColor = new(0xf5, 0xf7, 0xfa);

    public static void Write(ReportData data, string path)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = ReportContent.DocumentTitle(data.Header),
            Creator = "llmlog " + data.Header.ToolVersion,
            Producer = "llmlog " + data.Header.ToolVersion + " (SkiaSharp)",
            Creation = data.Header.GeneratedAtUtc,
            Modified = data.Header.GeneratedAtUtc,
            RasterDpi = 300,
        };
        using var document = SKDocument.CreatePdf(stream, metadata);
        using (var pdf = new PdfCanvas(document))
        {
            Header(pdf, data);
            Findings(pdf, data);
            // Without a call every chart would be empty axes: the document is its data quality part alone.
            if (data.HasCalls) Charts(pdf, data);
            Tables(pdf, data);
        }
        document.Close();
        File.WriteAllBytes(path, PdfFontSubset.Apply(stream.ToArray()));
    }

    private static void Header(PdfCanvas pdf, ReportData data)
    {
        pdf.Text(data.Header.Title, 20, bold: true, after: 6);
        foreach (var (label, value) in ReportContent.HeaderLines(data.Header))
        {
            pdf.TextAt(label, PdfCanvas.Margin, pdf.Y + 9, 9, bold: true, color: Muted);
            pdf.TextAt(value, PdfCanvas.Margin + 80, pdf.Y + 9, 9, color: Muted, width: PdfCanvas.ContentWidth - 80);
            pdf.Y += 12;
        }
        pdf.Y += 10;
        const int Columns = 3;
        const float Gap = 8, NoteSize = 7, NoteLine = NoteSize * 1.3f;
        var tileWidth = (PdfCanvas.ContentWidth - Gap * (Columns - 1)) / Columns;
        var tiles = ReportContent.Tiles(data);
        // A note wraps at its spaces, never cut mid-word ("161 calls unpric…"): every tile grows by the lines of the longest.
        var notes = tiles.Select(t => pdf.Lines(t.Note, NoteSize, tileWidth - 16)).ToList();
        var tileHeight = 52 + (notes.Max(n => n.Count) - 1) * NoteLine;
        for (var i = 0; i < tiles.Count; i++)
        {
            var x = PdfCanvas.Margin + i % Columns * (tileWidth + Gap);
            var y = pdf.Y + i / Columns * (tileHeight + Gap);
            var (label, value, _) = tiles[i];
            pdf.Rect(x, y, tileWidth, tileHeight, TileColor, LineColor);
            pdf.TextAt(label.ToUpperInvariant(), x + 8, y + 13, 7, color: Muted, width: tileWidth - 16);
            pdf.WholeTextAt(value, x + 8, y + 32, 16, bold: true, width: tileWidth - 16);
            for (var line = 0; line < notes[i].Count; line++) pdf.TextAt(notes[i][line], x + 8, y + 45 + line * NoteLine, NoteSize, color: Muted, width: tileWidth - 16);
        }
        pdf.Y += (tiles.Count + Columns - 1) / Columns * (tileHeight + Gap) + 8;
    }

    private static void Findings(PdfCanvas pdf, ReportData data)
    {
        Heading(pdf, "Findings");
        foreach (var f in data.Findings)
        {
            pdf.Need(12);
            pdf.TextAt("•", PdfCanvas.Margin, pdf.Y + 9.5f, 10);
            pdf.Text(f, 9.5f, indent: 10, after: 3);
        }
    }

    private static void Charts(PdfCanvas pdf, ReportData data)
    {
        // The charts start on a page of their own after the first page; after findings that ran over onto a second one,
        // they follow them there: a page of two lines of findings came before them (found by probing the report).
        const float Scale = PdfCanvas.ContentWidth / ChartFigure.Width;
        const float ChartHeight = ChartFigure.Height * Scale;
        if (pdf.Page == 1) pdf.NewPage();
        else pdf.Need(12 + HeadingHeight + 20 + ChartHeight + 40);
        Heading(pdf, "Charts");
        foreach (var figure in ReportCharts.All(data))
        {
            var caption = figure.Create is null ? figure.EmptyReason ?? "" : figure.AltText;
            var captionHeight = pdf.LineCount(caption, 7.5f, PdfCanvas.ContentWidth) * 7.5f * 1.3f;
            pdf.Need(20 + (figure.Create is null ? 0 : ChartHeight) + captionHeight + 14);
            pdf.Text(figure.Title, 11, bold: true, after: 2);
            if (figure.Create is not null)
            {
                var plot = figure.Create();
                var canvas = pdf.Canvas;
                canvas.Save();
                // ScottPlot clears its figure area first; the clip keeps that to the chart's own rectangle.
                canvas.ClipRect(new SKRect(PdfCanvas.Margin, pdf.Y, PdfCanvas.Margin + PdfCanvas.ContentWidth, pdf.Y + ChartHeight));
                canvas.Translate(PdfCanvas.Margin, pdf.Y);
                canvas.Scale(Scale);
                plot.Render(canvas, ChartFigure.Width, ChartFigure.Height);
                canvas.Restore();
                pdf.Y += ChartHeight + 4;
            }
            pdf.Text(caption, 7.5f, color: Muted, after: 14);
        }
    }

    private static void Tables(PdfCanvas pdf, ReportData data)
    {
        if (data.HasCalls)
        {
            pdf.NewPage();
            Heading(pdf, "Daily metrics");
            PdfTable.Draw(pdf, ReportContent.DailyColumnsShort, ReportContent.DailyRows(data).ToList(),
                [1.75f, 0.8f, 0.8f, 0.8f, 1.05f, 1.05f, 1.05f, 0.85f, 0.85f, 0.85f, 0.8f, 0.75f, 0.9f], fontSize: 6.2f, ReportContent.DailyTotals(data));
            HeadedTable(pdf, "Model comparison", ReportContent.ModelColumnsShort, ReportContent.ModelRows(data).ToList(),
                [2.6f, 0.8f, 0.8f, 1.1f, 0.8f, 0.8f, 0.9f, 0.9f, 0.8f, 0.8f, 0.9f], fontSize: 6.5f);
            pdf.Text(ReportContent.ModelTableNote, 7.5f, color: Muted, after: 6);
            if (ReportContent.PooledModelsNote(data) is { } pooled) pdf.Text(pooled, 7.5f, color: Muted, after: 6);
        }
        HeadedTable(pdf, "Data quality: ingest runs", ReportContent.RunColumns, ReportContent.RunRows(data).ToList(), [0.5f, 3.2f, 1.6f, 0.8f, 0.8f, 0.8f, 0.8f, 0.8f, 0.8f], fontSize: 6.5f,
            whenEmpty: ReportContent.NoRunsNote);
        if (ReportContent.FoldedRunsNote(data) is { } folded) pdf.Text(folded, 7.5f, color: Muted, after: 6);
        if (ReportContent.ResolvedRunsNote(data) is { } resolved) pdf.Text(resolved, 7.5f, color: Muted, after: 6);
        HeadedTable(pdf, "Data quality: top reject reasons", ReportContent.RejectColumns, ReportContent.RejectRows(data).ToList(), [1.6f, 0.8f, 5f], fontSize: 6.5f,
            whenEmpty: "No record of the period was rejected.");
        if (data.HasCalls)
        {
            HeadedTable(pdf, "Data quality: completeness and flags", ReportContent.CompletenessColumns, ReportContent.CompletenessRows(data).ToList(), [3f, 2f, 1f], fontSize: 7f);
        }
        pdf.Text($"Generated by llmlog {data.Header.ToolVersion} at {Format.Utc(data.Header.GeneratedAtUtc)}.{(data.HasCalls ? " " + ReportContent.FooterNotes : "")}", 7.5f, color: Muted);
    }

    /// <summary>
    /// A heading and its table. A table that fits on a page starts on the next one rather than split across two: the
    /// sample's 11-row completeness table put 3 rows at the foot of one page and 8 on a page of their own (found by
    /// probing the report). A longer one is split, its header repeated. Without rows, <paramref name="whenEmpty"/> says so.
    /// </summary>
    private static void HeadedTable(PdfCanvas pdf, string heading, string[] columns, IReadOnlyList<string[]> rows, float[] weights, float fontSize, string? whenEmpty = null)
    {
        if (rows.Count == 0 && whenEmpty is not null)
        {
            Heading(pdf, heading);
            pdf.Text(whenEmpty, 9);
            return;
        }
        var height = HeadingHeight + PdfTable.Height(pdf, columns, rows, weights, fontSize);
        if (height <= PdfCanvas.PageContentHeight) pdf.Need(height);
        Heading(pdf, heading);
        PdfTable.Draw(pdf, columns, rows, weights, fontSize);
    }

    /// <summary>What <see cref="Heading"/> takes: space above, the 14-point line, the rule and space below.</summary>
    private const float HeadingHeight = 6 + 14 * 1.3f + 2 + 8;

    private static void Heading(PdfCanvas pdf, string text)
    {
        // Room for the heading and the first rows below it, so a heading never ends a page alone.
        pdf.Need(80);
        pdf.Y += 6;
        pdf.Text(text, 14, bold: true, after: 2);
        pdf.Line(PdfCanvas.Margin, pdf.Y, PdfCanvas.Margin + PdfCanvas.ContentWidth, pdf.Y, LineColor, 1.2f);
        pdf.Y += 8;
    }
}
