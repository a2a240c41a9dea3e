using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

public sealed partial class VkOptions
{
    public const string SectionName = "Vk";

    /// <summary>The community's numeric id. Empty (with an empty token): the VK channel is off.</summary>
    public string? GroupId { get; set; }

    /// <summary>A community access token with the "messages" right. From configuration only, never logged.</summary>
    public string? AccessToken { get; set; }

    public string ApiBaseUrl { get; set; } = "https://api.vk.com/method";

    public string ApiVersion { get; set; } = "5.199";

    /// <summary>The string VK expects back on the Callback API's confirmation request; set = Callback API mode.</summary>
    public string? CallbackConfirmation { get; set; }

    /// <summary>The secret VK puts in every Callback API request; required with the Callback API.</summary>
    public string? CallbackSecret { get; set; }

    /// <summary>VK allows about 20 requests per second per community token.</summary>
    public double RequestsPerSecond { get; set; } = 20;

    public int LongPollWaitSeconds { get; set; } = 25;

    public int RequestTimeoutSeconds { get; set; } = 15;

    public int MaxCallbackBodyBytes { get; set; } = 1_048_576;

    public bool Enabled => !string.IsNullOrWhiteSpace(GroupId) && !string.IsNullOrWhiteSpace(AccessToken);

    public bool UseCallback => !string.IsNullOrWhiteSpace(CallbackConfirmation) || !string.IsNullOrWhiteSpace(CallbackSecret);

    public long ParsedGroupId => long.Parse(GroupId!, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[1-9]\d{0,18}$")]
    internal static partial Regex GroupIdFormat();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{16,512}$")]
    internal static partial Regex TokenFormat();

    [GeneratedRegex(@"^[A-Za-z0-9]{1,50}$")]
    internal static partial Regex SecretFormat();

    [GeneratedRegex(@"^\d+\.\d+$")]
    internal static partial Regex VersionFormat();
}

/// <summary>Checks every VK key and names the key in the message.</summary>
public sealed class VkOptionsValidator : IValidateOptions<VkOptions>
{
    public ValidateOptionsResult Validate(string? name, VkOptions o)
    {
        var errors = new List<string>();
        var hasGroup = !string.IsNullOrWhiteSpace(o.GroupId);
        var hasToken = !string.IsNullOrWhiteSpace(o.AccessToken);
        if (hasGroup && !VkOptions.GroupIdFormat().IsMatch(o.GroupId!))
        {
            errors.Add("Vk:GroupId (Vk__GroupId) must be the community's numeric id (digits only, no minus sign)");
        }
        if (hasGroup && !hasToken)
        {
            errors.Add("Vk:AccessToken (Vk__AccessToken) is required when Vk:GroupId is set");
        }
        if (hasToken && !hasGroup)
        {
            errors.Add("Vk:GroupId (Vk__GroupId) is required when Vk:AccessToken is set");
        }
        if (hasToken && !VkOptions.TokenFormat().IsMatch(o.AccessToken!))
        {
            errors.Add("Vk:AccessToken (Vk__AccessToken) does not look like a community access token");
        }
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            errors.Add("Vk:ApiBaseUrl (Vk__ApiBaseUrl) must be an absolute http(s) URL");
        }
        if (string.IsNullOrWhiteSpace(o.ApiVersion) || !VkOptions.VersionFormat().IsMatch(o.ApiVersion))
        {
            errors.Add("Vk:ApiVersion (Vk__ApiVersion) must look like 5.199");
        }
        if (o.UseCallback)
        {
            if (!o.Enabled)
            {
                errors.Add("Vk:CallbackConfirmation / Vk:CallbackSecret are set but Vk:GroupId or Vk:AccessToken is empty");
            }
            if (string.IsNullOrWhiteSpace(o.CallbackConfirmation) || o.CallbackConfirmation.Length > 100)
            {
                errors.Add("Vk:CallbackConfirmation (Vk__CallbackConfirmation) is required with the Callback API: the code from the community's Callback API page");
            }
            if (string.IsNullOrEmpty(o.CallbackSecret) || !VkOptions.SecretFormat().IsMatch(o.CallbackSecret))
            {
                errors.Add("Vk:CallbackSecret (Vk__CallbackSecret) is required with the Callback API: 1-50 letters and digits");
            }
        }
        if (o.RequestsPerSecond is <= 0 or > 1000)
        {
            errors.Add("Vk:RequestsPerSecond (Vk__RequestsPerSecond) must be above 0 and at most 1000");
        }
        if (o.LongPollWaitSeconds is < 1 or > 90)
        {
            errors.Add("Vk:LongPollWaitSeconds (Vk__LongPollWaitSeconds) must be between 1 and 90");
        }
        if (o.RequestTimeoutSeconds is < 1 or > 120)
        {
            errors.Add("Vk:RequestTimeoutSeconds (Vk__RequestTimeoutSeconds) must be between 1 and 120");
        }
        if (o.MaxCallbackBodyBytes is < 1024 or > 16_777_216)
        {
            errors.Add("Vk:MaxCallbackBodyBytes (Vk__MaxCallbackBodyBytes) must be between 1024 and 16777216");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
