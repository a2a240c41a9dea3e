using System.Security.Cryptography;

namespace ConsultBot.Domain.People;

public enum CodeKind
{
    /// <summary>An administrator invites a teacher (or other consulting staff).</summary>
    TeacherInvite,
    /// <summary>Written to the log at first start so the first administrator can register.</summary>
    AdminBootstrap,
    /// <summary>Shown in a student's profile; a parent enters it to link to the child.</summary>
    ChildLink,
    /// <summary>Shown by /link; entered in another messenger to attach it to the same person.</summary>
    AccountLink,
}

/// <summary>A code looked up without using it: whose it is, and whether it can still be redeemed.</summary>
public sealed record FoundCode(PersonId? Owner, bool Used, bool Expired);

/// <summary>A redeemed code: what it was for and whose it was.</summary>
public sealed record RedeemedCode(CodeKind Kind, PersonId? Owner, PersonId? CreatedBy);

/// <summary>
/// Eight characters from an alphabet without look-alikes (no 0/O, 1/I), shown as XXXX-XXXX.
/// 32^8 ≈ 10^12 values; wrong attempts are limited per dialog.
/// </summary>
public static class OneTimeCode
{
    public const int Length = 8;
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static string Display(string code) => $"{code[..4]}-{code[4..]}";

    /// <summary>Accepts "abcd-2345", "ABCD 2345", "ABCD2345"; returns the canonical form or null.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 32)
        {
            return null;
        }
        Span<char> buffer = stackalloc char[Length];
        var n = 0;
        foreach (var c in input)
        {
            if (c is ' ' or '-' or '\u00A0')
            {
                continue;
            }
            var upper = char.ToUpperInvariant(c);
            if (n == Length || !Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }
            buffer[n++] = upper;
        }
        return n == Length ? new string(buffer) : null;
    }

    /// <summary>Deep-link prefixes for <c>/start</c> payloads.</summary>
    public static string DeepLinkPrefix(CodeKind kind) => kind switch
    {
        CodeKind.TeacherInvite => "t-",
        CodeKind.AdminBootstrap => "a-",
        CodeKind.ChildLink => "c-",
        CodeKind.AccountLink => "l-",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
