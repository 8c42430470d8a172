using ScottPlot;
using SkiaSharp;

namespace LlmLog.Report.Charts;

/// <summary>
/// Draws the chart labels that need a fallback font (<see cref="FallbackFonts"/>) after ScottPlot has drawn the
/// rest. ScottPlot draws a label in one typeface, so such a label is handed to it as spaces as wide as the text, which
/// keeps its layout (legend width, left axis width) and leaves no stray glyph; this last render step then writes the
/// text by runs where ScottPlot put the spaces. Labels the chart font draws alone stay ScottPlot's.
/// </summary>
internal sealed class FallbackLabels : IRenderAction
{
    private readonly List<(LegendItem Item, string Text, Color Color)> _legend = [];
    private (IAxis Axis, Dictionary<double, string> Labels, Color Color)? _left;

    private static SKTypeface Main => Fonts.GetTypeface(ChartFonts.Family, bold: false, italic: false);

    /// <summary>Whether <paramref name="label"/> has to be drawn here rather than by ScottPlot.</summary>
    public static bool Needed(string label) => FallbackFonts.NeedsFallback(label, Main);

    /// <summary>A legend item for <paramref name="label"/>: its text drawn here when it needs a fallback font.</summary>
    public static LegendItem LegendItem(Plot plot, string label, Color fill)
    {
        var item = new LegendItem { LabelText = label, FillColor = fill };
        if (!Needed(label)) return item;
        var size = plot.Legend.FontSize ?? item.LabelStyle.FontSize;
        item.LabelText = Spaces(label, size);
        item.LabelStyle.FontSize = size;
        On(plot)._legend.Add((item, label, plot.Legend.FontColor ?? item.LabelStyle.ForeColor));
        return item;
    }

    /// <summary>Tick labels of the left axis, all drawn here when one of them needs a fallback font.</summary>
    public static void LeftTicks(Plot plot, double[] positions, string[] labels)
    {
        var axis = plot.Axes.Left;
        if (!labels.Any(Needed))
        {
            axis.SetTicks(positions, labels);
            return;
        }
        var size = axis.TickLabelStyle.FontSize;
        axis.SetTicks(positions, labels.Select(l => Spaces(l, size)).ToArray());
        On(plot)._left = (axis, positions.Zip(labels).ToDictionary(p => p.First, p => p.Second), axis.TickLabelStyle.ForeColor);
    }

    public void Render(RenderPack rp)
    {
        using var font = new SKFont(Main) { Subpixel = true };
        using var paint = new SKPaint { IsAntialias = true };
        foreach (var (item, text, color) in _legend)
        {
            var rect = item.LabelStyle.LastRenderPixelRect;
            if (rect.Width <= 0) continue;
            font.Size = item.LabelStyle.FontSize;
            paint.Color = color.ToSKColor();
            FallbackFonts.Draw(rp.Canvas, text, rect.Left, rect.Bottom - font.Metrics.Bottom, SKTextAlign.Left, font, paint);
        }
        if (_left is { } left)
        {
            // Where ScottPlot puts a left tick label: right-aligned 5 px left of its tick, centred on it.
            var right = rp.DataRect.Left - left.Axis.MajorTickStyle.Length - 5;
            font.Size = left.Axis.TickLabelStyle.FontSize;
            var centre = font.Spacing / 2 - font.Metrics.Bottom;
            paint.Color = left.Color.ToSKColor();
            foreach (var tick in left.Axis.TickGenerator.Ticks.Where(t => t.IsMajor && left.Labels.ContainsKey(t.Position)))
                FallbackFonts.Draw(rp.Canvas, left.Labels[tick.Position], right, left.Axis.GetPixel(tick.Position, rp.DataRect) + centre, SKTextAlign.Right, font, paint);
        }
    }

    /// <summary>The overlay of <paramref name="plot"/>, added as its last render step on first use.</summary>
    private static FallbackLabels On(Plot plot)
    {
        if (plot.RenderManager.RenderActions.OfType<FallbackLabels>().FirstOrDefault() is { } existing) return existing;
        var overlay = new FallbackLabels();
        plot.RenderManager.RenderActions.Add(overlay);
        return overlay;
    }

    /// <summary>Spaces at least as wide, in the chart font, as <paramref name="label"/> drawn by runs.</summary>
    private static string Spaces(string label, float size)
    {
        using var font = new SKFont(Main, size) { Subpixel = true };
        var width = FallbackFonts.Measure(label, font);
        return new string(' ', Math.Max(1, (int)Math.Ceiling(width / font.MeasureText(" "))));
    }
}
