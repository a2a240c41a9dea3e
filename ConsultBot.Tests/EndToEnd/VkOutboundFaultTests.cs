using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>What VK answers when a send goes wrong, and what the outbox makes of it.</summary>
public sealed class VkOutboundFaultTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly VkTestUser _user = new(190301);

    private async Task<List<(string Status, int Attempts, string? LastError)>> RowsAsync()
    {
        await using var command = Db.DataSource.CreateCommand(
            "SELECT status, attempts, last_error FROM outbox WHERE channel = 'vk' AND chat_id = @c ORDER BY id");
        command.Parameters.AddWithValue("c", _user.Key);
        var rows = new List<(string, int, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return rows;
    }

    [Theory]
    [InlineData(6)]
    [InlineData(9)]
    public async Task Send_IsPausedAndDeliveredOnce_WhenVkSaysTooManyRequests(int code)
    {
        await StartLongPollAsync();
        Vk.Fail("messages.send", FakeVkFault.Error, code);

        await SendAsync(VkUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);
        var rows = await EventuallyAsync(RowsAsync, r => r.Count == 1 && r[0].Status == "sent", "the row to be sent");

        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(2, Vk.Calls("messages.send"));
        Assert.Single(Vk.SentTo(_user.Id));
        Assert.Equal(1, rows[0].Attempts); // a pause, not a failed attempt
    }

    [Theory]
    [InlineData(901)]
    [InlineData(902)]
    public async Task Send_IsUndeliverableAndThePersonUnreachable_WithoutRetry_WhenMessagesAreNotAllowed(int code)
    {
        await StartLongPollAsync();
        var consent = await SayAsync(_user, "/start");
        Vk.Fail("messages.send", FakeVkFault.Error, code, times: 100);

        await PressAsync(_user, consent, Ru.ConsentAccept);
        var rows = await EventuallyAsync(RowsAsync, r => r.Count == 2 && r[1].Status is not ("pending" or "sending"), "the role question to be tried");

        Assert.Equal(("undeliverable", 1), (rows[1].Status, rows[1].Attempts));
        Assert.StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[1].LastError, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM accounts WHERE channel = 'vk' AND sender_id = @s AND NOT reachable", ("s", _user.Key)));
        Assert.Equal(2, Vk.Calls("messages.send"));
    }

    [Theory]
    [InlineData(FakeVkFault.ServerError, 0)]
    [InlineData(FakeVkFault.Malformed, 0)]
    [InlineData(FakeVkFault.Error, 10)]
    [InlineData(FakeVkFault.Error, 1)]
    [InlineData(FakeVkFault.Timeout, 0)]
    [InlineData(FakeVkFault.Unreachable, 0)]
    public async Task Send_IsRetriedAndDeliveredOnce_WhenVkFailsTransientlyOnce(FakeVkFault fault, int code)
    {
        await StartLongPollAsync(new Dictionary<string, string?> { ["Vk:RequestTimeoutSeconds"] = "1" });
        Vk.Fail("messages.send", fault, code);

        await SendAsync(VkUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);
        var rows = await EventuallyAsync(RowsAsync, r => r.Count == 1 && r[0].Status == "sent", "the row to be sent");

        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(2, rows[0].Attempts);
        Assert.Single(Vk.SentTo(_user.Id));
        // A timed-out send that VK did deliver comes again with the same random_id and is dropped.
        Assert.Equal(fault == FakeVkFault.Timeout ? 1 : 0, Vk.DuplicatesDropped);
    }

    /// <summary>
    /// VK answering error 1 or 10 to everything for a while (what the fault suite's vk-down saw mark rows failed at
    /// their first try): each try counts as an attempt, none fails the row, and it is delivered once when VK is back.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public async Task Send_IsDeliveredOnce_AfterVkFailedOnItsSideForAWhile(int code)
    {
        await StartLongPollAsync(new Dictionary<string, string?>
        {
            ["Outbox:RetryBaseDelayMs"] = "50",
            ["Outbox:RetryMaxDelayMs"] = "200",
        });
        Vk.FailAlways(FakeVkFault.Error, code);

        await SendAsync(VkUpdates.Text(_user.Id, "/start"));
        await Vk.WaitUntilAsync(() => Vk.FaultCount("messages.send") >= 5, TimeSpan.FromSeconds(30), () => "five refused sends");
        var during = await RowsAsync();
        Vk.ClearFaults();
        var consent = await NextMessageAsync(_user);
        var rows = await EventuallyAsync(RowsAsync, r => r.Count == 1 && r[0].Status == "sent", "the row to be sent");

        Assert.Contains(Assert.Single(during).Status, new[] { "pending", "sending" }); // waiting for its next try, or on it
        Assert.StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", during[0].LastError, StringComparison.Ordinal);
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.True(rows[0].Attempts > 5, $"{rows[0].Attempts} attempts");
        Assert.Single(Vk.SentTo(_user.Id));
    }

    [Fact]
    public async Task Send_FailsWithTheReason_AfterMaxAttempts()
    {
        await StartLongPollAsync(new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3" });
        Vk.Fail("messages.send", FakeVkFault.ServerError, times: 100);

        await SendAsync(VkUpdates.Text(_user.Id, "/start"));
        var rows = await EventuallyAsync(RowsAsync, r => r.Count == 1 && r[0].Status == "failed", "the row to fail");

        Assert.Equal((3, "HTTP 500"), (rows[0].Attempts, rows[0].LastError));
        Assert.Empty(Vk.SentTo(_user.Id));
    }

    [Fact]
    public async Task Host_Stops_WhenVkRefusesTheToken()
    {
        try
        {
            await StartLongPollAsync(new Dictionary<string, string?> { ["Vk:AccessToken"] = "vk1.a.revoked-token-0000000000" });
            var lifetime = Host!.Services.GetRequiredService<IHostApplicationLifetime>();
            await EventuallyAsync(() => Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested), stopping => stopping, "the host to stop");
        }
        catch (OperationCanceledException)
        {
            // Stopped while still starting: the start-up itself is cancelled, as with a bad Telegram token.
        }

        Assert.Equal(1, Vk.Calls("groups.getLongPollServer"));
    }
}
