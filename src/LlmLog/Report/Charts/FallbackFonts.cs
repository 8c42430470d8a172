using System.Globalization;
using SkiaSharp;

namespace LlmLog.Report.Charts;

/// <summary>
/// Text in the chart font (DejaVu Sans) with each character it lacks (CJK, emoji) drawn in a font of the machine
/// that has it: a model named "通义千问-max" read as "□□□□-max" in the charts and "-max" in the PDF. Skia draws a
/// string in one typeface, and the SkiaSharp build we ship has no fontconfig (SKFontManager.MatchCharacter answers
/// nothing), so the text is split into runs per typeface and the installed families are searched for a character.
/// DejaVu Sans stays the font of every character it has, so ASCII looks the same on every machine.
/// </summary>
internal static class FallbackFonts
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, SKTypeface?> ByElement = new(StringComparer.Ordinal);
    // One instance per family, kept for the process: the PDF embeds a font once per typeface instance.
    private static List<SKTypeface>? _installed;

    /// <summary>A piece of text drawn in one typeface.</summary>
    public readonly record struct Run(string Text, SKTypeface Typeface);

    /// <summary>
    /// <paramref name="text"/> cut into runs: the main typeface wherever it has the glyph, else the first installed
    /// font that has it; a character no font has stays in the main typeface (a box, or a gap in the PDF, as before).
    /// </summary>
    public static List<Run> Runs(string text, SKTypeface main)
    {
        // The common case, and one call instead of one per character: the PDF measures text many times to wrap it.
        if (main.ContainsGlyphs(text)) return [new Run(text, main)];
        var runs = new List<Run>();
        var elements = StringInfo.GetTextElementEnumerator(text);
        var current = new System.Text.StringBuilder();
        SKTypeface? face = null;
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var chosen = DrawsIn(element, main);
            if (face is not null && !ReferenceEquals(chosen, face))
            {
                runs.Add(new Run(current.ToString(), face));
                current.Clear();
            }
            face = chosen;
            current.Append(element);
        }
        if (face is not null) runs.Add(new Run(current.ToString(), face));
        return runs;
    }

    /// <summary>Whether some character of <paramref name="text"/> is drawn in a font other than <paramref name="main"/>.</summary>
    public static bool NeedsFallback(string text, SKTypeface main) => Runs(text, main).Any(r => !ReferenceEquals(r.Typeface, main));

    /// <summary>Whether some font of the machine, the main one included, has the character (text element).</summary>
    public static bool CanDraw(string element, SKTypeface main) => main.ContainsGlyphs(element) || Fallback(element) is not null;

    /// <summary>The advance of <paramref name="text"/> drawn by runs, at the size of <paramref name="font"/>.</summary>
    public static float Measure(string text, SKFont font)
    {
        var main = font.Typeface;
        return main.ContainsGlyphs(text) ? font.MeasureText(text) : Width(Runs(text, main), font);
    }

    private static float Width(List<Run> runs, SKFont font)
    {
        var main = font.Typeface;
        var width = 0f;
        foreach (var run in runs)
        {
            font.Typeface = run.Typeface;
            width += font.MeasureText(run.Text);
        }
        font.Typeface = main;
        return width;
    }

    /// <summary>Draws <paramref name="text"/> by runs, its baseline at <paramref name="y"/>.</summary>
    public static void Draw(SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        var main = font.Typeface;
        var runs = Runs(text, main);
        if (runs.Count == 1 && ReferenceEquals(runs[0].Typeface, main))
        {
            canvas.DrawText(text, x, y, align, font, paint);
            return;
        }
        var width = Width(runs, font);
        x -= align switch { SKTextAlign.Center => width / 2, SKTextAlign.Right => width, _ => 0 };
        foreach (var run in runs)
        {
            font.Typeface = run.Typeface;
            canvas.DrawText(run.Text, x, y, SKTextAlign.Left, font, paint);
            x += font.MeasureText(run.Text);
        }
        font.Typeface = main;
    }

    private static SKTypeface DrawsIn(string element, SKTypeface main) =>
        main.ContainsGlyphs(element) || element.All(char.IsWhiteSpace) ? main : Fallback(element) ?? main;

    /// <summary>An installed font that has the character; null when none has it.</summary>
    private static SKTypeface? Fallback(string element)
    {
        lock (Gate)
        {
            if (ByElement.TryGetValue(element, out var known)) return known;
            var found = Installed().FirstOrDefault(t => t.ContainsGlyphs(element));
            ByElement[element] = found;
            return found;
        }
    }

    private static List<SKTypeface> Installed()
    {
        if (_installed is not null) return _installed;
        var manager = SKFontManager.Default;
        _installed = [];
        // The families of the machine in the manager's order; with fontconfig, MatchCharacter's pick would come
        // first, but the build we ship answers it with nothing, so every family is a candidate.
        foreach (var family in manager.FontFamilies.Distinct(StringComparer.Ordinal))
        {
            var face = manager.MatchFamily(family);
            if (face is not null) _installed.Add(face);
        }
        return _installed;
    }
}
