namespace LlmLog;

/// <summary>
/// How close a mistyped name is to the one meant, for messages that can say "did you mean ...?" (a time zone, a URI
/// scheme) instead of only "not known".
/// </summary>
public static class Spelling
{
    /// <summary>
    /// The number of single-letter edits that turn <paramref name="a"/> into <paramref name="b"/>, two neighbouring letters
    /// swapped counting as one (optimal string alignment): "ingets" is one edit from ingest, as a typist makes it.
    /// </summary>
    public static int Distance(string a, string b)
    {
        var beforePrevious = new int[b.Length + 1];
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
            }
            beforePrevious = previous;
            previous = current;
        }
        return previous[b.Length];
    }

    /// <summary>
    /// The one of <paramref name="names"/> that <paramref name="typed"/> most likely meant: the same name in another case,
    /// else the nearest within an edit per five letters typed, two at most (case aside: "gpt-5" is not a typo of gpt-4o,
    /// "gpt-4o-mni" is one of gpt-4o-mini); null when none is that near, or two are as near.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> names)
    {
        var lower = typed.ToLowerInvariant();
        var allowed = Math.Min(2, typed.Length / 5);
        var near = names.Distinct(StringComparer.Ordinal).Select(n => (Name: n, Edits: Distance(lower, n.ToLowerInvariant())))
            .Where(n => n.Edits <= allowed).OrderBy(n => n.Edits).Take(2).ToList();
        return near switch
        {
            [] => null,
            [var only] => only.Name,
            [var first, var second] => first.Edits < second.Edits ? first.Name : null,
            _ => null,
        };
    }
}
