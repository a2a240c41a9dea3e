using System.Globalization;
using System.Text.Json;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Outbox;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace ConsultBot.Host.Telegram;

/// <summary>Sends outbox rows with sendMessage (sendDocument for a row with a file) and maps Telegram's answers to outbox outcomes.</summary>
public sealed class TelegramSender(TelegramClients clients, IOptions<TelegramOptions> options) : IChannelSender
{
    public Channel Channel => Channel.Telegram;
    public bool Enabled => options.Value.Enabled;
    public double MessagesPerSecond => options.Value.MessagesPerSecond;
    public double PerChatPerSecond => options.Value.PerChatPerSecond;
    public int PerChatBurst => options.Value.PerChatBurst;

    public async Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        if (!long.TryParse(row.ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId))
        {
            return new SendResult(SendOutcome.Rejected, "chat id is not a number");
        }
        try
        {
            if (row.Body.Document is { } document)
            {
                // sendDocument (multipart): the text goes as the caption, which Telegram limits to 1,024 characters.
                await using var content = new MemoryStream(document.Content, writable: false);
                await clients.Sender.SendDocument(chatId, InputFile.FromStream(content, document.FileName),
                    caption: row.Body.Text.Length == 0 ? null : MessageText.Fit(row.Body.Text, MessageText.MaxCaptionLength),
                    replyMarkup: Markup(row.Body.Keyboard), cancellationToken: cancellationToken);
                return SendResult.Ok;
            }
            await clients.Sender.SendMessage(chatId, MessageText.Fit(row.Body.Text), replyMarkup: Markup(row.Body.Keyboard),
                cancellationToken: cancellationToken);
            return SendResult.Ok;
        }
        catch (Exception e)
        {
            return Classify(e);
        }
    }

    internal static SendResult Classify(Exception e) => e switch
    {
        ApiRequestException { ErrorCode: 429 } api =>
            new SendResult(SendOutcome.RateLimited, "429 Too Many Requests", TimeSpan.FromSeconds(Math.Max(1, api.Parameters?.RetryAfter ?? 1))),
        ApiRequestException { ErrorCode: 403 } api => new SendResult(SendOutcome.Unreachable, "403 " + api.Message),
        ApiRequestException { ErrorCode: >= 500 } api => new SendResult(SendOutcome.Transient, api.ErrorCode + " " + api.Message),
        ApiRequestException api => new SendResult(SendOutcome.Rejected, api.ErrorCode + " " + api.Message),
        OperationCanceledException => new SendResult(SendOutcome.Transient, "timeout"),
        RequestException or HttpRequestException or JsonException => new SendResult(SendOutcome.Transient, e.GetType().Name + ": " + e.Message),
        _ => new SendResult(SendOutcome.Transient, e.GetType().Name),
    };

    internal static InlineKeyboardMarkup? Markup(Keyboard? keyboard) =>
        keyboard is null || keyboard.Rows.Count == 0
            ? null
            : new InlineKeyboardMarkup(keyboard.Rows.Select(row =>
                row.Select(b => InlineKeyboardButton.WithCallbackData(b.Label, b.Payload)).ToArray()).ToArray());
}
