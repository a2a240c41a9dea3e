using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Telegram;
using ConsultBot.Tests.Fakes;
using Microsoft.Extensions.Options;
using Moq;

namespace ConsultBot.Tests.Telegram;

/// <summary>TelegramSender with a document: sendDocument against the fake Bot API on loopback, and its errors mapped like sendMessage's.</summary>
public sealed class TelegramSenderDocumentTests : IAsyncLifetime
{
    private FakeTelegramApi _api = null!;
    private TelegramSender _sender = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeTelegramApi.StartAsync();
        var options = Options.Create(new TelegramOptions { BotToken = _api.Token, ApiBaseUrl = _api.BaseUrl, RequestTimeoutSeconds = 2 });
        var http = new Mock<IHttpClientFactory>();
        http.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient { Timeout = TimeSpan.FromSeconds(2) });
        _sender = new TelegramSender(new TelegramClients(http.Object, options), options);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static OutboxRow Row(string caption, byte[]? content = null) =>
        new(1, Channel.Telegram, "4242", new MessageBody(caption, null, new MessageDocument("activity-2026-10.csv", content ?? [0xEF, 0xBB, 0xBF, (byte)'a'])),
            1, DateTimeOffset.UtcNow.AddMinutes(1));

    [Fact]
    public async Task SendAsync_UploadsTheFileWithTheTextAsItsCaption()
    {
        var result = await _sender.SendAsync(Row("Отчёт за октябрь"), CancellationToken.None);

        Assert.Equal(SendResult.Ok, result);
        var sent = Assert.Single(_api.MessagesTo(4242));
        Assert.Equal("Отчёт за октябрь", sent.Text);
        Assert.Equal("activity-2026-10.csv", sent.Document?.FileName);
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'a'], sent.Document?.Content);
        Assert.Equal(0, _api.CallCount("sendMessage"));
    }

    [Fact]
    public async Task SendAsync_ShortensACaptionToTelegramsLimit_InsteadOfHavingItRefused()
    {
        var result = await _sender.SendAsync(Row(new string('я', 3000)), CancellationToken.None);

        Assert.Equal(SendResult.Ok, result);
        Assert.Equal(MessageText.MaxCaptionLength, Assert.Single(_api.MessagesTo(4242)).Text.Length);
    }

    [Fact]
    public async Task SendAsync_IsRateLimited_WithTheRetryAfter_On429()
    {
        _api.FailNext("sendDocument", FakeFault.TooManyRequests(retryAfterSeconds: 7));

        var result = await _sender.SendAsync(Row("Отчёт"), CancellationToken.None);

        Assert.Equal(SendOutcome.RateLimited, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Empty(_api.MessagesTo(4242));
    }

    [Fact]
    public async Task SendAsync_IsUnreachable_On403()
    {
        _api.FailNext("sendDocument", FakeFault.BlockedByUser());

        Assert.Equal(SendOutcome.Unreachable, (await _sender.SendAsync(Row("Отчёт"), CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    public async Task SendAsync_IsTransient_On5xx(int status)
    {
        _api.FailNext("sendDocument", FakeFault.ServerError(status));

        Assert.Equal(SendOutcome.Transient, (await _sender.SendAsync(Row("Отчёт"), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task SendAsync_IsTransient_OnATimeout()
    {
        _api.FailNext("sendDocument", FakeFault.Timeout());

        Assert.Equal(SendOutcome.Transient, (await _sender.SendAsync(Row("Отчёт"), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task SendAsync_IsRejected_WhenTelegramRefusesTheFile()
    {
        var result = await _sender.SendAsync(Row("Отчёт", content: []), CancellationToken.None);

        Assert.Equal(SendOutcome.Rejected, result.Outcome);
    }
}
