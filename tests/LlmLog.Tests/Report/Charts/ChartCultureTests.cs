using System.Globalization;
using System.Text.RegularExpressions;
using LlmLog.Report.Html;
using LlmLog.Tests.Report.Support;
using LlmLog.Tests.Support;

namespace LlmLog.Tests.Report.Charts;

/// <summary>The report reads the same on every machine: numbers in the invariant culture whatever the locale.</summary>
[Collection(ReportCollection.Name)]
public sealed class ChartCultureTests
{
    // Bug: under a German locale the axes read "30.000" and "6,5", and a caption "(100,0%)".
    [Fact]
    public void AReportRenderedUnderAGermanCultureIsTheInvariantOne()
    {
        using var sample = ReportSample.Create(days: 3);
        var data = ReportRun.Data(sample);
        var invariant = HtmlReportWriter.Render(data);

        var before = CultureInfo.CurrentCulture;
        string german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = HtmlReportWriter.Render(data);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        ClipIds(german).Should().Be(ClipIds(invariant));
    }

    [Fact]
    public async Task TheCommandUnderAGermanLocaleWritesTheChartsOfTheInvariantOne()
    {
        using var sample = ReportSample.Create(days: 3);
        var runs = new Dictionary<string, string>();
        foreach (var locale in new[] { "C.UTF-8", "de_DE.UTF-8" })
        {
            var html = Path.Combine(sample.Folder, locale + ".html");
            var environment = new Dictionary<string, string> { ["LANG"] = locale, ["LC_ALL"] = locale };
            var run = await LlmLogProcess.RunAsync(sample.Folder, new LlmLogProcess.Options(Environment: environment), "report", "--db", sample.Database, "--out", html);
            run.ExitCode.Should().Be(0, run.Stderr);
            runs[locale] = File.ReadAllText(html);
        }

        Charts(runs["de_DE.UTF-8"]).Should().Equal(Charts(runs["C.UTF-8"]));
    }

    /// <summary>Skia numbers the clip paths of its SVGs from a counter that lives as long as the process.</summary>
    private static string ClipIds(string html) => Regex.Replace(html, "cl_[0-9a-zA-Z]+", "cl_");

    /// <summary>Each chart and its caption; the rest of the page states the time it was generated, which differs between runs.</summary>
    private static List<string> Charts(string html) =>
        Regex.Matches(html, @"<figure\b.*?</figure>", RegexOptions.Singleline).Select(m => m.Value).ToList();
}
