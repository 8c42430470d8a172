using System.Text.RegularExpressions;

namespace LlmLog.Warehouse;

/// <summary>Keeps passwords out of anything llmlog prints, logs or writes.</summary>
public static partial class Secrets
{
    [GeneratedRegex(@"(?<key>password|pwd)\s*=\s*(?<value>[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();

    [GeneratedRegex(@"(?<scheme>postgres(?:ql)?://[^:/@\s]*):(?<value>[^@\s]*)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    /// <summary>Replaces any password in connection strings or URIs inside <paramref name="text"/> with <c>***</c>.</summary>
    public static string Mask(string text)
    {
        text = KeywordPassword().Replace(text, m => m.Groups["key"].Value + "=***");
        return UriPassword().Replace(text, m => m.Groups["scheme"].Value + ":***@");
    }
}
