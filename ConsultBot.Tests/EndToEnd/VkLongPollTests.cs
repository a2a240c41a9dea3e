using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>The Bots Long Poll loop: failed 1, 2 and 3 handled as the API describes, nothing lost or repeated.</summary>
public sealed class VkLongPollTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Events_AreEachProcessedOnce_AroundAFailedAnswer(int failed)
    {
        await StartLongPollAsync();
        var users = Enumerable.Range(0, 6).Select(i => new VkTestUser(190400 + i)).ToList();
        foreach (var user in users.Take(3))
        {
            await SendAsync(VkUpdates.Text(user.Id, "/start"));
        }
        foreach (var user in users.Take(3))
        {
            await NextMessageAsync(user);
        }
        var keysBefore = Vk.Calls("groups.getLongPollServer");

        Vk.FailLongPoll(failed);
        await Vk.WaitUntilAsync(() => Vk.LongPollFailuresServed == 1 && (failed == 1 || Vk.Calls("groups.getLongPollServer") > keysBefore),
            Patience, () => "the failure to be served and handled");
        foreach (var user in users.Skip(3))
        {
            await SendAsync(VkUpdates.Text(user.Id, "/start"));
        }

        foreach (var user in users)
        {
            Assert.Equal(Ru.Consent(SchoolName), Assert.Single(await Vk.WaitForMessagesAsync(user.Id, 1, Patience)).Text);
        }
        Assert.Equal(6, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'vk'"));
        await Task.Delay(300); // a repeat, if any, would have arrived by now
        Assert.Equal(6, Vk.Sent.Count);
        Assert.Equal(failed == 1 ? keysBefore : keysBefore + 1, Vk.Calls("groups.getLongPollServer"));
    }

    [Fact]
    public async Task Polling_RecoversFromErrors_AndGoesOn()
    {
        await StartLongPollAsync();
        var user = new VkTestUser(190450);
        Vk.Fail("messages.send", FakeVkFault.ServerError);

        await SendAsync(VkUpdates.Text(user.Id, "/start"));

        Assert.Equal(Ru.Consent(SchoolName), (await NextMessageAsync(user)).Text);
    }
}
