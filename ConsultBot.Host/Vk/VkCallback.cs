using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsultBot.Host.Telegram;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

/// <summary>
/// <c>POST /vk/callback</c> (https://dev.vk.com/ru/api/callback/getting-started): bounded body, malformed JSON → 400,
/// the <c>secret</c> checked in constant time on every request (wrong or missing → 403, nothing stored), the confirmation
/// request answered with the configured code, every event answered <c>ok</c> once it committed. VK repeats an event
/// it got no <c>ok</c> for (X-Retry-Counter); the pipeline's dedupe by event_id processes it once.
/// </summary>
public static partial class VkCallback
{
    public const string Path = "/vk/callback";

    public static async Task<IResult> HandleAsync(HttpContext http, VkChannel channel, IOptions<VkOptions> options,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = await RequestBody.ReadLimitedAsync(http.Request, o.MaxCallbackBodyBytes, cancellationToken);
        if (body is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");
        }
        JsonObject? update;
        try
        {
            update = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            update = null;
        }
        if (update is null || update["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a VK Callback API event");
        }
        var secret = update["secret"] is JsonValue s && s.TryGetValue<string>(out var presented) ? presented : null;
        if (!TelegramWebhook.SecretMatches(secret, o.CallbackSecret) || VkUpdateMapper.Long(update["group_id"]) != o.ParsedGroupId)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        if (type == "confirmation")
        {
            return Results.Text(o.CallbackConfirmation, "text/plain");
        }
        var incoming = VkUpdateMapper.Map(update);
        var retry = http.Request.Headers["X-Retry-Counter"].ToString();
        if (retry.Length > 0)
        {
            LogRetry(loggers.CreateLogger(typeof(VkCallback).FullName!), incoming.UpdateId,
                int.TryParse(retry, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1);
        }
        await channel.HandleAsync(incoming, cancellationToken);
        return Results.Text("ok", "text/plain");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "VK repeated event {EventId} (retry {Retry})")]
    private static partial void LogRetry(ILogger logger, string eventId, int retry);
}
