using System.Diagnostics;

namespace LlmLog.Tests.Support;

/// <summary>Runs the real llmlog executable, as a scheduler would: separate process, exit code, stdout, stderr.</summary>
public static class LlmLogProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static string Executable => Path.Combine(AppContext.BaseDirectory, "llmlog.dll");

    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Executable);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("LLMLOG_DB");
        return Process.Start(info)!;
    }

    public static async Task<Result> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
