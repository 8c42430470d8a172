using System.Globalization;
using System.Text.RegularExpressions;
using LlmLog.Report;
using LlmLog.Report.Html;
using LlmLog.Tests.Generation;
using LlmLog.Tests.Report.Support;

namespace LlmLog.Tests.Report;

/// <summary>The report in a real browser: charts laid out at a visible size, and not one network request.</summary>
[Collection(ReportCollection.Name)]
public sealed class HtmlInBrowserTests
{
    // A test-only page that loads the report in a frame, then writes what the browser measured into its own
    // DOM for --dump-dom to print: each chart's rendered size, and every resource the report fetched.
    private const string Probe = """
        <!DOCTYPE html><html><body><pre id="out">pending</pre>
        <iframe id="f" src="report.html" style="width:WIDTHpx;height:900px"></iframe>
        <script>
        document.getElementById('f').addEventListener('load', () => {
          const w = document.getElementById('f').contentWindow;
          const charts = [...w.document.querySelectorAll('svg.chart')].map(s => {
            const r = s.getBoundingClientRect(); return Math.round(r.width) + 'x' + Math.round(r.height); });
          const resources = w.performance.getEntriesByType('resource').map(e => e.name);
          const wide = [...w.document.querySelectorAll('.scroll')].filter(d => d.scrollWidth > d.clientWidth + 1)
            .map(d => d.querySelector('th').textContent.trim() + ':' + d.scrollWidth + '>' + d.clientWidth);
          const tiles = [...w.document.querySelectorAll('.tile')].filter(t => {
            const v = t.querySelector('.value'), box = t.getBoundingClientRect();
            return v.scrollWidth > v.clientWidth + 1 || v.getBoundingClientRect().right > box.right || box.right > w.document.documentElement.clientWidth; })
            .map(t => t.querySelector('.label').textContent + ':' + t.querySelector('.value').scrollWidth + '>' + t.querySelector('.value').clientWidth);
          const spilled = [...w.document.querySelectorAll('figure')].filter(f => f.scrollWidth > f.clientWidth + 1
            || [...f.querySelectorAll('figcaption')].some(c => c.scrollWidth > c.clientWidth + 1)).map(f => f.id + ':' + f.scrollWidth + '>' + f.clientWidth);
          const page = w.document.documentElement.scrollWidth > w.document.documentElement.clientWidth + 1
            ? w.document.documentElement.scrollWidth + '>' + w.document.documentElement.clientWidth : '';
          const broken = [...w.document.querySelectorAll('th[scope=row].text')].filter(c => c.textContent.trim().length <= 12).filter(c => {
            const r = w.document.createRange(); r.selectNodeContents(c);
            return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; }).map(c => c.textContent.trim());
          document.getElementById('out').textContent =
            'page=' + page + '|\n' + 'charts=' + charts.join(',') + '\nresources=' + resources.length + ' ' + resources.join(' ') + '\nwide=' + wide.join(';') + '|'
            + '\ntiles=' + tiles.join(';') + '|' + '\nspilled=' + spilled.join(',') + '|' + '\nbroken=' + broken.join(';') + '|';
        });
        </script></body></html>
        """;

