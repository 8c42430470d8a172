using System.Globalization;

// Npgsql's synchronous connect leaves its socket non-blocking, so .NET relays every read that waits for
// PostgreSQL from its socket event thread through the thread pool, whose workers then spin for more work:
// 3-5 s of CPU for nothing in a 1M-call export (measured). llmlog's own code awaits nothing: its I/O is
// synchronous but for the export's read-ahead of the next day (ExecuteReaderAsync, collected with a blocking wait on
// the main thread), whose continuations inside Npgsql block nowhere, so letting the event thread finish those reads
// itself is safe. .NET reads the variable
// once, when the first socket is made, so it is set here, before anything else runs; one set by the
// caller wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}
// Every number and date llmlog writes is in the invariant culture. Its own code says so where it formats, but a
// library that formats with the current culture (ScottPlot's tick labels) wrote "30.000" and "6,5" under a German
// locale; running the whole process in the invariant culture leaves no such path.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
using var interruption = LlmLog.Cli.Interruption.Handle();
return LlmLog.Cli.LlmLogCli.Run(args);
