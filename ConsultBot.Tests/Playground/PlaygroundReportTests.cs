using System.Net.Http.Json;
using System.Text.Json;
using ConsultBot.Tests.Reports;

namespace ConsultBot.Tests.Playground;

/// <summary>A report asked for in the web playground arrives with its caption and the file the page offers for download.</summary>
[Collection(PlaygroundHostsCollection.Name)]
public sealed class PlaygroundReportTests(PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await host.ResetAsync();
        var admin = await host.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('admin', 'active', 'Директор Школы', now()) RETURNING id");
        await host.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('web', 'admin1', 'admin1', @p)", ("p", admin));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Report_ReachesThePage_WithTheCsvToDownload()
    {
        await host.Http.PostAsJsonAsync("/playground/api/messages", new { user = "admin1", text = "/report 2026-10" });

        JsonElement body = default;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (body.ValueKind == JsonValueKind.Undefined)
        {
            var messages = await host.Http.GetFromJsonAsync<JsonElement[]>("/playground/api/messages?user=admin1&after=0");
            if (messages is { Length: > 0 })
            {
                body = messages[0].GetProperty("body");
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the report did not reach the playground");
            await Task.Delay(50);
        }

        Assert.StartsWith("Отчёт об активности за октябрь 2026", body.GetProperty("text").GetString());
        var document = body.GetProperty("document");
        Assert.Equal("activity-2026-10.csv", document.GetProperty("fileName").GetString());
        var rows = CsvRows.Parse(Convert.FromBase64String(document.GetProperty("content").GetString()!));
        Assert.Equal("Роль", Assert.Single(rows)[0]);
    }
}
