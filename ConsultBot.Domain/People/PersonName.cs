using System.Globalization;
using System.Text;

namespace ConsultBot.Domain.People;

public enum NameError
{
    None,
    Empty,
    TooLong,
    InvalidCharacters,
}

/// <summary>A person's display name: letters (any script), spaces, hyphens, apostrophes and dots.</summary>
public sealed record PersonName
{
    public const int MaxLength = 80;

    private PersonName(string value) => Value = value;

    public string Value { get; }

    public static NameError TryCreate(string? input, out PersonName? name)
    {
        name = null;
        var text = TextInput.Normalize(input);
        if (text.Length == 0)
        {
            return NameError.Empty;
        }
        if (text.Length > MaxLength)
        {
            return NameError.TooLong;
        }
        var letters = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                letters++;
            }
            else if (rune.Value is not (' ' or '-' or '\'' or '’' or '.'))
            {
                return NameError.InvalidCharacters;
            }
        }
        if (letters < 2)
        {
            return NameError.InvalidCharacters;
        }
        name = new PersonName(text);
        return NameError.None;
    }
}

/// <summary>Cleans typed text: drops invisible and control characters, collapses whitespace.</summary>
public static class TextInput
{
    public static string Normalize(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return string.Empty;
        }
        var sb = new StringBuilder(input.Length);
        var pendingSpace = false;
        foreach (var rune in input.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }
            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }
}
