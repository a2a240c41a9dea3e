using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Vk;
using ConsultBot.Tests.Fakes;
using Microsoft.Extensions.Options;
using Moq;

namespace ConsultBot.Tests.Vk;

/// <summary>
/// VkSender with a document against the fake VK API on loopback: docs.getMessagesUploadServer → the upload server →
/// docs.save → messages.send with <c>attachment=doc{owner}_{id}</c>, and the failures of each step.
/// </summary>
public sealed class VkSenderDocumentTests : IAsyncLifetime
{
    private static readonly byte[] Csv = [0xEF, 0xBB, 0xBF, .. "Роль;ФИО\r\n"u8];
    private FakeVkApi _api = null!;
    private VkSender _sender = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeVkApi.StartAsync();
        var options = Options.Create(new VkOptions
        {
            GroupId = _api.GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), AccessToken = _api.AccessToken,
            ApiBaseUrl = _api.BaseUrl, RequestsPerSecond = 20,
        });
        var http = new Mock<IHttpClientFactory>();
        http.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient { Timeout = TimeSpan.FromSeconds(3) });
        _sender = new VkSender(new VkApiClient(http.Object, options, new VkRateGate(options, TimeProvider.System)), options);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static OutboxRow Row(long id = 31) =>
        new(id, Channel.Vk, "190001", new MessageBody("Отчёт за октябрь 2026", null, new MessageDocument("activity-2026-10.csv", Csv)), 1,
            DateTimeOffset.UtcNow.AddMinutes(1));

    [Fact]
    public async Task SendAsync_UploadsTheFile_AndSendsItAttached_WithTheTextAsCaption()
    {
        var result = await _sender.SendAsync(Row(), CancellationToken.None);

        Assert.Equal(SendResult.Ok, result);
        var message = Assert.Single(_api.SentTo(190001));
        Assert.Equal("Отчёт за октябрь 2026", message.Text);
        Assert.Equal("activity-2026-10.csv", message.Document?.FileName);
        Assert.Equal(Csv, message.Document?.Content);
        Assert.Equal(1, _api.Calls("docs.getMessagesUploadServer"));
        Assert.Equal(1, _api.Calls("docs.save"));
        Assert.Equal(1, _api.Uploads);
    }

    [Fact]
    public async Task SendAsync_IsTransient_WhenTheUploadServerFails_AndTheRetryDeliversOnce()
    {
        _api.Fail("upload", FakeVkFault.ServerError);

        var failed = await _sender.SendAsync(Row(), CancellationToken.None);
        var retried = await _sender.SendAsync(Row(), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, failed.Outcome);
        Assert.Equal(SendResult.Ok, retried);
        Assert.Single(_api.SentTo(190001));
    }

    [Fact]
    public async Task SendAsync_IsRateLimited_OnError6_FromTheUploadServerRequest()
    {
        _api.Fail("docs.getMessagesUploadServer", FakeVkFault.Error, code: 6);

        var result = await _sender.SendAsync(Row(), CancellationToken.None);

        Assert.Equal(SendOutcome.RateLimited, result.Outcome);
        Assert.Empty(_api.SentTo(190001));
    }

    [Fact]
    public async Task SendAsync_IsUnreachable_On901_FromMessagesSend()
    {
        _api.Fail("messages.send", FakeVkFault.Error, code: 901);

        Assert.Equal(SendOutcome.Unreachable, (await _sender.SendAsync(Row(), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task SendAsync_IsTransient_WhenDocsSaveAnswersMalformed()
    {
        _api.Fail("docs.save", FakeVkFault.Malformed);

        Assert.Equal(SendOutcome.Transient, (await _sender.SendAsync(Row(), CancellationToken.None)).Outcome);
        Assert.Empty(_api.SentTo(190001));
    }

    [Fact]
    public async Task SendAsync_IsDroppedByVk_WhenADeliveredRowIsSentAgain()
    {
        await _sender.SendAsync(Row(id: 77), CancellationToken.None);

        await _sender.SendAsync(Row(id: 77), CancellationToken.None);

        Assert.Single(_api.SentTo(190001));
        Assert.Equal(1, _api.DuplicatesDropped);
    }
}
