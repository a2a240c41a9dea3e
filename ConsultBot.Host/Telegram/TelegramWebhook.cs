using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConsultBot.Host.Conversations;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ConsultBot.Host.Telegram;

/// <summary>
/// <c>POST /telegram/webhook</c>: checks the secret header in constant time, bounds the body, parses the update and
/// answers once it is committed (Telegram retries anything but 2xx, and dedupe makes that safe).
/// </summary>
public static class TelegramWebhook
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static async Task<IResult> HandleAsync(HttpContext http, TelegramBot bot, IOptions<TelegramOptions> options,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!SecretMatches(http.Request.Headers[SecretHeader].ToString(), o.WebhookSecret))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        var (update, error) = await RequestBody.ReadJsonAsync<Update>(http.Request, o.MaxWebhookBodyBytes, JsonBotAPI.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        if (update is null || update.Id <= 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Telegram update");
        }
        var incoming = TelegramUpdateMapper.Map(update);
        var result = await bot.HandleAsync(incoming, cancellationToken, answerInResponse: true);
        if (incoming.CallbackId is { } callbackId && result.Outcome != UpdateOutcome.Duplicate)
        {
            // Telegram runs a method given in the webhook's response: the button stops spinning without a request
            // of our own (https://core.telegram.org/bots/api#making-requests-when-getting-updates).
            return Results.Json(new CallbackAnswerMethod(callbackId, string.IsNullOrEmpty(result.CallbackAnswer) ? null : result.CallbackAnswer),
                CallbackAnswerJson);
        }
        return Results.Ok();
    }

    private static readonly JsonSerializerOptions CallbackAnswerJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>answerCallbackQuery as a webhook reply: <c>{"method":"answerCallbackQuery","callback_query_id":…,"text":…}</c>.</summary>
    internal sealed record CallbackAnswerMethod(string CallbackQueryId, string? Text)
    {
        public string Method => "answerCallbackQuery";
    }

    /// <summary>Compares hashes so neither the content nor the length of the secret leaks through timing.</summary>
    internal static bool SecretMatches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

public static class RequestBody
{
    /// <summary>Reads a bounded JSON body: 413 when it is too large, 400 when it is not JSON of that shape.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, int limit, JsonSerializerOptions options,
        CancellationToken cancellationToken)
    {
        var body = await ReadLimitedAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return (default, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large"));
        }
        try
        {
            return (JsonSerializer.Deserialize<T>(body, options), null);
        }
        catch (JsonException)
        {
            return (default, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON"));
        }
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
