using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Button presses the bot did not offer (forged, someone else's, oversized, from an older step) and the membership
/// updates Telegram sends when a person blocks the bot. Each press gets a short answer and changes nothing.
/// </summary>
public sealed class TelegramCallbackTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _user = new(4001);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartPollingAsync();
    }

    [Theory]
    [InlineData("zz:0:boom")]
    [InlineData("ro")]
    [InlineData("ro:x:s")]
    [InlineData("ro:-1:s")]
    [InlineData(":2:s")]
    [InlineData("ро:2:s")]
    [InlineData("ro:2:s\n")]
    [InlineData(null)]
    public async Task Callback_IsAnsweredButtonInvalidAndChangesNothing_WhenDataIsForged(string? data)
    {
        await ReachNameStepAsync(_user);
        var before = await SnapshotAsync();

        var answer = await AnswerToAsync(await PressDataAsync(_user, data));

        Assert.Equal(Ru.ButtonInvalid, answer.Text);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Callback_IsAnsweredButtonInvalidAndChangesNothing_WhenDataIsOversized()
    {
        await ReachNameStepAsync(_user);
        var before = await SnapshotAsync();

        var answer = await AnswerToAsync(await PressDataAsync(_user, "ro:2:s:" + new string('A', 200)));

        Assert.Equal(Ru.ButtonInvalid, answer.Text);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task StaleCallback_IsAnsweredButtonStale_AndChangesNothing_WhenButtonIsFromEarlierStep()
    {
        var roles = await ReachNameStepAsync(_user); // the role buttons belong to the step before the name
        var before = await SnapshotAsync();

        var answer = await AnswerToAsync(await PressAsync(_user, roles, Ru.RoleParent));

        Assert.Equal(Ru.ButtonStale, answer.Text);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal("student", (await PersonAsync(_user))!.Role);
    }

    [Fact]
    public async Task ForeignCallback_IsAnsweredNotAllowed_AndArchivesNothing_WhenStudentPressesAdminButton()
    {
        var groupId = await AddGroupAsync("7Б");
        await RegisterStudentAsync(_user, "Иван Петров", "7Б");
        var before = await SnapshotAsync();

        var answer = await AnswerToAsync(await PressDataAsync(_user, $"a:0:arc:{groupId}"));

        Assert.Equal(Ru.NotAllowed, answer.Text);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM school_groups WHERE archived"));
    }

    [Fact]
    public async Task ForeignCallback_IsAnsweredNotAllowed_WhenStudentConfirmsSomeoneElsesChild()
    {
        await AddGroupAsync("7Б");
        await RegisterStudentAsync(_user, "Иван Петров", "7Б");
        var other = new TelegramUser(4002);
        await RegisterStudentAsync(other, "Пётр Сидоров", "7Б");
        var otherId = await CountAsync("SELECT person_id FROM accounts WHERE sender_id = '4002'");
        var before = await SnapshotAsync();

        var answer = await AnswerToAsync(await PressDataAsync(_user, $"cc:0:{otherId}"));

        Assert.Equal(Ru.NotAllowed, answer.Text);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ForeignCallback_IsAnsweredAndChangesNothing_WhenPressedUnderGroupChatMessage()
    {
        await ReachNameStepAsync(_user);
        var before = await SnapshotAsync();
        var update = TelegramUpdates.Callback(_user.Id, "ro:0:p", groupChatId: -1001234567890);

        var id = await SendAsync(update);
        var answer = await AnswerToAsync(TelegramUpdates.CallbackId(update));

        await WaitForProcessedAsync(id);
        Assert.True(string.IsNullOrEmpty(answer.Text), "a silent answer: the button just stops spinning");
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(Telegram.MessagesTo(-1001234567890));
    }

    [Fact]
    public async Task Callback_IsAnsweredPressStart_AndStoresNothing_WhenSenderHasNotConsented()
    {
        var answer = await AnswerToAsync(await PressDataAsync(_user, "ro:2:s"));

        Assert.Equal(Ru.PressStart, answer.Text);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task ConsentAccept_CreatesOnePerson_WhenPressedTwice()
    {
        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);

        var first = await AnswerToAsync(await PressAsync(_user, consent, Ru.ConsentAccept));
        var second = await AnswerToAsync(await PressAsync(_user, consent, Ru.ConsentAccept));

        Assert.Equal(Ru.Done, first.Text);
        Assert.Equal(Ru.AlreadyRegistered, second.Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM persons"));
        await EventuallyAsync(() => OutboxAsync(_user.Id), rows => rows.All(r => r.Status == "sent"), "every row to be marked sent");
        Assert.Single(Telegram.MessagesTo(_user.Id), m => m.Text == Ru.ChooseRole);
    }

    [Fact]
    public async Task MyChatMember_TogglesAccountReachable_WhenUserBlocksAndUnblocksBot()
    {
        await ConsentAsync(_user);

        var blocked = await SendAsync(TelegramUpdates.MyChatMember(_user.Id, "kicked"));
        await WaitForProcessedAsync(blocked);
        var whileBlocked = await PersonAsync(_user);
        var unblocked = await SendAsync(TelegramUpdates.MyChatMember(_user.Id, "member", oldStatus: "kicked"));
        await WaitForProcessedAsync(unblocked);

        Assert.False(whileBlocked!.Reachable);
        Assert.True((await PersonAsync(_user))!.Reachable);
        Assert.Equal(2, (await OutboxAsync(_user.Id)).Count); // consent and roles only: membership changes are not answered
    }

    [Fact]
    public async Task MyChatMemberKicked_StoresNothing_WhenSenderHasNotConsented()
    {
        var blocked = await SendAsync(TelegramUpdates.MyChatMember(_user.Id, "kicked"));

        await WaitForProcessedAsync(blocked);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
    }

    /// <summary>Everything a press could change: the people, their dialogs, the replies queued.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var command = Db.DataSource.CreateCommand(
            """
            SELECT coalesce(string_agg(concat_ws('|', id, role, status, full_name, group_id, dialog::text, confirmed_by_parent), E'\n' ORDER BY id), '')
                || E'\noutbox=' || (SELECT count(*) FROM outbox)
                || E'\naudit=' || (SELECT count(*) FROM audit_log)
                || E'\ngroups=' || coalesce((SELECT string_agg(concat_ws('|', id, name, archived), ',' ORDER BY id) FROM school_groups), '')
            FROM persons
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
