using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace LlmLog.Warehouse;

/// <summary>
/// The SQL in <c>sql/</c>, as one engine runs it. A file <c>x.sql</c> serves both engines; where the
/// dialects truly differ, <c>x.postgres.sql</c> or <c>x.duckdb.sql</c> stands beside it and wins.
/// Files write parameters as <c>@name</c>; DuckDB spells them <c>$name</c>, so they are renamed here —
/// values themselves are always bound, never pasted into the text.
/// </summary>
public sealed partial class SqlCatalog(Engine engine, string root)
{
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary>The <c>sql/</c> folder shipped beside the executable.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "sql");

    public Engine Engine => engine;

    public string Root => root;

    /// <summary>The text of <paramref name="name"/> (e.g. <c>load/start_run</c>) for this engine.</summary>
    public string Get(string name) => _cache.GetOrAdd(name, Load);

    /// <summary>Names (without extension) of the shared files in a folder, in name order.</summary>
    public IReadOnlyList<string> List(string folder)
    {
        var dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, "*.sql")
            .Select(Path.GetFileName)
            .Select(f => f!)
            .Select(f => StripEngine(f[..^4]))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(f => folder + "/" + f)
            .ToList();
    }

    private static string StripEngine(string name) =>
        name.EndsWith(".postgres", StringComparison.Ordinal) ? name[..^9]
        : name.EndsWith(".duckdb", StringComparison.Ordinal) ? name[..^7]
        : name;

    private string Load(string name)
    {
        var variant = Path.Combine(root, name + (engine == Engine.Postgres ? ".postgres.sql" : ".duckdb.sql"));
        var shared = Path.Combine(root, name + ".sql");
        var path = File.Exists(variant) ? variant : shared;
        if (!File.Exists(path)) throw new FileNotFoundException($"SQL file {name}.sql is missing from {root}", path);
        var text = File.ReadAllText(path);
        return engine == Engine.DuckDb ? AtParameter().Replace(text, "$$${name}") : text;
    }

    [GeneratedRegex(@"(?<![@\w:])@(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AtParameter();
}