    /// <summary>Renders the sample's report, opens it in the probe page at <paramref name="width"/> px and returns the probe's DOM.</summary>
    private static string Probed(ReportSample sample, int width = 1280, string? title = null)
    {
        File.WriteAllText(Path.Combine(sample.Folder, "report.html"), HtmlReportWriter.Render(ReportRun.Data(sample, title: title)));
        File.WriteAllText(Path.Combine(sample.Folder, "probe.html"), Probe.Replace("WIDTH", width.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return Chromium.Run(new Uri(Path.Combine(sample.Folder, "probe.html")).AbsoluteUri, Path.Combine(sample.Folder, "profile-probe"),
            "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom");
    }

    /// <summary>What the probe listed under <paramref name="key"/> (empty when nothing is out of place).</summary>
    private static string Measured(string dom, string key)
    {
        dom.Should().Contain(key + "=", "the probe ran; DOM was: " + dom[..Math.Min(dom.Length, 400)]);
        return Regex.Match(dom, key + @"=([^|]*)\|").Groups[1].Value;
    }

    [Fact]
    public void ChartsRenderAtAVisibleSizeAndNoRequestLeavesThePage()
    {
        using var sample = ReportSample.Create();

        var dom = Probed(sample);

        var charts = Regex.Match(dom, @"charts=([0-9x,]*)").Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries);
        charts.Should().HaveCount(15, "every chart is an svg.chart in the page; DOM was: " + dom[..Math.Min(dom.Length, 400)]);
        foreach (var size in charts)
        {
            var wh = size.Split('x').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            wh[0].Should().BeGreaterThan(200);
            wh[1].Should().BeGreaterThan(100);
        }
        Regex.Match(dom, @"resources=(\d+)").Groups[1].Value.Should().Be("0", "the report must not fetch anything");
    }

    [Fact]
    public void AtTheWidthOfALaptopWindowEveryTableFitsWithoutScrollingSideways()
    {
        // The daily and model tables ran past the right edge at 1280 px: TTFT, output speed, max_tokens hits and
        // cost sat behind a sideways scroll nobody sees. Headings now wrap onto two lines instead.
        using var sample = ReportSample.Create();

        Measured(Probed(sample), "wide").Should().BeEmpty("tables wider than their box at 1280 px");
    }

    [Fact]
    public void AFineTunedModelNameWrapsSoTwentyEightModelsFitTheComparisonTable()
    {
        // Bug: model names never wrapped, so one fine-tune name made the model comparison wider than the page,
        // and 28 models hid output speed, max_tokens hits and cost behind a sideways scroll.
        string[] models =
        [
            "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:abc123", "ft:gpt-4o-2024-08-06:acme-corporation-research:summarizer-v2:9xYz",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0", .. Enumerable.Range(0, 25).Select(i => FormattableString.Invariant($"model-{i:00}-2024-11-20")),
        ];
        using var sample = ReportSample.Of(models.SelectMany((m, i) => Enumerable.Range(0, 3).Select(d => ChartData.Call(ChartData.Day(d, hour: 1 + i % 20), m, cost: 0.01))));

        Measured(Probed(sample), "wide").Should().BeEmpty("tables wider than their box at 1280 px");
    }

    // Bug: the name column of a table could shrink to a character or two, so "gpt-4o-mini" broke over two lines on a
    // 1140 px page and "model-00" over two at a phone's width, while every number kept its full width (found by probing
    // the report).
    [Theory]
    [InlineData(1140)]
    [InlineData(400)]
    public void AShortModelNameStaysOnOneLineOfTheModelComparison(int width)
    {
        using var sample = ReportSample.Of(new[] { "gpt-4o-mini", "model-00", "o1-mini" }.SelectMany((m, i) =>
            Enumerable.Range(0, 3).Select(d => ChartData.Call(ChartData.Day(d, hour: 1 + i), m, cost: 0.01))));

        Measured(Probed(sample, width), "broken").Should().BeEmpty("names of twelve characters or fewer fit one line");
    }

    [Fact]
    public void AYearOfDailyRowsWithTotalsInTheBillionsFitsTheWidthWithItsCostColumn()
    {
        // Bug: 365 days with totals in the hundreds of millions made the daily table 1181 px in a 1140 px box;
        // cost read "$0." with its sideways scrollbar 366 rows below. The table's font now shrinks to fit.
        using var sample = ReportSample.Of(Enumerable.Range(0, 365).SelectMany(d => new[]
        {
            ChartData.Call(ChartData.Day(d, hour: 3), prompt: 3_000_000, completion: 800_000, cost: 12.5),
            ChartData.Call(ChartData.Day(d, hour: 15), model: "gpt-4o-mini", prompt: 3_000_000, completion: 800_000, cost: 1.25),
        }));

        Measured(Probed(sample), "wide").Should().BeEmpty("tables wider than their box at 1280 px");
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public void KeyFiguresOfHundredsOfMillionsFitTheirTiles(int width)
    {
        // Bug: "LOGGED COST $108,085,41…" ran out of its tile into the next one at 1280 px.
        using var sample = ReportSample.Extreme();

        Measured(Probed(sample, width), "tiles").Should().BeEmpty($"tile values wider than their tile at {width} px");
    }

    // A 150-character title without a space made a 1280 px page 3,226 px wide, and a reject reason quoting 60 Z's a phone's
    // page 664 px wide: the heading and the findings did not wrap (found by probing the report).
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public void AnUnbrokenTitleOrRejectedValueWrapsInsteadOfWideningThePage(int width)
    {
        var bad = ChartData.Call(ChartData.Day(1));
        bad["created"] = new string('Z', 400);
        using var sample = ReportSample.Of([ChartData.Call(ChartData.Day(0), cost: 0.01), bad]);

        var dom = Probed(sample, width, title: new string('A', 150) + " report");

        Measured(dom, "page").Should().BeEmpty($"the page fits {width} px without scrolling sideways");
    }

    [Fact]
    public void ACaptionWithAnEightyCharacterModelNameStaysInsideItsCard()
    {
        // The captions of the model charts ran past the right edge of their cards: a model name has no space to wrap at.
        var name = new string('a', 80);
        using var sample = ReportSample.Of([ChartData.Call(ChartData.Day(0), name, cost: 0.01), ChartData.Call(ChartData.Day(1), "gpt-4o", cost: 0.01)]);

        Measured(Probed(sample), "spilled").Should().BeEmpty("figures whose caption runs past the card at 1280 px");
    }

    [Fact]
    public async Task PrintedFromABrowserTheSampleSFindingsEndOnTheFirstPageAndTheChartsStartTheSecond()
    {
        // Bug: printed from a browser (A4), the sample's 3x3 tiles pushed the findings' last two lines onto page 2,
        // and the charts' page break left the rest of that page blank.
        using var sample = ReportSample.Empty();
        sample.Ingest(GeneratedRecords.RepositoryFile("data/sample-export.json"));
        var report = Path.Combine(sample.Folder, "report.html");
        File.WriteAllText(report, HtmlReportWriter.Render(ReportRun.Data(sample)));
        var pdf = Path.Combine(sample.Folder, "printed.pdf");

        Chromium.Run(new Uri(report).AbsoluteUri, Path.Combine(sample.Folder, "profile-print"), "--no-pdf-header-footer", "--print-to-pdf=" + pdf);

        // Lines as the page breaks them: the last finding's words may fall on two.
        var first = Regex.Replace(await PdfText(pdf, 1), @"\s+", " ");
        first.Should().Contain("Findings").And.Contain("lists each with its file, record number, field and reason.", "the last finding ends on page 1");
        (await PdfText(pdf, 2)).TrimStart().Should().StartWith("Charts");
    }

    // Bug: printed from a browser, the daily table's total row (its tfoot) repeated at the foot of every page the table
    // ran over, where it read as a page subtotal (found by probing the report).
    [Fact]
    public async Task PrintedFromABrowserTheDailyTotalRowIsPrintedOnceAfterTheLastDay()
    {
        using var sample = ReportSample.Create(days: 150, callsPerDay: 5);
        var data = ReportRun.Data(sample);
        var report = Path.Combine(sample.Folder, "report.html");
        File.WriteAllText(report, HtmlReportWriter.Render(data));
        var pdf = Path.Combine(sample.Folder, "printed.pdf");

        Chromium.Run(new Uri(report).AbsoluteUri, Path.Combine(sample.Folder, "profile-print"), "--no-pdf-header-footer", "--print-to-pdf=" + pdf);

        var text = await PdfText(pdf, 1, 999, layout: true);
        var totals = Regex.Matches(text, @"^\s*Total\s+" + Regex.Escape(Format.Count(data.Kpis.Calls)) + @"\s", RegexOptions.Multiline).ToList();
        totals.Should().ContainSingle("the daily table runs over several pages, and its total row is printed once");
        text.LastIndexOf(Format.Day(data.Days[^1].Day), StringComparison.Ordinal).Should().BeLessThan(totals[0].Index, "after the last day");
    }

    private static async Task<string> PdfText(string pdf, int page, int? last = null, bool layout = false)
    {
        string[] options = ["-enc", "UTF-8", "-f", page.ToString(CultureInfo.InvariantCulture), "-l", (last ?? page).ToString(CultureInfo.InvariantCulture)];
        var start = new System.Diagnostics.ProcessStartInfo("pdftotext", [.. options, .. (layout ? ["-layout"] : Array.Empty<string>()), pdf, "-"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0);
        return text;
    }

    [Fact]
    public void TheDumpedDomHoldsNoUrlAndAScreenshotIsDrawn()
    {
        using var sample = ReportSample.Create(days: 3);
        var report = Path.Combine(sample.Folder, "report.html");
        File.WriteAllText(report, HtmlReportWriter.Render(ReportRun.Data(sample)));
        var url = new Uri(report).AbsoluteUri;

        var dom = Chromium.Run(url, Path.Combine(sample.Folder, "profile-dom"), "--dump-dom");
        Regex.Matches(dom, "<svg[^>]*class=\"chart\"").Count.Should().Be(15);
        dom.Should().NotMatchRegex(@"(?i)https?://");

        var png = Path.Combine(sample.Folder, "shot.png");
        Chromium.Run(url, Path.Combine(sample.Folder, "profile-shot"), "--screenshot=" + png, "--window-size=390,2400");
        Chromium.PngSize(png).Should().Be((390, 2400));
        new FileInfo(png).Length.Should().BeGreaterThan(30_000, "a phone-width page of tiles and charts is not blank");
    }
}
