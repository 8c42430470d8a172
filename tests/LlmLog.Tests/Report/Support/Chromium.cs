using System.Diagnostics;

namespace LlmLog.Tests.Report.Support;

/// <summary>
/// Debian's headless chromium, run with a fresh profile and nothing that phones home. Missing chromium fails
/// the test with the fix (tests/install-test-deps.sh) rather than skipping it.
/// </summary>
public static class Chromium
{
    public static string Executable()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("LLMLOG_TEST_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("chromium is not installed; run tests/install-test-deps.sh (or set LLMLOG_TEST_CHROMIUM to a Chrome binary)");
    }

    /// <summary>Runs chromium headless on <paramref name="url"/> with extra arguments and returns its stdout.</summary>
    public static string Run(string url, string profile, params string[] extra)
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Its crash-report folder and dconf cache went to the user's own ~/.config and ~/.cache (found by running the suite
        // as a newcomer would): the profile folder is its home.
        start.Environment["HOME"] = profile;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(profile, "config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(profile, "cache");
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--hide-scrollbars", "--user-data-dir=" + profile,
        }.Concat(extra).Append(url))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within 90 s: {stderr.Result}");
        }
        return stdout.Result;
    }

    /// <summary>Width and height from a PNG's header.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 24 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G') throw new InvalidDataException(path + " is not a PNG");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
