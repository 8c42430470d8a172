using System.Diagnostics;

namespace LlmLog.Tests.Support;

/// <summary>
/// Starts llmlog behind a shell <c>script</c> in a mount namespace of its own (<c>unshare --mount</c>, mapped to root
/// for a normal user), so that what the script mounts is gone with the process: a tiny disk (<see cref="SmallDisk"/>),
/// a folder bound read-only. The script gets <c>scriptArgs</c> as $1…, then the llmlog assembly and its arguments.
/// </summary>
public static class PrivateMount
{
    public static Process Start(string workingDirectory, string script, IEnumerable<string> scriptArgs, IEnumerable<string> llmlogArgs)
    {
        var info = new ProcessStartInfo("unshare") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            .. Environment.IsPrivilegedProcess ? ["--mount"] : new[] { "--mount", "--map-root-user" },
            "--", "sh", "-c", script, "sh", .. scriptArgs, LlmLogProcess.Executable, .. llmlogArgs,
        ];
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment.Remove("LLMLOG_DB");
        return Process.Start(info)!;
    }
}
