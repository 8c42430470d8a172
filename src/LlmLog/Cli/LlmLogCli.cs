using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
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

    /// <summary>Parses and runs; user mistakes become one clear line and their exit code, never a stack trace.</summary>
    public static int Run(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
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
        catch (LlmLogException e)
        {
            Log.Error("{Message}", Warehouse.Secrets.Mask(e.Message));
            return (int)e.Code;
        }
        catch (ArgumentException e)
        {
            Log.Error("{Message}", Warehouse.Secrets.Mask(e.Message));
            return (int)ExitCode.Usage;
        }
        catch (Exception e) when (Warehouse.DatabaseFailures.IsNoWriteAccess(e))
        {
            // A reader's role made before a migration added tables lacks SELECT on them: say which GRANT it needs.
            Log.Error(e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.InsufficientPrivilege }
                    ? "Database error: {Message}; the PostgreSQL role lacks a privilege here: to read, it needs GRANT SELECT ON ALL TABLES IN SCHEMA public, or the warehouse's own schema (and ALTER DEFAULT PRIVILEGES ... GRANT SELECT ON TABLES, for tables a later llmlog adds); to write, the warehouse owner's role"
                    : "Database error: {Message}; the user running llmlog may not do this here",
                Warehouse.DatabaseFailures.Explain(e));
            return (int)ExitCode.ReadOnly;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or DuckDB.NET.Data.DuckDBException)
        {
            Log.Error("Database error: {Message}", Warehouse.DatabaseFailures.Explain(e));
            return (int)ExitCode.DatabaseError;
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
        var seeHelp = command is RootCommand ? "Run 'llmlog --help' (or 'llmlog COMMAND --help') for usage." : $"Run 'llmlog {command.Name} --help' for usage.";
        var messages = UsageMessages(parse);
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

    /// <summary>
    /// The parser's errors, said for this command line: a mistyped command or option is named with the one likely meant,
    /// and the value after an unknown option is not a second error. The parser alone said "Required command was not
    /// provided" for 'llmlog ingets x', and two "Unrecognized command or argument" lines for 'summary --tz UTC' (found
    /// by probing the CLI).
    /// </summary>
    internal static List<string> UsageMessages(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var tokens = parse.UnmatchedTokens;
        var said = new List<string>();
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var afterUnknownOption = false;
        var notACommand = false;
        foreach (var token in tokens)
        {
            explained.Add(token);
            if (token.StartsWith('-') && token.Length > 1)
            {
                afterUnknownOption = true;
                var names = command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive))
                    .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
                var name = token.Split('=', 2)[0];
                var where = command is RootCommand ? "" : $" for {command.Name}";
                var meant = name is "-v" or "-V" && command is RootCommand ? "--version" : Spelling.Nearest(name, names);
                var takers = parse.RootCommandResult.Command.Subcommands.Where(c => c.Options.Any(o => o.Name == name || o.Aliases.Contains(name))).Select(c => c.Name).ToList();
                said.Add(meant is not null ? $"unknown option {name}{where}; did you mean {meant}?"
                    : takers.Count > 0 ? $"unknown option {name}{where}; it is an option of {string.Join(", ", takers)}"
                    : $"unknown option {name}{where}");
                continue;
            }
            if (afterUnknownOption)
            {
                afterUnknownOption = false; // the unknown option's value, most likely
                continue;
            }
            if (command is RootCommand && notACommand)
            {
                continue; // the arguments of the command that is not one
            }
            if (command is RootCommand && said.Count == 0)
            {
                notACommand = true;
                var commands = parse.RootCommandResult.Command.Subcommands.Select(c => c.Name).ToList();
                said.Add(token.ToLowerInvariant() switch
                {
                    "help" => "'help' is not a command; for help run 'llmlog --help', or 'llmlog COMMAND --help'",
                    "version" => "'version' is not a command; run 'llmlog --version'",
                    _ => Spelling.Nearest(token, commands) is { } meant
                        ? $"'{token}' is not a command; did you mean {meant}?"
                        : $"'{token}' is not a command; the commands are {string.Join(", ", commands)}",
                });
                continue;
            }
            said.Add(command is RootCommand ? $"unexpected argument '{token}'" : $"unexpected argument '{token}' for {command.Name}");
        }
        foreach (var error in parse.Errors)
        {
            // The errors the tokens above already stand for; and "no command given" where one was typed, but mistyped.
            if (explained.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal))) continue;
            if (command is RootCommand && said.Count > 0 && error.SymbolResult is System.CommandLine.Parsing.CommandResult { Command: RootCommand }) continue;
            // "Required argument missing for command: 'ingest'." named neither the argument nor what it takes.
            var of = error.SymbolResult switch
            {
                System.CommandLine.Parsing.CommandResult c => c.Command,
                System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.CommandResult c } => c.Command,
                _ => null,
            };
            if (of == command
                && command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 }) is { } missing)
            {
                said.Add($"{command.Name} needs {(missing.HelpName ?? missing.Name).ToUpperInvariant()}: {missing.Description}");
                continue;
            }
            said.Add(error.Message);
        }
        return said;
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
