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
            || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        return uri;
    }
}
