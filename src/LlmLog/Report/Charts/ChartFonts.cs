using ScottPlot;
using Serilog;

namespace LlmLog.Report.Charts;

/// <summary>
/// The font charts and the PDF are drawn with: DejaVu Sans, shipped beside the binary (fonts/), so that the report
/// has its text on a machine without font packages too (a fresh container had charts without a label and a PDF
/// without a word). The SkiaSharp build we ship has no fontconfig, so a family name alone may resolve to nothing;
/// the font file is registered with ScottPlot by path. The system's fonts are the fallback for an install that
/// lost its fonts/ folder.
/// </summary>
internal static class ChartFonts
{
    private static readonly (string Path, string Family)[] Candidates =
    [
        (System.IO.Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf"), "DejaVu Sans"),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "Liberation Sans"),
        ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVu Sans"),
        ("/Library/Fonts/Arial.ttf", "Arial"),
        ("C:\\Windows\\Fonts\\arial.ttf", "Arial"),
    ];

    /// <summary>What an SVG viewer falls back to when it lacks the font the chart was measured with.</summary>
    public const string CssFallback = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

    private static readonly Lazy<string> Registered = new(Register);

    public static string Family => Registered.Value;

    private static string Register()
    {
        foreach (var (path, family) in Candidates)
        {
            if (!System.IO.File.Exists(path)) continue;
            Fonts.AddFontFile(family, path);
            var bold = path.Replace(".ttf", "-Bold.ttf", StringComparison.Ordinal).Replace("-Regular-Bold", "-Bold", StringComparison.Ordinal);
            if (System.IO.File.Exists(bold)) Fonts.AddFontFile(family, bold, bold: true, italic: false);
            return family;
        }
        Log.Warning("No font file found (looked for {Path} and the system's DejaVu, Liberation and Arial): the charts and the PDF may have no text; reinstall llmlog",
            Candidates[0].Path);
        return Fonts.Default;
    }
}
