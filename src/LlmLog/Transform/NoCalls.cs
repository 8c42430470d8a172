using System.Globalization;
using Dapper;
using LlmLog.Warehouse;

namespace LlmLog.Transform;

/// <summary>What summary and report say when the warehouse holds no call at all, or none of a selection.</summary>
public static class NoCalls
{
    /// <summary>
    /// What to change when a selection matches no call: only the filters that were given ("widen --from/--to" was said
    /// to a --model in the wrong case, with no --from or --to).
    /// </summary>
    public static string Hint(bool datesGiven, bool modelGiven) => (datesGiven, modelGiven) switch
    {
        (true, true) => "widen --from/--to or check --model (model names are case-sensitive)",
        (false, true) => "check --model (model names are case-sensitive: gpt-4o, not GPT-4o)",
        _ => "widen --from/--to",
    };

    /// <summary>A model of the warehouse with its family and its number of calls, for <see cref="ModelHint"/>.</summary>
    public sealed record KnownModel(string Model, string? ModelFamily, long Calls);

    /// <summary>The warehouse's models, most calls first (from the per-model mart).</summary>
    public static IReadOnlyList<KnownModel> KnownModels(WarehouseConnection warehouse, System.Data.Common.DbTransaction? tx = null) =>
        warehouse.Connection.Query<(string Model, string? ModelFamily, long Calls)>(warehouse.Sql.Get("metrics/known_models"), transaction: tx)
            .Select(m => new KnownModel(m.Model, m.ModelFamily, m.Calls)).ToList();

    /// <summary>
    /// What to add when --model <paramref name="model"/> matched no call: nothing when the warehouse has that model or
    /// family (the dates left it out); the name it most likely meant, in another case or with a typo ("GPT-4o" and
    /// "gpt-4o-mni" for gpt-4o and gpt-4o-mini: <see cref="Spelling.Nearest"/>); else its models, most calls first.
    /// "check --model" alone left the user to find the names with SQL.
    /// </summary>
    /// <param name="model">The --model given; none (empty) adds nothing, and reads nothing.</param>
    /// <param name="knownModels">Reads the warehouse's models (<see cref="KnownModels"/>), only when a model was given.</param>
    public static string ModelHint(string? model, Func<IReadOnlyList<KnownModel>> knownModels)
    {
        if (string.IsNullOrWhiteSpace(model)) return "";
        var known = knownModels();
        if (known.Count == 0 || known.Any(k => k.Model == model || k.ModelFamily == model)) return "";
        var meant = Spelling.Nearest(model, known.Select(k => k.ModelFamily).OfType<string>().Concat(known.Select(k => k.Model)));
        if (meant is not null) return $"; did you mean {meant}?";
        const int Shown = 6;
        var names = string.Join(", ", known.Take(Shown).Select(k => k.Model));
        return known.Count > Shown
            ? string.Create(CultureInfo.InvariantCulture, $"; the warehouse's models, most calls first: {names} and {known.Count - Shown} more")
            : $"; the warehouse's models: {names}";
    }

    public static string Message(WarehouseConnection warehouse)
    {
        var rejected = warehouse.Connection.ExecuteScalar<long>(warehouse.Sql.Get("metrics/count_rejects"));
        return rejected == 0
            ? $"{warehouse.Target.Display} has no calls yet; run 'llmlog ingest FILE' first"
            : string.Create(CultureInfo.InvariantCulture,
                $"{warehouse.Target.Display} has no calls yet: all {rejected:N0} records ingested so far failed validation; see why with 'llmlog export --table rejects --out -'");
    }
}
