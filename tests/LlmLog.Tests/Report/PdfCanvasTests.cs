using System.Text;
using LlmLog.Report.Pdf;

namespace LlmLog.Tests.Report;

/// <summary>How the PDF shortens text that does not fit its width.</summary>
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
