using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Telegram;

public sealed partial class TelegramOptions
{
    public const string SectionName = "Telegram";

    /// <summary>From @BotFather. Empty: the Telegram channel is off (the playground still works).</summary>
    public string? BotToken { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>Public HTTPS URL of <c>/telegram/webhook</c>; empty means long polling.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; required with a webhook.</summary>
    public string? WebhookSecret { get; set; }

    public int PollingTimeoutSeconds { get; set; } = 25;

    public int RequestTimeoutSeconds { get; set; } = 15;

    public int MaxWebhookBodyBytes { get; set; } = 1_048_576;

    /// <summary>Telegram allows about 30 messages per second per bot.</summary>
    public double MessagesPerSecond { get; set; } = 30;

    /// <summary>Telegram asks for about one message per second per chat, short bursts allowed.</summary>
    public double PerChatPerSecond { get; set; } = 1;

    public int PerChatBurst { get; set; } = 3;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public bool UseWebhook => !string.IsNullOrWhiteSpace(WebhookUrl);

    [GeneratedRegex(@"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")]
    internal static partial Regex TokenFormat();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}$")]
    internal static partial Regex SecretFormat();
}

/// <summary>Checks every Telegram key and names the key in the message.</summary>
public sealed class TelegramOptionsValidator : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions o)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add("Telegram:ApiBaseUrl (Telegram__ApiBaseUrl) must be an absolute http(s) URL");
        }
        if (o.Enabled && !TelegramOptions.TokenFormat().IsMatch(o.BotToken!))
        {
            errors.Add("Telegram:BotToken (Telegram__BotToken) does not look like a bot token (digits, a colon, then letters)");
        }
        if (o.UseWebhook)
        {
            if (!o.Enabled)
            {
                errors.Add("Telegram:WebhookUrl (Telegram__WebhookUrl) is set but Telegram:BotToken is empty");
            }
            if (!Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out var hook)
                || !(hook.Scheme == "https" || (hook.Scheme == "http" && hook.IsLoopback)))
            {
                errors.Add("Telegram:WebhookUrl (Telegram__WebhookUrl) must be an absolute https URL");
            }
            if (string.IsNullOrEmpty(o.WebhookSecret) || !TelegramOptions.SecretFormat().IsMatch(o.WebhookSecret))
            {
                errors.Add("Telegram:WebhookSecret (Telegram__WebhookSecret) is required with a webhook: 1-256 characters A-Z, a-z, 0-9, _ or -");
            }
        }
        if (o.PollingTimeoutSeconds is < 0 or > 50)
        {
            errors.Add("Telegram:PollingTimeoutSeconds must be between 0 and 50");
        }
        if (o.RequestTimeoutSeconds is < 1 or > 120)
        {
            errors.Add("Telegram:RequestTimeoutSeconds must be between 1 and 120");
        }
        if (o.MaxWebhookBodyBytes is < 1024 or > 16_777_216)
        {
            errors.Add("Telegram:MaxWebhookBodyBytes must be between 1024 and 16777216");
        }
        if (o.MessagesPerSecond is <= 0 or > 1000)
        {
            errors.Add("Telegram:MessagesPerSecond must be above 0 and at most 1000");
        }
        if (o.PerChatPerSecond is < 0 or > 100)
        {
            errors.Add("Telegram:PerChatPerSecond must be between 0 and 100");
        }
        if (o.PerChatBurst is < 1 or > 100)
        {
            errors.Add("Telegram:PerChatBurst must be between 1 and 100");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
