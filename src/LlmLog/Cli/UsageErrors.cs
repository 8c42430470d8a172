using System.CommandLine;
using System.CommandLine.Parsing;

namespace LlmLog.Cli;

/// <summary>What a command line the parser refused is told: the likely meant command or option, the argument missing.</summary>
public static class UsageErrors
{
    /// <summary>
    /// The parser's errors, said for this command line: a mistyped command or option is named with the one likely meant,
    /// and the value after an unknown option is not a second error. The parser alone said "Required command was not
    /// provided" for 'llmlog ingets x', and two "Unrecognized command or argument" lines for 'summary --tz UTC' (found
    /// by probing the CLI).
    /// </summary>
    public static List<string> Messages(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var spoken = LlmLogCli.CommandPath(parse.CommandResult);
        var tokens = parse.UnmatchedTokens;
        var said = new List<string>();
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var afterUnknownOption = false;
        var notACommand = false;
        var notASubcommand = false;
        foreach (var token in tokens)
        {
            explained.Add(token);
            if (notASubcommand)
            {
                continue; // the arguments and options of the subcommand that is not one ('runs reslove 1 --note x')
            }
            if (token.StartsWith('-') && token.Length > 1)
            {
                afterUnknownOption = true;
                var names = command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive))
                    .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
                var name = token.Split('=', 2)[0];
                var where = command is RootCommand ? "" : $" for {spoken}";
                var meant = name is "-v" or "-V" && command is RootCommand ? "--version" : Spelling.Nearest(name, names);
                var takers = parse.RootCommandResult.Command.Subcommands.Where(c => c.Options.Any(o => o.Name == name || o.Aliases.Contains(name))).Select(c => c.Name).ToList();
                // Unmatched though the command takes it: it was written before the command's name ('llmlog --lock-timeout 5
                // summary' was told "did you mean --lock-timeout?"; found by probing the docs).
                if (command is not RootCommand && command.Options.Any(o => o.Name == name || o.Aliases.Contains(name)))
                {
                    var before = parse.RootCommandResult.Command.Options.Where(o => o.Name is not ("--help" or "--version")).Select(o => o.Name);
                    said.Add($"option {name} comes after the command's name: llmlog {spoken} {name} ... (only {string.Join(", ", before)} may also come before it)");
                    continue;
                }
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
                    _ => (Spelling.Nearest(token, commands) ?? OnlyOneStartingWith(token, commands)) is { } meant
                        ? $"'{token}' is not a command; did you mean {meant}?"
                        : $"'{token}' is not a command; the commands are {string.Join(", ", commands)}",
                });
                continue;
            }
            // A mistyped subcommand ('llmlog runs reslove 12') is named with the one likely meant.
            if (command.Subcommands.Count > 0 && said.Count == 0 && Spelling.Nearest(token, command.Subcommands.Select(c => c.Name)) is { } sub)
            {
                notASubcommand = true;
                said.Add($"unexpected argument '{token}' for {spoken}; did you mean {spoken} {sub}?");
                continue;
            }
            said.Add(command is RootCommand ? $"unexpected argument '{token}'" : $"unexpected argument '{token}' for {spoken}");
        }
        // "Option '--note' is required." said neither what it takes nor what it is for.
        var missingOptions = command.Options.Where(o => o.Required && parse.GetResult(o) is not { IdentifierToken: not null }).ToList();
        foreach (var option in missingOptions)
        {
            said.Add($"{spoken} needs {option.Name} {Placeholder(option.HelpName ?? "value")}: {option.Description}");
        }
        foreach (var error in parse.Errors)
        {
            if (missingOptions.Any(o => error.Message.Contains($"'{o.Name}'", StringComparison.Ordinal))) continue;
            // The errors the tokens above already stand for; and "no command given" where one was typed, but mistyped.
            if (explained.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal))) continue;
            if (command is RootCommand && said.Count > 0 && error.SymbolResult is CommandResult { Command: RootCommand }) continue;
            // "Required argument missing for command: 'ingest'." named neither the argument nor what it takes.
            var of = error.SymbolResult switch
            {
                CommandResult c => c.Command,
                ArgumentResult { Parent: CommandResult c } => c.Command,
                _ => null,
            };
            if (of == command
                && command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 }) is { } missing)
            {
                said.Add($"{spoken} needs {Placeholder(missing.HelpName ?? missing.Name)}: {missing.Description}");
                continue;
            }
            said.Add(error.Message);
        }
        return said;
    }

    // 'llmlog run' was told the commands, not "did you mean runs?": three letters allow no edit (found by probing).
    private static string? OnlyOneStartingWith(string typed, IReadOnlyList<string> names) =>
        typed.Length >= 3 && names.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null;

    // A name that stands for a value is upper case (TEXT, COUNT); the values themselves are as they are typed: "needs --table
    // CALLS|DAILY|..." was refused for --table CALLS (found by probing the CLI).
    private static string Placeholder(string helpName) => helpName.Contains('|', StringComparison.Ordinal) ? helpName : helpName.ToUpperInvariant();
}
