namespace ConsultBot.Domain.Consultations;

/// <summary>A link shown to students: absolute http(s) only (no <c>javascript:</c>, no schemeless text), bounded length.</summary>
public static class SafeLink
{
    public const int MaxLength = 2048;

    public static Uri? TryCreate(string? input)
    {
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength
            || !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)
            // What is stored and shown is the escaped form: a Cyrillic path can grow well past the typed length.
            || uri.AbsoluteUri.Length > MaxLength)
        {
            return null;
        }
        return uri;
    }

    /// <summary>The link as typed, with its scheme in lower case ("Https://…" as Excel capitalises it → "https://…").</summary>
    public static string Normalize(string link)
    {
        var colon = link.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? link[..colon].ToLowerInvariant() + link[colon..] : link;
    }
}
