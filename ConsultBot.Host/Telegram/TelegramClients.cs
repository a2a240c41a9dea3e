using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace ConsultBot.Host.Telegram;

/// <summary>
/// Two clients over one token: one for sending (short timeout) and one for long polling (no client timeout, each
/// getUpdates is bounded by its own cancellation). Their HttpClients never log: the token is part of every URL.
/// </summary>
public sealed class TelegramClients(IHttpClientFactory httpClients, IOptions<TelegramOptions> options)
{
    public const string SendClientName = "telegram";
    public const string PollClientName = "telegram-poll";

    private readonly Lazy<ITelegramBotClient> _sender = new(() => Create(httpClients.CreateClient(SendClientName), options.Value));
    private readonly Lazy<ITelegramBotClient> _poller = new(() => Create(httpClients.CreateClient(PollClientName), options.Value));

    public ITelegramBotClient Sender => _sender.Value;
    public ITelegramBotClient Poller => _poller.Value;

    private static TelegramBotClient Create(HttpClient http, TelegramOptions o) =>
        new(new TelegramBotClientOptions(o.BotToken!, o.ApiBaseUrl)
        {
            // The outbox dispatcher owns retries and 429 pauses; the client must not sleep on its own.
            RetryCount = 0,
        }, http);
}
