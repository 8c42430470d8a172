using System.Text.RegularExpressions;

namespace LlmLog.Validation;

/// <summary>Splits a model name into family and version: <c>gpt-4o-2024-11-20</c> → <c>gpt-4o</c>, <c>2024-11-20</c>.</summary>
public static partial class ModelName
{
    // [0-9], not \d, which matches the digits of every script: "gpt-4o-٢٠٢٤-١١-٢٠" is no dated version.
    [GeneratedRegex(@"^(?<family>.+?)-(?<version>[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}|[0-9]{4}|latest|preview)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();

    public static (string Family, string? Version) Split(string model)
    {
        var m = VersionSuffix().Match(model);
        return m.Success ? (m.Groups["family"].Value, m.Groups["version"].Value) : (model, null);
    }
}
