using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ConsultBot.Host.Admin;

/// <summary>
/// The administrator's HTTP Basic credentials (<c>Admin__DashboardUser</c> / <c>Admin__DashboardPassword</c>), checked in
/// constant time: both sides are hashed and the hashes compared with <see cref="CryptographicOperations.FixedTimeEquals"/>.
/// The Hangfire dashboard and the report endpoint share it.
/// </summary>
public sealed class AdminCredentials(string user, string password)
{
    /// <summary>What a client without (or with wrong) credentials is told to send.</summary>
    public const string Challenge = "Basic realm=\"ConsultBot\", charset=\"UTF-8\"";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public bool Matches(string? authorizationHeader)
    {
        if (!AuthenticationHeaderValue.TryParse(authorizationHeader, out var auth)
            || !string.Equals(auth.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || auth.Parameter is not { } value)
        {
            return false;
        }
        try
        {
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Convert.FromBase64String(value)), _expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
