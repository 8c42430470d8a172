namespace LlmLog.Tests.Support;

/// <summary>
/// Runs llmlog with one folder on a disk of its own that holds only a few kilobytes: a full disk for real (ENOSPC),
/// not a stand-in. The tmpfs is mounted in a private mount namespace, so it is gone with the process; what llmlog
/// left on it is listed before that.
/// </summary>
public static class SmallDisk
{
    public sealed record Result(int ExitCode, string Stderr, IReadOnlyList<string> Left);

    private const string LeftMarker = "--- left on the disk ---";

    /// <summary>
    /// Mounts a tmpfs of <paramref name="kilobytes"/> on <paramref name="folder"/> (which must exist), runs llmlog with
    /// <paramref name="args"/> in <paramref name="workingDirectory"/>, and returns what is left on that disk, relative to it.
    /// </summary>
    public static async Task<Result> RunAsync(string workingDirectory, string folder, int kilobytes, params string[] args)
    {
        using var process = PrivateMount.Start(workingDirectory,
            "mount -t tmpfs -o size=\"$1\"k none \"$2\" || exit 99; dir=$2; shift 2; dotnet \"$@\" >/dev/null; code=$?; "
                + $"echo '{LeftMarker}'; (cd \"$dir\" && find . -mindepth 1 | sort); exit $code",
            [kilobytes.ToString(System.Globalization.CultureInfo.InvariantCulture), folder], args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout;
        process.ExitCode.Should().NotBe(99, "the test mounts a tmpfs in a private mount namespace: {0}", stderr);
        var listed = text.Contains(LeftMarker, StringComparison.Ordinal) ? text[(text.IndexOf(LeftMarker, StringComparison.Ordinal) + LeftMarker.Length)..] : "";
        return new Result(process.ExitCode, stderr, listed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
