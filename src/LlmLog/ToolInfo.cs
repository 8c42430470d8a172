using System.Reflection;

namespace LlmLog;

/// <summary>The running llmlog's name and version, as recorded in runs, manifests and reports.</summary>
public static class ToolInfo
{
    /// <summary>
    /// The version and the commit it was built from (<c>0.1.0+a0e5b35083df</c>), as <c>--version</c> says with the whole
    /// commit: every build called itself 0.1.0 in its runs, manifests and reports, so nobody could tell which runs an
    /// llmlog with a known defect had loaded (found by probing). A build from a tree without git history has no commit.
    /// </summary>
    public static string Version { get; } =
        Of(typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion)
        ?? typeof(ToolInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>An informational version with its commit cut to 12 characters, the length <c>git log</c> shows.</summary>
    internal static string? Of(string? informational)
    {
        if (informational is null) return null;
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 || informational.Length - plus - 1 <= 12 ? informational : informational[..(plus + 13)];
    }
}
