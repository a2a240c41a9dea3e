using System.Text.RegularExpressions;
using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Materials;

public enum LinkError
{
    None,
    TooLong,
    /// <summary>A scheme other than http(s): <c>javascript:</c>, <c>data:</c>, <c>ftp:</c>…</summary>
    NotHttp,
    /// <summary>An address without a scheme ("example.org/page").</summary>
    NoScheme,
    Invalid,
}

/// <summary>Checks a material's link with <see cref="SafeLink"/> and says why a refused one is refused, so the answer can help.</summary>
public static partial class MaterialLink
{
    public static LinkError Check(string? input, out Uri? link)
    {
        link = SafeLink.TryCreate(input);
        if (link is not null)
        {
            return LinkError.None;
        }
        var text = (input ?? string.Empty).Trim();
        if (text.Length > SafeLink.MaxLength)
        {
            return LinkError.TooLong;
        }
        if (Scheme().Match(text) is { Success: true } scheme)
        {
            return scheme.Groups[1].Value.ToLowerInvariant() is "http" or "https" ? LinkError.Invalid : LinkError.NotHttp;
        }
        return SafeLink.TryCreate("https://" + text) is not null ? LinkError.NoScheme : LinkError.Invalid;
    }

    // A scheme is letters before a colon that is not a port ("example.org:8080/x" has no scheme).
    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9+.\-]*):(?!\d+(?:[/?#]|$))")]
    private static partial Regex Scheme();
}
