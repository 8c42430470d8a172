using System.Net;
using System.Text.RegularExpressions;

namespace LlmLog.Tests.Report.Support;

/// <summary>The text a reader sees in a report (charts, styles and markup removed), one block per line.</summary>
public static partial class HtmlText
{
    /// <summary>The text with what differs between machines and runs masked: the sample's folder, the tool version, ingest times.</summary>
    public static string Stable(string html, ReportSample sample)
    {
        var text = Of(html).Replace(sample.Folder, "<sample>", StringComparison.Ordinal).Replace(ToolInfo.Version, "<version>", StringComparison.Ordinal);
        return IngestedAt().Replace(text, "| <ingested at> | succeeded");
    }

    public static string Of(string html)
    {
        var text = Style().Replace(html, "");
        text = Svg().Replace(text, "[chart]");
        text = Cell().Replace(text, " | ");
        text = text.Replace("</dt>", ": ", StringComparison.Ordinal);
        text = Block().Replace(text, "\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        var lines = text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim().TrimEnd('|').Trim()).Where(l => l.Length > 0);
        return string.Join('\n', lines) + "\n";
    }

    [GeneratedRegex(@"<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex Style();

    [GeneratedRegex(@"<svg\b.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Svg();

    [GeneratedRegex(@"</t[dh]>")]
    private static partial Regex Cell();

    [GeneratedRegex(@"</(p|li|h1|h2|h3|tr|div|figcaption|title|footer|dd)>|<br>")]
    private static partial Regex Block();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\| \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \| succeeded")]
    private static partial Regex IngestedAt();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();
}
