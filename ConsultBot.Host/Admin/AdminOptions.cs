using System.Globalization;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Admin;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Comma-separated Telegram user ids that become administrators when they register.</summary>
    public string? TelegramIds { get; set; }

    /// <summary>Basic-auth user of the Hangfire dashboard; the dashboard is closed while either is empty.</summary>
    public string? DashboardUser { get; set; }

    public string? DashboardPassword { get; set; }

    public bool DashboardEnabled => !string.IsNullOrEmpty(DashboardUser) && !string.IsNullOrEmpty(DashboardPassword);

    public IReadOnlySet<string> ParsedTelegramIds =>
        (TelegramIds ?? string.Empty)
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))
            .ToHashSet(StringComparer.Ordinal);
}

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        var errors = new List<string>();
        foreach (var id in (o.TelegramIds ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                errors.Add($"Admin:TelegramIds (Admin__TelegramIds) must be comma-separated positive numbers; '{id}' is not");
            }
        }
        if (string.IsNullOrEmpty(o.DashboardUser) != string.IsNullOrEmpty(o.DashboardPassword))
        {
            errors.Add("Admin:DashboardUser and Admin:DashboardPassword (Admin__DashboardUser, Admin__DashboardPassword) must be set together");
        }
        if (o.DashboardPassword is { Length: > 0 and < 12 })
        {
            errors.Add("Admin:DashboardPassword (Admin__DashboardPassword) must be at least 12 characters");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
