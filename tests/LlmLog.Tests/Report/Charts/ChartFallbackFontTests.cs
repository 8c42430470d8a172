using LlmLog.Report.Charts;
using LlmLog.Tests.Report.Support;
using SkiaSharp;
using UglyToad.PdfPig;

namespace LlmLog.Tests.Report.Charts;

/// <summary>Characters the chart font (DejaVu Sans) lacks are drawn in a font of the machine that has them.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartFallbackFontTests
{
    private const string Cjk = "通义千问";
    private const string Model = Cjk + "-max";

    // Bug: a model named "通义千问-max" read "□□□□-max" in the legend and on the left axis of every chart.
    [FactWhenAFontDraws(Cjk)]
    public void ACjkModelNameIsDrawnInAFallbackFontInTheLegendAndOnTheAxis()
    {
        using var sample = ReportSample.Of(Enumerable.Range(0, 4).SelectMany(d => new[]
        {
            ChartData.Call(ChartData.Day(d, 10), Model, cost: 0.5),
            ChartData.Call(ChartData.Day(d, 14), "gpt-4o", cost: 0.2),
        }));
        var charts = ReportCharts.All(ReportRun.Data(sample)).ToDictionary(c => c.Id);

        foreach (var id in new[] { "daily-cost", "model-tokens" })
        {
            var letters = Letters(charts[id]);
            var text = string.Concat(letters.Select(l => l.Value));
            text.Should().Contain(Model, $"the {id} chart names the model").And.Contain("gpt-4o").And.NotContain("□");
            letters.Where(l => Cjk.Contains(l.Value, StringComparison.Ordinal)).Should().OnlyContain(l => !(l.FontName ?? "").Contains("DejaVu", StringComparison.Ordinal),
                "DejaVu Sans has no CJK glyph");
            letters.Where(l => l.Value == "x").Should().OnlyContain(l => (l.FontName ?? "").Contains("DejaVu", StringComparison.Ordinal),
                "the chart font stays the font of every character it has");
        }
    }

    /// <summary>The chart drawn as one PDF page, read back letter by letter with the font each is drawn in.</summary>
    private static List<UglyToad.PdfPig.Content.Letter> Letters(ChartFigure figure)
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream))
        {
            var canvas = document.BeginPage(ChartFigure.Width, ChartFigure.Height);
            figure.Create!().Render(canvas, ChartFigure.Width, ChartFigure.Height);
            document.EndPage();
            document.Close();
        }
        using var pdf = PdfDocument.Open(stream.ToArray());
        return pdf.GetPage(1).Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
    }
}
