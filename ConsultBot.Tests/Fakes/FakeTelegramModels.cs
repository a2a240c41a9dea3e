using System.Text.Json.Nodes;

namespace ConsultBot.Tests.Fakes;

/// <summary>How the fake Telegram Bot API server behaves. Everything has a default that suits the tests.</summary>
public sealed class FakeTelegramApiOptions
{
    /// <summary>The only token the server accepts; any other gets 401 Unauthorized, as Telegram does.</summary>
    public string Token { get; set; } = "123456:TEST-token";

    /// <summary>The bot's user id; by default the digits before the colon of <see cref="Token"/>, like Telegram.</summary>
    public long? BotId { get; set; }

    public string BotUsername { get; set; } = "consultbot_test_bot";

    public string BotFirstName { get; set; } = "ConsultBot";

    /// <summary>Telegram's flood limits on sendMessage; null (the default) means unlimited.</summary>
    public FakeRateLimits? RateLimits { get; set; }

    /// <summary>
    /// The longest a <see cref="FakeFaultKind.Timeout"/> fault holds a request; the connection is then dropped.
    /// A client that gives up earlier ends the hold at once.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock for message dates, rate limits and waits.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}

/// <summary>
/// Token buckets like Telegram's flood control: a bot-wide bucket (capacity = rate) and one bucket per chat.
/// A send that finds either bucket empty gets 429 with <c>parameters.retry_after</c>.
/// </summary>
public sealed record FakeRateLimits(double GlobalPerSecond = 30, double PerChatPerSecond = 1, int PerChatBurst = 3);

public enum FakeFaultKind
{
    /// <summary>429 Too Many Requests with <c>parameters.retry_after</c>.</summary>
    TooManyRequests,
    /// <summary>403 Forbidden: bot was blocked by the user.</summary>
    Forbidden,
    /// <summary>A 5xx answer with a Telegram-shaped error body.</summary>
    ServerError,
    /// <summary>400 Bad Request with a description.</summary>
    BadRequest,
    /// <summary>No answer: the request is held until the client gives up (or <see cref="FakeTelegramApiOptions.MaxHold"/>).</summary>
    Timeout,
    /// <summary>200 with a body that is not JSON.</summary>
    MalformedJson,
    /// <summary>The connection is closed without an answer.</summary>
    CloseConnection,
}

/// <summary>
/// One injected failure. A faulted call does not reach the method: a faulted sendMessage is not recorded as sent,
/// a faulted getUpdates confirms nothing.
/// </summary>
public sealed record FakeFault(FakeFaultKind Kind, int StatusCode, string Description, int RetryAfterSeconds = 0, TimeSpan? Hold = null)
{
    public static FakeFault TooManyRequests(int retryAfterSeconds = 1) =>
        new(FakeFaultKind.TooManyRequests, 429, $"Too Many Requests: retry after {retryAfterSeconds}", retryAfterSeconds);

    public static FakeFault BlockedByUser() => new(FakeFaultKind.Forbidden, 403, "Forbidden: bot was blocked by the user");

    public static FakeFault ServerError(int statusCode = 500) => new(FakeFaultKind.ServerError, statusCode, "Internal Server Error");

    public static FakeFault BadRequest(string description = "Bad Request: chat not found") => new(FakeFaultKind.BadRequest, 400, description);

    /// <summary>Holds the request for <paramref name="hold"/> (default: until the client gives up).</summary>
    public static FakeFault Timeout(TimeSpan? hold = null) => new(FakeFaultKind.Timeout, 0, "held", Hold: hold);

    public static FakeFault MalformedJson() => new(FakeFaultKind.MalformedJson, 200, "{not json");

    public static FakeFault CloseConnection() => new(FakeFaultKind.CloseConnection, 0, "connection closed");
}

/// <summary>A message the bot sent, as the server accepted it; for sendDocument the text is the caption.</summary>
public sealed record FakeSentMessage(long MessageId, string ChatId, string Text, JsonObject? ReplyMarkup, DateTimeOffset At)
{
    /// <summary>The file of a sendDocument; null for sendMessage.</summary>
    public FakeDocument? Document { get; init; }

    /// <summary>The inline buttons, row by row flattened.</summary>
    public IReadOnlyList<FakeButton> Buttons { get; } = ReadButtons(ReplyMarkup);

    /// <summary>The button with this label; throws with the labels present when there is none.</summary>
    public FakeButton Button(string label) =>
        Buttons.FirstOrDefault(b => b.Text == label)
        ?? throw new InvalidOperationException(
            $"No button \"{label}\" under \"{Text}\"; buttons: {string.Join(", ", Buttons.Select(b => "\"" + b.Text + "\""))}");

    private static List<FakeButton> ReadButtons(JsonObject? markup)
    {
        var list = new List<FakeButton>();
        if (markup?["inline_keyboard"] is not JsonArray rows)
        {
            return list;
        }
        foreach (var row in rows.OfType<JsonArray>())
        {
            foreach (var button in row.OfType<JsonObject>())
            {
                list.Add(new FakeButton(
                    (string?)button["text"] ?? string.Empty,
                    (string?)button["callback_data"],
                    (string?)button["url"]));
            }
        }
        return list;
    }
}

/// <summary>A file the bot uploaded: the name it gave and the bytes.</summary>
public sealed record FakeDocument(string FileName, byte[] Content);

public sealed record FakeButton(string Text, string? CallbackData, string? Url);

/// <summary>An accepted answerCallbackQuery.</summary>
public sealed record FakeCallbackAnswer(string CallbackQueryId, string? Text, bool ShowAlert, DateTimeOffset At);

/// <summary>A setWebhook call.</summary>
public sealed record FakeWebhookRegistration(string Url, string? SecretToken, IReadOnlyList<string> AllowedUpdates, DateTimeOffset At);
