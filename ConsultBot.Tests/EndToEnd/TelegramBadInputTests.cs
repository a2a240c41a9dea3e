using System.Text.Json.Nodes;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.People;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// What people really send: empty and huge texts, odd names, stickers, edits, group chats, foreign commands. Each gets a
/// clear answer, and the dialog it interrupted goes on as if nothing happened.
/// </summary>
public sealed class TelegramBadInputTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private const long GroupChat = -1001234567890;
    private readonly TelegramUser _user = new(3001);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddGroupAsync("7Б");
        await StartPollingAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u200D\u2060\uFEFF")]
    public async Task Text_GetsEmptyMessageReplyAndNameStepContinues_WhenBlankOrInvisible(string text)
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.Text(_user.Id, text));

        Assert.Equal(Ru.EmptyMessage, (await NextMessageAsync(_user)).Text);
        await AssertNameStepStillWorksAsync();
    }

    [Fact]
    public async Task Text_GetsTooLongReplyAndNameStepContinues_WhenOver4096Characters()
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.Text(_user.Id, new string('я', 5000)));

        Assert.Equal(Ru.TooLongMessage(ConversationEngine.MaxTextLength), (await NextMessageAsync(_user)).Text);
        Assert.Null((await PersonAsync(_user))!.FullName);
        await AssertNameStepStillWorksAsync();
    }

    [Fact]
    public async Task LongText_GetsPressStart_AndStoresNothing_WhenSenderHasNotConsented()
    {
        var id = await SendAsync(TelegramUpdates.Text(_user.Id, new string('я', 5000)));

        Assert.Equal(Ru.PressStart, (await NextMessageAsync(_user)).Text);
        await WaitForProcessedAsync(id);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
    }

    [Fact]
    public async Task Name_IsStoredWithoutZeroWidthCharacters_WhenTypedWithThem()
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.Text(_user.Id, "Ив\u200Bан\u200D Пет\u2060ров\uFEFF"));

        Assert.Equal(Ru.ChooseGroup, (await NextMessageAsync(_user)).Text);
        Assert.Equal("Иван Петров", (await PersonAsync(_user))!.FullName);
    }

    [Fact]
    public async Task Name_IsAccepted_WhenWrittenInRightToLeftScriptWithDirectionMarks()
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.Text(_user.Id, "\u200Fمحمد علي\u200F"));

        Assert.Equal(Ru.ChooseGroup, (await NextMessageAsync(_user)).Text);
        Assert.Equal("محمد علي", (await PersonAsync(_user))!.FullName);
    }

    [Theory]
    [InlineData("😀🎉👍")]
    [InlineData("👨‍👩‍👧")]
    [InlineData("Иван 😀")]
    public async Task Name_IsRefusedWithNameError_WhenItHasEmoji(string name)
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.Text(_user.Id, name));

        Assert.Equal(Ru.NameError(NameError.InvalidCharacters), (await NextMessageAsync(_user)).Text);
        Assert.Null((await PersonAsync(_user))!.FullName);
        await AssertNameStepStillWorksAsync();
    }

    [Theory]
    [InlineData("sticker")]
    [InlineData("photo")]
    [InlineData("voice")]
    [InlineData("location")]
    [InlineData("contact")]
    public async Task Message_GetsOnlyTextReplyAndNameStepContinues_WhenNotText(string kind)
    {
        await ReachNameStepAsync(_user);

        await SendAsync(NonText(kind, _user.Id));

        Assert.Equal(Ru.UnsupportedContent, (await NextMessageAsync(_user)).Text);
        await AssertNameStepStillWorksAsync();
    }

    [Theory]
    [InlineData("sticker")]
    [InlineData("contact")]
    public async Task NonTextMessage_GetsPressStart_AndStoresNothing_WhenSenderHasNotConsented(string kind)
    {
        var id = await SendAsync(NonText(kind, _user.Id));

        Assert.Equal(Ru.PressStart, (await NextMessageAsync(_user)).Text);
        await WaitForProcessedAsync(id);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
    }

    [Fact]
    public async Task EditedMessage_GetsEditsNotSeenReplyAndIsNotTakenAsName_WhenBotWaitsForName()
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.EditedText(_user.Id, "Иван Петров"));

        Assert.Equal(Ru.EditedMessage, (await NextMessageAsync(_user)).Text);
        Assert.Null((await PersonAsync(_user))!.FullName);
        await AssertNameStepStillWorksAsync();
    }

    [Fact]
    public async Task GroupMessage_GetsPrivateOnlyReplyOnce_WhenGroupWritesTwice()
    {
        await SendAsync(TelegramUpdates.GroupText(GroupChat, _user.Id, "/start"));
        var notice = await Telegram.WaitForMessagesAsync(GroupChat, 1, Patience);
        var second = await SendAsync(TelegramUpdates.GroupText(GroupChat, _user.Id + 1, "бот, ты тут?"));
        await WaitForProcessedAsync(second);

        Assert.Equal(Ru.PrivateOnly, Assert.Single(notice).Text);
        Assert.Single(await OutboxAsync(GroupChat)); // the second message wrote no reply
        Assert.Single(Telegram.MessagesTo(GroupChat));
        Assert.Empty(Telegram.MessagesTo(_user.Id));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chat_notices"));
    }

    [Fact]
    public async Task Command_GetsUnknownCommandReplyAndNameStepContinues_WhenUnknown()
    {
        await ReachNameStepAsync(_user);

        await SendAsync(TelegramUpdates.Text(_user.Id, "/homework"));

        Assert.Equal(Ru.UnknownCommand, (await NextMessageAsync(_user)).Text);
        await AssertNameStepStillWorksAsync();
    }

    [Fact]
    public async Task UnknownCommand_GetsPressStart_WhenSenderHasNotConsented()
    {
        var id = await SendAsync(TelegramUpdates.Text(_user.Id, "/homework"));

        Assert.Equal(Ru.PressStart, (await NextMessageAsync(_user)).Text);
        await WaitForProcessedAsync(id);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
    }

    [Fact]
    public async Task Start_GetsOtherBotReplyAndStoresNothing_WhenAddressedToOtherBot()
    {
        var id = await SendAsync(TelegramUpdates.Text(_user.Id, "/start@OtherBot"));

        Assert.Equal(Ru.CommandForOtherBot, (await NextMessageAsync(_user)).Text);
        await WaitForProcessedAsync(id);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
    }

    [Fact]
    public async Task StartForThisBot_ShowsConsent_WhenMentionMatchesUsernameInAnyCase()
    {
        await SendAsync(TelegramUpdates.Text(_user.Id, "/start@ConsultBot_Test_Bot"));

        Assert.Equal(Ru.Consent(SchoolName), (await NextMessageAsync(_user)).Text);
    }

    [Fact]
    public async Task Start_SaysLinkInvalidThenShowsConsent_WhenDeepLinkIsMalformed()
    {
        await SendAsync(TelegramUpdates.Text(_user.Id, "/start t-XXXX"));
        var replies = await NextMessagesAsync(_user, 2);

        Assert.Equal(Ru.InvalidDeepLink, replies[0].Text);
        Assert.Equal(Ru.Consent(SchoolName), replies[1].Text);
        await PressAsync(_user, replies[1], Ru.ConsentAccept);
        Assert.Equal(Ru.ChooseRole, (await NextMessageAsync(_user)).Text);
        Assert.Equal("none", (await PersonAsync(_user))!.Role);
    }

    [Fact]
    public async Task Start_SaysCodeInvalidAfterConsentAndGrantsNoRole_WhenInviteCodeIsUnknown()
    {
        await SendAsync(TelegramUpdates.Text(_user.Id, "/start t-ABCD2345"));
        var consent = await NextMessageAsync(_user);
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);

        await PressAsync(_user, consent, Ru.ConsentAccept);
        var replies = await NextMessagesAsync(_user, 2);

        Assert.Equal(Ru.CodeInvalid, replies[0].Text);
        Assert.Equal(Ru.ChooseRole, replies[1].Text);
        Assert.Equal("none", (await PersonAsync(_user))!.Role);
    }

    /// <summary>The bad input changed nothing: a proper name now moves the registration on.</summary>
    private async Task AssertNameStepStillWorksAsync()
    {
        await SendAsync(TelegramUpdates.Text(_user.Id, "Мария Иванова"));
        Assert.Equal(Ru.ChooseGroup, (await NextMessageAsync(_user)).Text);
        Assert.Equal("Мария Иванова", (await PersonAsync(_user))!.FullName);
    }

    private static JsonObject NonText(string kind, long userId) => kind switch
    {
        "sticker" => TelegramUpdates.Sticker(userId),
        "photo" => TelegramUpdates.Photo(userId),
        "voice" => TelegramUpdates.Voice(userId),
        "location" => TelegramUpdates.Location(userId),
        "contact" => TelegramUpdates.Contact(userId),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
