using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Serilog;

namespace LlmLog.Cli;

/// <summary>The llmlog command line: one command per pipeline stage, shared options defined once.</summary>
public static class LlmLogCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "llmlog turns LLM API call logs into a trustworthy warehouse table, daily metrics, CSV exports and a dashboard file.")
        {
            SharedOptions.Db, SharedOptions.Schema, SharedOptions.LogFormat, SharedOptions.LogLevel,
        };
        // Every --help, the root's and each command's, ends with the exit codes a scheduler will see.
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction help } helpOption) helpOption.Action = new HelpWithExitCodes(help);
            if (option is VersionOption { Action: SynchronousCommandLineAction version } versionOption) versionOption.Action = new VersionOrWriteError(version);
        }
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(TransformCommand.Create());
        root.Subcommands.Add(SummaryCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        // --db and --schema are the root's as well, for 'llmlog --db X ingest ...'; so 'llmlog --db X generate' parsed, and generate,
        // which opens no warehouse, ignored it without a word (found by probing the CLI).
        foreach (var command in root.Subcommands.Where(c => !c.Options.Contains(SharedOptions.Db)))
        {
            command.Validators.Add(result =>
            {
                foreach (var option in new[] { SharedOptions.Db, SharedOptions.Schema })
                {
                    if (result.GetResult(option) is not null)
                    {
                        result.AddError($"{option.Name} does not apply to {command.Name}, which opens no warehouse; drop it");
                    }
                }
            });
        }
        return root;
    }

    /// <summary>
    /// The exit code and the one line an error that ends a command is told with (the log's, and --json's message); null
    /// for an internal error, which gets its stack trace. <paramref name="command"/> names the command that failed.
    /// </summary>
    internal static (ExitCode Code, string Message)? Outcome(Exception e, string command) => e switch
    {
        LlmLogException known => (known.Code, Warehouse.Secrets.Mask(known.Message)),
        ArgumentException usage => (ExitCode.Usage, Warehouse.Secrets.Mask(usage.Message)),
        // A reader's role made before a migration added tables lacks SELECT on them: say which GRANT it needs. A command
        // that writes was told the same, first to GRANT SELECT, which such a role has (found by probing PostgreSQL).
        _ when Warehouse.DatabaseFailures.IsNoWriteAccess(e) => (ExitCode.ReadOnly, $"Database error: {Warehouse.DatabaseFailures.Explain(e)}; "
            + (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InsufficientPrivilege }
                ? WritingCommands.Contains(command)
                    ? $"llmlog {command} needs a PostgreSQL role that may read and write the warehouse's tables (its owner, or one granted SELECT, INSERT, UPDATE and DELETE on every one of them)"
                    : "the PostgreSQL role lacks a privilege here: to read, it needs GRANT SELECT ON ALL TABLES IN SCHEMA public, or the warehouse's own schema (and ALTER DEFAULT PRIVILEGES ... GRANT SELECT ON TABLES, for tables a later llmlog adds); to write, the warehouse owner's role"
                : e is DuckDB.NET.Data.DuckDBException
                    ? "the user running llmlog needs write access to the DuckDB file and to its folder, where DuckDB writes its .wal beside the file"
                    : "the user running llmlog may not do this here")),
        // A report or export whose session the server ended said only so; ingest says to run it again (found by probing PostgreSQL).
        _ when Warehouse.DatabaseFailures.IsConnectionLost(e) =>
            (ExitCode.DatabaseError, $"Database error: {Warehouse.DatabaseFailures.Explain(e)}; run the same command again once the server is back"),
        Npgsql.NpgsqlException or DuckDB.NET.Data.DuckDBException => (ExitCode.DatabaseError, $"Database error: {Warehouse.DatabaseFailures.Explain(e)}"),
        _ => null,
    };

    /// <summary>The commands whose work is writing the warehouse; the others only read it (and build marts when they may).</summary>
    private static readonly HashSet<string> WritingCommands = new(StringComparer.Ordinal) { "ingest", "transform", "runs resolve", "runs reopen" };

    /// <summary>The command as it is typed after <c>llmlog</c>: <c>ingest</c>, <c>runs resolve</c>; empty for the root.</summary>
    internal static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult { Command: not RootCommand } c; r = r.Parent) names.Insert(0, c.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>Parses and runs; user mistakes become one clear line and their exit code, never a stack trace.</summary>
    public static int Run(string[] args)
    {
        var root = Build();
        // No response files: a note or a path that starts with '@' ("@alice confirmed ...", "@2025.jsonl") is itself,
        // where the parser read it as a file of more arguments (found by probing runs resolve).
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // A bad --log-level is a usage error reported below, so logging starts with the default meanwhile.
        ConsoleLogging.Configure(ValidValue(parse, SharedOptions.LogFormat) ?? "text", ValidValue(parse, SharedOptions.LogLevel) ?? "information");
        try
        {
            if (parse.Errors.Count > 0 && parse.Action is not HelpWithExitCodes)
            {
                ReportUsageErrors(parse);
                return (int)ExitCode.Usage;
            }
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Outcome(e, CommandPath(parse.CommandResult)) is { } outcome)
        {
            Log.Error("{Message}", outcome.Message);
            return (int)outcome.Code;
        }
        catch (Exception e)
        {
            Log.Fatal("Internal error, please report it: {Error}", Warehouse.Secrets.Mask(e.ToString()));
            return (int)ExitCode.InternalError;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }

    // A scheduler that asked for JSON logs and --json output gets them for a mistyped option too: plain lines broke
    // its JSON-lines log, and --json left stdout empty (found by probing ingest as a scheduled job).
    private static void ReportUsageErrors(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var seeHelp = command is RootCommand ? "Run 'llmlog --help' (or 'llmlog COMMAND --help') for usage." : $"Run 'llmlog {CommandPath(parse.CommandResult)} --help' for usage.";
        var messages = UsageErrors.Messages(parse);
        if (ValidValue(parse, SharedOptions.LogFormat) == "json")
        {
            foreach (var message in messages) Log.Error("{Message}", message);
        }
        else
        {
            foreach (var message in messages) Console.Error.WriteLine($"llmlog: {message}");
            Console.Error.WriteLine(seeHelp);
        }
        if (parse.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--json") is { } json
            && parse.GetResult(json) is { } asked && !asked.Errors.Any() && parse.GetValue(json))
        {
            StandardOutput.Write(System.Text.Json.JsonSerializer.Serialize(
                new { exit_code = (int)ExitCode.Usage, message = string.Join("; ", messages) + " " + seeHelp }, JsonOutput.Options) + "\n");
        }
    }

    // GetValue throws on a value the option does not accept (exit 134 and a stack trace for --log-level warn).
    private static string? ValidValue(ParseResult parse, Option<string> option) =>
        parse.GetResult(option) is { } result && !result.Errors.Any() ? parse.GetValue(option) : null;

    // '--version > /dev/full' was exit 1, "Internal error, please report it" and a stack trace; --help already said exit 3.
    private sealed class VersionOrWriteError(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            try
            {
                return inner.Invoke(parseResult);
            }
            catch (Exception e) when (Cli.StandardOutput.Refused(e))
            {
                throw Cli.StandardOutput.Unwritable(e);
            }
        }
    }

    private sealed class HelpWithExitCodes(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            try
            {
                var code = inner.Invoke(parseResult);
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(ExitCodesHelp.For(parseResult.CommandResult.Command));
                output.WriteLine();
                output.Flush();
                return code;
            }
            catch (Exception e) when (Cli.StandardOutput.Refused(e))
            {
                throw Cli.StandardOutput.Unwritable(e);
            }
        }
    }
}
