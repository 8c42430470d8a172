using System.Text;
using LlmLog.Report.Pdf;
using SkiaSharp;
using UglyToad.PdfPig;

namespace LlmLog.Tests.Report;

/// <summary>How the PDF shortens text that does not fit its width, and breaks paragraphs across pages.</summary>
public sealed class PdfCanvasTests
{
    // Width in characters: what fits is what is short enough.
    private static float Length(string s) => s.Length;

    [Fact]
    public void TextTooWideIsShortenedInTheMiddleSoItsEndStillTellsItApart()
    {
        var a = PdfCanvas.Fit("customer-support-finetune-very-long-name-2024-01-01", Length, 30);
        var b = PdfCanvas.Fit("customer-support-finetune-very-long-name-2024-06-01", Length, 30);

        a.Should().HaveLength(30).And.StartWith("customer-").And.EndWith("2024-01-01").And.Contain("…");
        b.Should().EndWith("2024-06-01");
        PdfCanvas.Fit("short", Length, 30).Should().Be("short");
    }

    // Bug: a finding's last line stood alone at the head of a page, and the footer's at the head of the last page (found by
    // probing the report).
    // linesThatFit: how many of the paragraph's lines fit on the first page; below 0, that many fewer than it has.
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 100)]
    [InlineData(-1, 100)]
    [InlineData(-2, 100)]
    [InlineData(-1, 30)]
    public void AParagraphThatDoesNotFitBreaksWithAtLeastTwoLinesOnEachPageOrMovesWhole(int linesThatFit, int words)
    {
        const float Size = 9.5f;
        var paragraph = string.Join(" ", Enumerable.Range(1, words).Select(i => $"word{i:000}"));

        var pages = Draw(pdf =>
        {
            var lines = pdf.Lines(paragraph, Size, PdfCanvas.ContentWidth).Count;
            var fit = linesThatFit > 0 ? linesThatFit : lines + linesThatFit;
            pdf.Y = pdf.Y + pdf.Remaining - (fit + 0.5f) * Size * 1.3f;
            pdf.Text(paragraph, Size);
        });

        var perPage = pages.Select(p => p.Count).ToList();
        perPage.Sum().Should().BeGreaterThan(2, "the paragraph wraps into several lines");
        perPage.Should().OnlyContain(n => n == 0 || n >= 2, $"no line of the paragraph is alone on a page ({string.Join(", ", perPage)})");
        if (perPage.Sum() <= 3) perPage[0].Should().Be(0, "a paragraph of three lines or fewer moves whole");
    }

    /// <summary>Draws on a fresh canvas and returns, per page, the baselines of the lines of words.</summary>
    private static List<List<double>> Draw(Action<PdfCanvas> draw)
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream))
        {
            using (var pdf = new PdfCanvas(document)) draw(pdf);
            document.Close();
        }
        using var read = PdfDocument.Open(stream.ToArray());
        return read.GetPages().Select(p => p.GetWords().Where(w => w.Text.StartsWith("word", StringComparison.Ordinal))
            .Select(w => Math.Round(w.BoundingBox.Bottom, 1)).Distinct().ToList()).ToList();
    }

    [Fact]
    public void ShorteningNeverSplitsASurrogatePair()
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var text in new[] { "abcdefghijklmno🚀-long-model-name-xyz-2024", "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀" })
        {
            for (var width = 2; width < text.Length; width++)
            {
                var fitted = PdfCanvas.Fit(text, Length, width);
                fitted.Length.Should().BeLessThanOrEqualTo(width);
                strict.Invoking(e => e.GetBytes(fitted)).Should().NotThrow($"\"{fitted}\" (width {width}) holds whole characters only");
            }
        }
    }
}
