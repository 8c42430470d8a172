using LlmLog.Report;
using LlmLog.Report.Pdf;
using LlmLog.Tests.Report.Support;
using UglyToad.PdfPig;

namespace LlmLog.Tests.Report;

[Collection(ReportCollection.Name)]
public sealed class PdfReportWriterTests
{
    [Fact]
    public void ThePdfOpensAndPageOneCarriesTheHeaderAndKpis()
    {
        using var sample = ReportSample.Create();
        var data = ReportRun.Data(sample);
        var path = Path.Combine(sample.Folder, "report.pdf");
        PdfReportWriter.Write(data, path);

        using var pdf = PdfDocument.Open(path);
        pdf.NumberOfPages.Should().BeGreaterThan(3);
        var first = pdf.GetPage(1).Text;
        first.Should().Contain("LLM usage report");
        first.Should().Contain("2025-01-01 to 2025-01-14");
        first.Should().Contain(Format.Count(data.Kpis.Calls));
        first.Should().Contain(Format.Seconds(data.Kpis.P95LatencyS));
        first.Should().Contain(Format.Share(data.Kpis.StreamedShare));
        first.Should().Contain("Page 1");
        pdf.GetPage(pdf.NumberOfPages).Text.Should().Contain("Page " + pdf.NumberOfPages);
    }

    [Fact]
    public void ChartsAreVectorNotImages()
    {
        using var sample = ReportSample.Create(days: 3);
        var data = ReportRun.Data(sample);
        var path = Path.Combine(sample.Folder, "report.pdf");
        PdfReportWriter.Write(data, path);

        using var pdf = PdfDocument.Open(path);
        var all = string.Concat(pdf.GetPages().Select(p => p.Text));
        all.Should().Contain("Daily calls by request type").And.Contain("Latency distribution");
        pdf.GetPages().SelectMany(p => p.GetImages()).Should().BeEmpty("charts are drawn as paths and text");
        pdf.GetPages().Skip(1).First().Paths.Count.Should().BeGreaterThan(50);
    }

    [Fact]
    public void ThePdfSaysUnderTheModelComparisonThatItsPercentilesAreReadFromBins()
    {
        using var sample = ReportSample.Create(days: 3);
        var path = Path.Combine(sample.Folder, "report.pdf");
        PdfReportWriter.Write(ReportRun.Data(sample), path);

        using var pdf = PdfDocument.Open(path);
        // PdfPig joins a page's letters without the spaces between words.
        var all = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        var note = ReportContent.ModelTableNote.Replace(" ", "", StringComparison.Ordinal);
        all.IndexOf(note, StringComparison.Ordinal).Should().BeGreaterThan(all.IndexOf("Modelcomparison", StringComparison.Ordinal))
            .And.BeLessThan(all.IndexOf("Dataquality:ingestruns", StringComparison.Ordinal));
    }
}
