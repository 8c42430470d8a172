using SkiaSharp;

namespace LlmLog.Tests.Report.Support;

/// <summary>
/// A fact that runs only where some installed font has <c>Characters</c> (CJK needs a package such as
/// fonts-droid-fallback or fonts-noto-cjk): without one the report draws them as before, and there is nothing to prove.
/// </summary>
public sealed class FactWhenAFontDrawsAttribute : FactAttribute
{
    public FactWhenAFontDrawsAttribute(string characters)
    {
        var manager = SKFontManager.Default;
        var found = manager.FontFamilies.Any(family =>
        {
            using var face = manager.MatchFamily(family);
            return face is not null && face.ContainsGlyphs(characters);
        });
        if (!found) Skip = $"no installed font has \"{characters}\" (install fonts-droid-fallback or fonts-noto-cjk to run this test)";
    }
}
