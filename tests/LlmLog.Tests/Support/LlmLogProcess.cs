using System.Diagnostics;

namespace LlmLog.Tests.Support;

/// <summary>Runs the real llmlog executable, as a scheduler would: separate process, exit code, stdout, stderr.</summary>
public static class LlmLogProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>How to start the process beyond its arguments.</summary>
    /// <param name="Stdin">Bytes written to standard input before it is closed; null closes it at once.</param>
    /// <param name="User">Run as this OS user (root only, through runuser), e.g. to meet a file root could always read.</param>
    /// <param name="Environment">Extra environment variables, such as LLMLOG_DB.</param>
    public sealed record Options(byte[]? Stdin = null, string? User = null, IReadOnlyDictionary<string, string>? Environment = null);

    /// <summary>
    /// llmlog as <c>dotnet publish</c> makes it (precompiled, with its sql/, data/ and fonts/), which the tests' build
    /// publishes beside them: the binary users run, and it starts faster than the JIT-compiled build.
    /// </summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "published-llmlog", "llmlog.dll");

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Options(), args);

    public static Process Start(string workingDirectory, Options options, params string[] args)
    {
        // Started with SIGINT at its default: a shell script's background job (`bash tests/test.sh > log &`) ignores it, and
        // the tests' llmlog, inheriting that, rightly ignored the Ctrl-C the interruption tests send, so one of them read
        // a 20M-record generate to the end of its memory and the suite hung (found by running it as a newcomer would).
        var info = new ProcessStartInfo(options.User is null ? "env" : "runuser")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (options.User is not null)
        {
            foreach (var a in (string[])["-u", options.User, "--", "env"]) info.ArgumentList.Add(a);
            // The other user cannot write root's home, where the .NET host would keep its state.
            info.Environment["HOME"] = Path.GetTempPath();
            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        foreach (var a in (string[])["--default-signal=INT", "dotnet", Executable]) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("LLMLOG_DB");
        info.Environment.Remove("LLMLOG_SCHEMA");
        // No debugger pipes or diagnostics socket in the temporary folder: the runs the tests kill cannot remove theirs,
        // and a suite left about thirty of them (found by running it as a newcomer would).
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (key, value) in options.Environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    /// <summary>Runs with standard output's reading end closed before the first byte: a consumer that quit at once.</summary>
    public static async Task<Result> RunWithStdoutClosedAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        process.StandardOutput.Close();
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, "", stderr);
    }

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, new Options(), args);

    public static async Task<Result> RunAsync(string workingDirectory, Options options, params string[] args)
    {
        using var process = Start(workingDirectory, options, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (options.Stdin is { } input)
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(input);
                await process.StandardInput.BaseStream.FlushAsync();
            }
            catch (IOException)
            {
                // The process stopped reading (it failed early); what it says about it is in its output.
            }
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs llmlog under a 64 KiB file size limit, which stands in for a full disk: the write past it fails (EFBIG)
    /// because llmlog ignores the SIGXFSZ that would otherwise kill it, as a crontab's or systemd's LimitFSIZE leaves
    /// it (the shell here does not ignore it for llmlog). .NET's W^X code mapping needs a file larger than that, so it
    /// is switched off.
    /// </summary>
    public static async Task<(int Exit, string Stderr)> RunWithFileSizeLimitAsync(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        info.Environment.Remove("LLMLOG_DB");
        info.Environment.Remove("LLMLOG_SCHEMA");
        foreach (var a in new[] { "-c", "ulimit -f 64; exec dotnet \"$0\" \"$@\"", Executable }.Concat(args)) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await stdout;
        await process.WaitForExitAsync();
        return (process.ExitCode, stderr);
    }
}
