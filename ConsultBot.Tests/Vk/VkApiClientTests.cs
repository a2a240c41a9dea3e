using System.Net;
using System.Text;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Vk;
using Microsoft.Extensions.Options;
using Moq;

namespace ConsultBot.Tests.Vk;

public sealed class VkApiClientTests
{
    private const string Token = "vk1.a.unit-test-token-0123456789";

    private sealed class StubHandler(Func<HttpRequestMessage, string, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(Uri Uri, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((request.RequestUri!, body));
            return answer(request, body);
        }
    }

    private static (VkApiClient Client, StubHandler Handler) Create(string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(It.IsAny<string>())).Returns(() => new HttpClient(handler, disposeHandler: false));
        var options = Options.Create(new VkOptions { GroupId = "227000001", AccessToken = Token, ApiBaseUrl = "http://vk.test/method/" });
        return (new VkApiClient(factory.Object, options, new VkRateGate(options, TimeProvider.System)), handler);
    }

    private static Dictionary<string, string> Form(string body) => body.Split('&').Select(p => p.Split('='))
        .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    [Fact]
    public async Task SendMessageAsync_PostsFormWithTokenVersionAndRandomId_AndReturnsMessageId()
    {
        var (client, handler) = Create("{\"response\":321}");

        var id = await client.SendMessageAsync(190001, "Привет & пока", "{\"inline\":true,\"buttons\":[]}", 4242, null, CancellationToken.None);

        Assert.Equal(321, id);
        var (uri, body) = Assert.Single(handler.Requests);
        Assert.Equal("http://vk.test/method/messages.send", uri.ToString());
        Assert.DoesNotContain(Token, uri.ToString(), StringComparison.Ordinal);
        var form = Form(body);
        Assert.Equal("190001", form["peer_id"]);
        Assert.Equal("Привет & пока", form["message"]);
        Assert.Equal("4242", form["random_id"]);
        Assert.Equal("{\"inline\":true,\"buttons\":[]}", form["keyboard"]);
        Assert.Equal(Token, form["access_token"]);
        Assert.Equal("5.199", form["v"]);
    }

    [Fact]
    public async Task GetLongPollServerAsync_ReadsKeyServerAndTs_WhenTsIsANumber()
    {
        var (client, handler) = Create("{\"response\":{\"key\":\"abc\",\"server\":\"https://lp.vk.com/wh1\",\"ts\":17}}");

        var server = await client.GetLongPollServerAsync(CancellationToken.None);

        Assert.Equal(new VkLongPollServer("https://lp.vk.com/wh1", "abc", "17"), server);
        Assert.Equal("227000001", Form(handler.Requests[0].Body)["group_id"]);
    }

    [Theory]
    [InlineData(6, SendOutcome.RateLimited)]
    [InlineData(9, SendOutcome.RateLimited)]
    [InlineData(901, SendOutcome.Unreachable)]
    [InlineData(902, SendOutcome.Unreachable)]
    [InlineData(10, SendOutcome.Transient)]
    [InlineData(5, SendOutcome.Transient)]
    [InlineData(100, SendOutcome.Rejected)]
    [InlineData(911, SendOutcome.Rejected)]
    public async Task SendMessageAsync_ThrowsVkApiException_ThatTheSenderClassifies(int code, SendOutcome outcome)
    {
        var (client, _) = Create($"{{\"error\":{{\"error_code\":{code},\"error_msg\":\"Something\",\"request_params\":[]}}}}");

        var e = await Assert.ThrowsAsync<VkApiException>(() => client.SendMessageAsync(1, "x", null, 1, null, CancellationToken.None));

        Assert.Equal(code, e.Code);
        Assert.Equal("Something", e.ErrorMessage);
        Assert.Equal(outcome, VkSender.Classify(e).Outcome);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"something\":1}")]
    [InlineData("{\"response\":\"text\"}")]
    public async Task SendMessageAsync_ThrowsMalformed_WhenTheAnswerIsNotVksEnvelope(string body)
    {
        var (client, _) = Create(body);

        var e = await Assert.ThrowsAsync<VkMalformedResponseException>(() => client.SendMessageAsync(1, "x", null, 1, null, CancellationToken.None));

        Assert.Equal(SendOutcome.Transient, VkSender.Classify(e).Outcome);
    }

    [Fact]
    public async Task CallAsync_ThrowsHttpRequestException_WhenVkAnswers5xx()
    {
        var (client, _) = Create("<html>bad gateway</html>", HttpStatusCode.BadGateway);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendMessageAsync(1, "x", null, 1, null, CancellationToken.None));

        var result = VkSender.Classify(e);
        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.Equal("HTTP 502", result.Reason);
    }

    [Fact]
    public void Classify_IsTransientTimeout_WhenTheRequestTimedOut() =>
        Assert.Equal(new SendResult(SendOutcome.Transient, "timeout"), VkSender.Classify(new TaskCanceledException()));

    [Fact]
    public void Classify_PausesTheChannelForASecond_WhenRateLimited() =>
        Assert.Equal(TimeSpan.FromSeconds(1), VkSender.Classify(new VkApiException("messages.send", 6, "Too many requests per second")).RetryAfter);

    [Fact]
    public async Task SendMessageEventAnswerAsync_SendsASnackbar_WhenThereIsText()
    {
        var (client, handler) = Create("{\"response\":1}");

        await client.SendMessageEventAnswerAsync("ev1", 5, 5, "Кнопка устарела", CancellationToken.None);
        await client.SendMessageEventAnswerAsync("ev2", 5, 5, null, CancellationToken.None);

        var first = Form(handler.Requests[0].Body);
        Assert.Equal("ev1", first["event_id"]);
        Assert.Equal("{\"type\":\"show_snackbar\",\"text\":\"Кнопка устарела\"}", first["event_data"]);
        Assert.False(Form(handler.Requests[1].Body).ContainsKey("event_data"));
    }

    [Fact]
    public async Task GetUsersAsync_ReadsIdsAndNames()
    {
        var (client, _) = Create("{\"response\":[{\"id\":1,\"first_name\":\"Павел\",\"last_name\":\"Дуров\",\"can_access_closed\":true}]}");

        var users = await client.GetUsersAsync([1], CancellationToken.None);

        Assert.Equal(new VkUser(1, "Павел", "Дуров"), Assert.Single(users));
    }

    [Fact]
    public async Task EditMessageAsync_PostsPeerMessageIdAndText()
    {
        var (client, handler) = Create("{\"response\":1}");

        await client.EditMessageAsync(7, 99, "new", null, CancellationToken.None);

        var form = Form(handler.Requests[0].Body);
        Assert.Equal(("7", "99", "new"), (form["peer_id"], form["message_id"], form["message"]));
    }

    [Theory]
    [InlineData("{\"failed\":1,\"ts\":30}", 1, "30")]
    [InlineData("{\"failed\":2}", 2, null)]
    [InlineData("{\"failed\":3}", 3, null)]
    public void ParseLongPoll_ReadsFailed(string body, int failed, string? ts)
    {
        var answer = VkApiClient.ParseLongPoll(body);

        Assert.Equal(failed, answer.Failed);
        Assert.Equal(ts, answer.Ts);
    }

    [Fact]
    public void ParseLongPoll_ReadsTsAndUpdates()
    {
        var answer = VkApiClient.ParseLongPoll("{\"ts\":\"31\",\"updates\":[{\"type\":\"message_new\",\"event_id\":\"e\"}]}");

        Assert.Null(answer.Failed);
        Assert.Equal("31", answer.Ts);
        Assert.Equal("message_new", Assert.Single(answer.Updates)["type"]!.GetValue<string>());
    }

    [Fact]
    public void ParseLongPoll_Throws_WhenNotJson() =>
        Assert.Throws<VkMalformedResponseException>(() => VkApiClient.ParseLongPoll("<html>"));

    [Fact]
    public void RandomId_DiffersPerRowAndPage_AndFitsInt32()
    {
        Assert.NotEqual(VkSender.RandomId(1, 0), VkSender.RandomId(1, 1));
        Assert.NotEqual(VkSender.RandomId(1, 1), VkSender.RandomId(2, 0));
        Assert.InRange(VkSender.RandomId(long.MaxValue / 32, 3), 0, int.MaxValue);
    }
}
