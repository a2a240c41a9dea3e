using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Playground;

public sealed class PlaygroundApiTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private BotHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _host = new BotHost(db.ConnectionString, new Dictionary<string, string?> { ["Playground:Enabled"] = "true" });
        _http = _host.Start();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Start_RepliesWithConsent_ThroughOutboxToPage()
    {
        var response = await _http.PostAsJsonAsync("/playground/api/messages", new { user = "student1", text = "/start" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var messages = await PollAsync("student1", 1);
        var text = messages[0].GetProperty("body").GetProperty("text").GetString();
        Assert.Contains("Гимназия №1", text);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
    }

    private async Task<List<JsonElement>> PollAsync(string user, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var list = await _http.GetFromJsonAsync<List<JsonElement>>($"/playground/api/messages?user={user}&after=0");
            if (list!.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(list.Count >= count, $"expected {count} messages, got {list.Count}");
                return list;
            }
            await Task.Delay(50);
        }
    }
}
