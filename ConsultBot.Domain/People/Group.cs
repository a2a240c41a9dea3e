using System.Text;

namespace ConsultBot.Domain.People;

/// <summary>A class or study group from the school's list ("7Б", "10 физмат").</summary>
public sealed record Group(GroupId Id, string Name, bool Archived);

public static class GroupName
{
    public const int MaxLength = 30;

    /// <summary>Letters, digits, spaces and - . / ( ); 1–30 characters. Null when invalid.</summary>
    public static string? TryNormalize(string? input)
    {
        var text = TextInput.Normalize(input);
        if (text.Length is 0 or > MaxLength)
        {
            return null;
        }
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune) && rune.Value is not (' ' or '-' or '.' or '/' or '(' or ')'))
            {
                return null;
            }
        }
        return text;
    }
}
