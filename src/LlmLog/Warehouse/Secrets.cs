using System.Text.RegularExpressions;

namespace LlmLog.Warehouse;

/// <summary>Keeps passwords out of anything llmlog prints, logs or writes.</summary>
public static partial class Secrets
{
    // A quoted value ends at its closing quote (libpq's may hold ';'); an unquoted one at the next ';', so that a
    // password with spaces or '&' is hidden whole, at the cost of hiding what follows it.
    [GeneratedRegex(@"(?<key>password|pwd)\s*=\s*(?<value>'(?:[^'\\]|\\.)*'?|""(?:[^""]|"""")*""?|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();

    // scheme:/user:password@host, with any number of slashes (a URI typed with one was printed whole). The password
    // runs to the last '@' of the word: one left unencoded inside it showed the rest.
    [GeneratedRegex(@"(?<keep>(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*:/+[^\s:/@]*):\S*@", RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    // user:password@host with no slash before the user: scheme:user:password@host, or a URI whose scheme was left out
    // ("postgres:secret@host" reads either way). A password here cannot start with '/', which would make it a URI above.
    [GeneratedRegex(@"(?<keep>(?<![A-Za-z0-9+.\-])(?:[A-Za-z][A-Za-z0-9+.\-]*:)?[^\s:/@]*):[^\s/]\S*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPassword();

    /// <summary>Replaces any password in connection strings or URIs inside <paramref name="text"/> with <c>***</c>.</summary>
    public static string Mask(string text)
    {
        text = KeywordPassword().Replace(text, m => m.Groups["key"].Value + "=***");
        text = UriPassword().Replace(text, m => m.Groups["keep"].Value + ":***@");
        return UserInfoPassword().Replace(text, m => m.Groups["keep"].Value + ":***@");
    }

    /// <summary>Whether <paramref name="text"/> holds something <see cref="Mask"/> would hide.</summary>
    public static bool HoldsPassword(string text) => Mask(text) != text;
}
