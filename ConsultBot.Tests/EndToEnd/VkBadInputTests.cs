using System.Text.Json.Nodes;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>What people (and others) send that the bot must not stumble on, through Bots Long Poll.</summary>
public sealed class VkBadInputTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private const long GroupChat = 2_000_000_005;
    private readonly VkTestUser _user = new(190201);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartLongPollAsync();
    }

    [Fact]
    public async Task ForeignPayload_IsAnsweredButtonNotRecognised()
    {
        await ReachNameStepAsync(_user);
        var press = VkUpdates.Press(_user.Id, JsonNode.Parse("{\"cmd\":\"buy\",\"item\":\"tea\"}")!);
        await SendAsync(press);

        var answer = await AnswerToAsync(VkUpdates.ButtonEventId(press));

        Assert.Contains(Ru.ButtonInvalid, answer.EventData, StringComparison.Ordinal);
        Assert.Equal((_user.Id, _user.Id), (answer.UserId, answer.PeerId));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM persons WHERE status <> 'active'"));
    }

    [Fact]
    public async Task TooLongPayload_IsAnsweredButtonNotRecognised()
    {
        await ReachNameStepAsync(_user);
        var press = VkUpdates.Press(_user.Id, new JsonObject { ["c"] = "role:1:" + new string('x', 300) });
        await SendAsync(press);

        var answer = await AnswerToAsync(VkUpdates.ButtonEventId(press));

        Assert.Contains(Ru.ButtonInvalid, answer.EventData, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachmentOnly_IsPolitelyDeclined()
    {
        await ReachNameStepAsync(_user);
        await SendAsync(VkUpdates.Attachment(_user.Id, "photo"));

        Assert.Equal(Ru.UnsupportedContent, (await NextMessageAsync(_user)).Text);
    }

    [Fact]
    public async Task GroupChat_IsToldOnceToWritePrivately()
    {
        await SendAsync(VkUpdates.Text(_user.Id, "/start", peerId: GroupChat));
        await Vk.WaitForMessagesAsync(GroupChat, 1, Patience);
        var second = await SendAsync(VkUpdates.Text(_user.Id + 1, "бот, ты тут?", peerId: GroupChat));
        await WaitForProcessedAsync(second);

        Assert.Equal(Ru.PrivateOnly, Assert.Single(Vk.SentTo(GroupChat)).Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE channel = 'vk' AND chat_id = @c", ("c", GroupChat.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Empty(Vk.SentTo(_user.Id));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
    }

    [Fact]
    public async Task UnknownEventType_IsIgnored()
    {
        var id = await SendAsync(new JsonObject { ["type"] = "photo_new", ["object"] = new JsonObject { ["id"] = 1 } });

        await WaitForProcessedAsync(id);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task MessageDeny_MarksTheAccountUnreachable_AndAllowMarksItReachable()
    {
        await ReachNameStepAsync(_user);

        await WaitForProcessedAsync(await SendAsync(VkUpdates.Deny(_user.Id)));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM accounts WHERE channel = 'vk' AND sender_id = @s AND NOT reachable", ("s", _user.Key)));

        await WaitForProcessedAsync(await SendAsync(VkUpdates.Allow(_user.Id)));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM accounts WHERE channel = 'vk' AND sender_id = @s AND reachable", ("s", _user.Key)));
    }
}
