using System.CommandLine;
using System.Globalization;
using System.Text;
using LlmLog.Transform;
using LlmLog.Warehouse;

namespace LlmLog.Cli;

/// <summary><c>llmlog transform</c>: rebuild the marts (dirty days, or all with --full), load prices, reprice.</summary>
public static class TransformCommand
{
    public static Command Create()
    {
        var full = new Option<bool>("--full") { Description = "Rebuild every day's marts, not only the days ingest touched" };
        var reprice = new Option<bool>("--reprice")
        {
            Description = "Price every call again with the price table in force; this rewrites the cost of closed days, so try --dry-run first",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Do the work in a transaction, print what would change (per day for --reprice), and roll it back" };
        var prices = new Option<string?>("--prices")
        {
            Description = "Put this price table (CSV, the shape of data/model-prices.csv) in force; calls already built keep their cost until --reprice",
            HelpName = "file",
        };
        prices.NonEmptyPath("give the price table's CSV file, or - for standard input");
        var command = new Command("transform", "Build the daily marts from the calls: the days ingest marked dirty, or every day with --full. Costs are fixed when a day is first built; --reprice recomputes them.")
        {
            full, reprice, dryRun, prices, SharedOptions.LockTimeout, SharedOptions.Db, SharedOptions.Schema,
        };
        command.SetAction(parse =>
        {
            var target = SharedOptions.Target(parse);
            // A mistyped --db would otherwise create an empty warehouse and report success; loading a price table
            // before the first ingest is the one reason to start a warehouse here, and a dry run starts none (it
            // created every table, then said "nothing was written": found by probing the CLI).
            if (parse.GetValue(prices) is null || parse.GetValue(dryRun)) WarehouseConnection.RequireExisting(target);
            var result = TransformRunner.Run(target, new TransformOptions
            {
                Full = parse.GetValue(full),
                Reprice = parse.GetValue(reprice),
                DryRun = parse.GetValue(dryRun),
                PricesPath = parse.GetValue(prices),
                LockTimeout = TimeSpan.FromSeconds(parse.GetValue(SharedOptions.LockTimeout)),
            });
            StandardOutput.Write(Describe(result));
            return (int)ExitCode.Success;
        });
        return command;
    }

    internal static string Describe(TransformResult r)
    {
        var text = new StringBuilder();
        var verb = r.DryRun ? "Would rebuild" : "Rebuilt";
        text.Append(CultureInfo.InvariantCulture, $"{verb} the marts for {Counting.Counted(r.DaysRebuilt, "day")} in {r.Database} in {r.Seconds:0.0} s").AppendLine();
        // Under --dry-run everything is rolled back, a new table too: it would be in force, and is not.
        var inForce = r.DryRun ? "Prices that would be in force" : "Prices in force";
        text.AppendLine(r.PriceTable is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{inForce}: {p.SourcePath} ({Counting.Counted(p.Rows, "row")}, sha256 {p.Sha256})")
            : $"{inForce}: none (every call with usage is unpriced); load a table with --prices FILE");
        if (r.Reprice)
        {
            if (r.Changes.Count == 0)
            {
                text.AppendLine("Repricing changes no day's cost.");
            }
            else
            {
                text.AppendLine(r.DryRun ? "Repricing would change these days (UTC):" : "Repricing changed these days (UTC):");
                text.AppendLine("day         calls changed  cost before $  cost after $  unpriced before  unpriced after");
                foreach (var c in r.Changes)
                {
                    text.Append(CultureInfo.InvariantCulture,
                        $"{c.Day:yyyy-MM-dd}  {c.ChangedCalls,13}  {Usd(c.BeforeCostUsd),13}  {Usd(c.AfterCostUsd),12}  {c.BeforeUnpricedCalls,15}  {c.AfterUnpricedCalls,14}").AppendLine();
                }
            }
        }
        else if (r.CallsPricedUnderOtherTables > 0)
        {
            // A dry run rolled the new table back: the repricing to look at is with it (without, the suggested command
            // repriced with the old table and said it changed nothing).
            var prices = r.DryRun && r.PricesPath is { } given ? $"--prices {ShellWord(given)} " : "";
            text.Append(CultureInfo.InvariantCulture,
                $"{Counting.Counted(r.CallsPricedUnderOtherTables, "call")} {(r.CallsPricedUnderOtherTables == 1 ? "keeps" : "keep")} the cost fixed before this price table was in force (by an earlier table, or unpriced when none was loaded); 'llmlog transform {prices}--reprice --dry-run' shows what repricing would change.").AppendLine();
        }
        return text.ToString();
    }

    // A cost under a millionth of a dollar is not written as 0.000000, the $0 a known cost above zero never is.
    private static string Usd(double? usd) => usd switch
    {
        null => "unknown",
        > 0 and < 0.0000005 => "<0.000001",
        _ => usd.Value.ToString("0.000000", CultureInfo.InvariantCulture),
    };

    /// <summary>A path as one shell word, quoted only when it needs to be, for a command a message suggests.</summary>
    internal static string ShellWord(string path) =>
        path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+,:@%=".Contains(c, StringComparison.Ordinal))
            ? path
            : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
