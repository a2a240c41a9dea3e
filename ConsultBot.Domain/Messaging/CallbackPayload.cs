using System.Globalization;
using System.Text;

namespace ConsultBot.Domain.Messaging;

/// <summary>
/// The data behind an inline button: <c>verb:version:arg1:arg2…</c>. The version ties a dialog button to the
/// dialog step it was shown in (0 = valid in any step, for menus); a press from an older step is stale.
/// Arguments are opaque ids, never trusted: handlers re-check them against the person pressing.
/// </summary>
public sealed record CallbackPayload(string Verb, int Version, IReadOnlyList<string> Args)
{
    /// <summary>Telegram's limit for callback_data; VK allows more, the bot keeps to the smaller one.</summary>
    public const int MaxBytes = 64;

    public string Arg(int index) => index < Args.Count ? Args[index] : string.Empty;

    public string Encode()
    {
        var sb = new StringBuilder(Verb).Append(':').Append(Version.ToString(CultureInfo.InvariantCulture));
        foreach (var arg in Args)
        {
            if (arg.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException("Callback arguments cannot contain ':'", nameof(Args));
            }
            sb.Append(':').Append(arg);
        }
        var text = sb.ToString();
        if (Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            throw new InvalidOperationException($"Callback payload for '{Verb}' exceeds {MaxBytes} bytes");
        }
        return text;
    }

    /// <summary>Parses button data; anything malformed, oversized or non-ASCII is null.</summary>
    public static CallbackPayload? TryParse(string? data)
    {
        if (string.IsNullOrEmpty(data) || data.Length > MaxBytes)
        {
            return null;
        }
        foreach (var c in data)
        {
            if (c is < '!' or > '~')
            {
                return null;
            }
        }
        var parts = data.Split(':');
        if (parts.Length < 2 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }
        return new CallbackPayload(parts[0], version, parts[2..]);
    }

    public static Button Button(string label, string verb, int version, params string[] args) =>
        new(label, new CallbackPayload(verb, version, args).Encode());
}
