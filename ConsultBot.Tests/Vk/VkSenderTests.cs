using System.Net;
using System.Text;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Vk;
using Microsoft.Extensions.Options;
using Moq;

namespace ConsultBot.Tests.Vk;

public sealed class VkSenderTests
{
    private sealed class Recorder(Func<int, string> answer) : HttpMessageHandler
    {
        public List<Dictionary<string, string>> Forms { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Forms.Add(body.Split('&').Select(p => p.Split('='))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' '))));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer(Forms.Count), Encoding.UTF8, "application/json") };
        }
    }

    private static (VkSender Sender, Recorder Recorder) Create(Func<int, string> answer)
    {
        var recorder = new Recorder(answer);
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient(recorder, disposeHandler: false));
        var options = Options.Create(new VkOptions { GroupId = "1", AccessToken = "vk1.a.unit-test-token-0123456789", RequestsPerSecond = 1000 });
        return (new VkSender(new VkApiClient(factory.Object, options, new VkRateGate(options, TimeProvider.System)), options), recorder);
    }

    private static OutboxRow Row(Keyboard? keyboard) =>
        new(77, Channel.Vk, "190001", new MessageBody("Выберите", keyboard), 0, DateTimeOffset.UtcNow.AddMinutes(1));

    private static Keyboard Fifteen() => Keyboard.Column(Enumerable.Range(1, 15).Select(i => new Button($"Вариант {i}", $"v:1:{i}")));

    [Fact]
    public async Task SendAsync_SendsALongKeyboardAsSeveralMessages_EachWithItsOwnRandomId()
    {
        var (sender, recorder) = Create(n => $"{{\"response\":{n}}}");

        var result = await sender.SendAsync(Row(Fifteen()), CancellationToken.None);

        Assert.Equal(SendResult.Ok, result);
        Assert.Equal(3, recorder.Forms.Count);
        Assert.Equal(["Выберите", VkSender.ContinuationText, VkSender.ContinuationText], recorder.Forms.Select(f => f["message"]));
        Assert.Equal(3, recorder.Forms.Select(f => f["random_id"]).Distinct().Count());
        Assert.All(recorder.Forms, f => Assert.Equal("190001", f["peer_id"]));
    }

    [Fact]
    public async Task SendAsync_RepeatsTheSameRandomIds_WhenARowIsRetriedAfterAPartialSend()
    {
        var (sender, recorder) = Create(n => n == 2 ? "{\"error\":{\"error_code\":10,\"error_msg\":\"Internal server error\"}}" : $"{{\"response\":{n}}}");

        var failed = await sender.SendAsync(Row(Fifteen()), CancellationToken.None);
        var retried = await sender.SendAsync(Row(Fifteen()), CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, failed.Outcome);
        Assert.Equal(SendResult.Ok, retried);
        var ids = recorder.Forms.Select(f => f["random_id"]).ToList();
        Assert.Equal(ids[0], ids[2]); // VK drops the page it already has
        Assert.Equal(ids[1], ids[3]);
    }

    [Fact]
    public async Task SendAsync_SendsNoKeyboard_WhenThereAreNoButtons()
    {
        var (sender, recorder) = Create(_ => "{\"response\":1}");

        await sender.SendAsync(Row(null), CancellationToken.None);

        Assert.False(Assert.Single(recorder.Forms).ContainsKey("keyboard"));
    }

    [Theory]
    [InlineData(1, SendOutcome.Transient)] // "Unknown error occurred": VK's advice is to try again later
    [InlineData(10, SendOutcome.Transient)] // "Internal server error"
    [InlineData(5, SendOutcome.Transient)] // the token revoked while running: may pass
    [InlineData(6, SendOutcome.RateLimited)]
    [InlineData(901, SendOutcome.Unreachable)]
    [InlineData(100, SendOutcome.Rejected)] // a parameter VK does not accept: trying again changes nothing
    [InlineData(914, SendOutcome.Rejected)] // the message is too long
    public async Task SendAsync_RetriesOnlyWhatMayPass_WhenVkAnswersAnError(int code, SendOutcome expected)
    {
        var (sender, _) = Create(_ => $"{{\"error\":{{\"error_code\":{code},\"error_msg\":\"Some error\"}}}}");

        var result = await sender.SendAsync(Row(null), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_IsRejected_WhenThePeerIsNotANumber()
    {
        var (sender, _) = Create(_ => "{\"response\":1}");

        var result = await sender.SendAsync(Row(null) with { ChatId = "abc" }, CancellationToken.None);

        Assert.Equal(SendOutcome.Rejected, result.Outcome);
    }
}
