using System.Globalization;
using System.Text.RegularExpressions;
using LlmLog.Report.Charts;

namespace LlmLog.Report.Html;

/// <summary>A chart as an inline SVG element: scalable to the page width, labelled for screen readers, no external reference.</summary>
internal static partial class SvgChart
{
    public static string Render(ChartFigure figure, string titleId, string descriptionId)
    {
        var plot = figure.Create!();
        var svg = plot.GetSvgXml(ChartFigure.Width, ChartFigure.Height);
        svg = XmlDeclaration().Replace(svg, "");
        // The HTML parser places <svg> in its namespace itself; dropping xmlns leaves no URL in the file at all.
        svg = Namespace().Replace(svg, "");
        svg = FontFamily().Replace(svg, m => $"font-family=\"{ChartFonts.CssFallback}\"");
        var open = OpenTag().Match(svg);
        if (!open.Success) throw new InvalidOperationException("ScottPlot returned no <svg> element");
        var attributes = string.Create(CultureInfo.InvariantCulture,
            $"<svg viewBox=\"0 0 {ChartFigure.Width} {ChartFigure.Height}\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"{titleId}\" aria-describedby=\"{descriptionId}\" class=\"chart\">");
        return attributes + svg[(open.Index + open.Length)..];
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\s+xmlns(:\w+)?=""[^""]*""")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"font-family=""[^""]*""")]
    private static partial Regex FontFamily();

    [GeneratedRegex(@"<svg\b[^>]*>")]
    private static partial Regex OpenTag();
}
