using System.Net;
using System.Net.Sockets;
using System.Text;
using ConsultBot.Host.Operations;
using ConsultBot.Host.Vk;
using ConsultBot.Tests.EndToEnd;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Operations;

/// <summary>The host-level bad inputs on <c>/vk/callback</c>: a torn body and a 10 MB body store nothing and the host goes on.</summary>
public sealed class VkCallbackHostInputTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartCallbackAsync();
    }

    [Fact]
    public async Task Callback_StoresNothingAndHostGoesOn_WhenClientClosesConnectionMidBody()
    {
        var torn = new VkTestUser(7101);
        var body = Encoding.UTF8.GetBytes(Stamped(VkUpdates.Text(torn.Id, "/start")).ToJsonString());

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, Host!.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"POST {VkCallback.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await EventuallyAsync(MetricsAsync, t => InProgress(t) == 1, "the torn request to reach the callback");
        }
        await EventuallyAsync(MetricsAsync, t => InProgress(t) == 0, "the torn request to end");
        var next = new VkTestUser(7102);
        await SendAsync(VkUpdates.Text(next.Id, "/start"));
        await NextMessageAsync(next);

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'vk'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE chat_id = @chat", ("chat", torn.Key)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Callback_Returns413AndStoresNothing_WhenBodyIs10Megabytes(bool chunked)
    {
        var user = new VkTestUser(chunked ? 7202 : 7201);
        var huge = Encoding.UTF8.GetBytes(Stamped(VkUpdates.Text(user.Id, new string('я', 5 * 1024 * 1024))).ToJsonString());
        Assert.True(huge.Length >= 10 * 1024 * 1024);

        var status = await OperationsTests.PostRawAsync(Host!.BaseAddress, VkCallback.Path, huge, chunked, new Dictionary<string, string>());
        var next = new VkTestUser(7203);
        await SendAsync(VkUpdates.Text(next.Id, "/start"));
        await NextMessageAsync(next);

        Assert.Equal(413, status);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'vk'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE chat_id = @chat", ("chat", user.Key)));
    }

    private System.Text.Json.Nodes.JsonObject Stamped(System.Text.Json.Nodes.JsonObject update)
    {
        Vk.Stamp(update);
        update["secret"] = CallbackSecret;
        return update;
    }

    private static double InProgress(string metrics) =>
        MetricsText.Value(metrics, "http_requests_in_progress", "endpoint=\"/vk/callback\"") ?? 0;

    private async Task<string> MetricsAsync() => await HostClient.GetStringAsync(OperationsExtensions.MetricsPath);
}
