using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LlmLog.Tests.Report.Support;

/// <summary>
/// What a reader sees in one chart of a report, read from its inline SVG: the data area, every text with the box it
/// covers in the 720×400 image, the bars drawn in the data area, and the legend's entries with their colours.
/// </summary>
public sealed partial class ChartSvg
{
    public const double Width = 720;
    public const double Height = 400;

    /// <summary>A text as drawn: its box is estimated from the glyph positions ScottPlot writes, the last glyph taken as wide as a digit.</summary>
    public sealed record Text(string Value, double Left, double Right, double Top, double Bottom, double FontSize, bool Vertical)
    {
        public double Middle => (Top + Bottom) / 2;
    }

    public sealed record Box(double Left, double Top, double Width, double Height, string Fill)
    {
        public double Middle => Top + Height / 2;
    }

    private ChartSvg(string id, Box dataArea, List<Text> texts, List<Box> marks, List<(string, string)> legend)
    {
        Id = id;
        DataArea = dataArea;
        Texts = texts;
        Marks = marks;
        Legend = legend;
    }

    public string Id { get; }

    public Box DataArea { get; }

    public IReadOnlyList<Text> Texts { get; }

    /// <summary>The rectangles drawn inside the data area (bars, heatmap cells).</summary>
    public IReadOnlyList<Box> Marks { get; }

    /// <summary>The legend's entries: label and the colour of its swatch.</summary>
    public IReadOnlyList<(string Label, string Fill)> Legend { get; }

    /// <summary>Tick labels of the value or category axis on the left (axis titles are 13 px, tick labels 12 px).</summary>
    public IReadOnlyList<Text> LeftTicks => Texts.Where(t => !t.Vertical && t.FontSize < 13 && t.Right <= DataArea.Left + 1).OrderBy(t => -t.Middle).ToList();

    public IReadOnlyList<Text> BottomTicks => Texts.Where(t => !t.Vertical && t.FontSize < 13 && t.Top >= DataArea.Top + DataArea.Height - 1).OrderBy(t => t.Left).ToList();

    /// <summary>Every chart drawn in a report's HTML, by figure id.</summary>
    public static IReadOnlyDictionary<string, ChartSvg> AllIn(string html) =>
        FigureSvg().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => Parse(m.Groups["id"].Value, m.Groups["svg"].Value));

    public static ChartSvg Parse(string id, string svg)
    {
        var root = XElement.Parse(svg);
        var clips = root.Descendants("clipPath").ToList();
        var area = clips[0].Element("rect")!;
        var dataArea = new Box(D(area, "x"), D(area, "y"), D(area, "width"), D(area, "height"), "");
        var dataClip = $"url(#{clips[0].Attribute("id")!.Value})";
        var texts = root.Descendants("text").Select(ReadText).ToList();
        var marks = root.Descendants("g").Where(g => (string?)g.Attribute("clip-path") == dataClip)
            .SelectMany(g => g.Descendants("rect")).Select(ReadBox).ToList();
        var legend = new List<(string, string)>();
        foreach (var group in root.Descendants("g").Where(g => g.Attribute("clip-path") is { } c && c.Value != dataClip))
        {
            var swatches = group.Elements("rect").Select(ReadBox).ToList();
            foreach (var label in group.Elements("text").Select(ReadText))
            {
                var swatch = swatches.MinBy(s => Math.Abs(s.Middle - label.Middle));
                if (swatch is not null) legend.Add((label.Value, swatch.Fill));
            }
        }
        return new ChartSvg(id, dataArea, texts, marks, legend);
    }

    private static Text ReadText(XElement e)
    {
        var value = e.Value.Trim();
        var size = D(e, "font-size");
        var xs = Numbers(e.Attribute("x")?.Value ?? "0");
        var y = Numbers(e.Attribute("y")?.Value ?? "0").FirstOrDefault();
        // The last glyph's advance is not written; a digit's (0.64 em in DejaVu Sans) is close for the labels measured here.
        var start = xs.Count == 0 ? 0 : xs[0];
        var end = (xs.Count == 0 ? 0 : xs[^1]) + 0.64 * size;
        var transform = e.Attribute("transform")?.Value ?? "translate(0 0)";
        var numbers = Numbers(Regex.Match(transform, @"\(([^)]*)\)").Groups[1].Value);
        if (transform.StartsWith("matrix", StringComparison.Ordinal))
        {
            // matrix(0 -1 1 0 tx ty): text running upwards, as the left axis title is drawn.
            var (tx, ty) = (numbers[4], numbers[5]);
            return new Text(value, tx + y - size, tx + y + 0.25 * size, ty - end, ty - start, size, Vertical: true);
        }
        var (ox, oy) = (numbers[0], numbers[1]);
        return new Text(value, ox + start, ox + end, oy + y - 0.8 * size, oy + y + 0.25 * size, size, Vertical: false);
    }

    private static Box ReadBox(XElement e) => new(D(e, "x"), D(e, "y"), D(e, "width"), D(e, "height"), ((string?)e.Attribute("fill") ?? "").ToUpperInvariant());

    private static double D(XElement e, string attribute) => double.Parse(e.Attribute(attribute)?.Value ?? "0", CultureInfo.InvariantCulture);

    private static List<double> Numbers(string list) =>
        list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"<figure id=""(?<id>[^""]+)""[^>]*>(?:(?!</figure>).)*?(?<svg><svg\b.*?</svg>)", RegexOptions.Singleline)]
    private static partial Regex FigureSvg();
}
