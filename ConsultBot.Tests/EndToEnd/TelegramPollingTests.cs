using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>The Telegram channel in long-polling mode: registration from /start to a registered student, restarts, outages.</summary>
public sealed class TelegramPollingTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Start_ShowsConsentWithSchoolAndButtons_AndStoresNothingPersonal_WhenNewUserWrites()
    {
        await StartPollingAsync();
        var user = new TelegramUser(1001);

        var update = await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);
        await WaitForProcessedAsync(update);

        Assert.Contains(SchoolName, consent.Text, StringComparison.Ordinal);
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal([Ru.ConsentAccept, Ru.ConsentDecline, Ru.ConsentLinkButton, "English"], consent.Buttons.Select(b => b.Text));
        Assert.All(consent.Buttons, b => Assert.False(string.IsNullOrEmpty(b.CallbackData)));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task Registration_EndsWithActiveStudentInGroup_WhenStudentAnswersEveryStep()
    {
        var groupId = await AddGroupAsync("7Б");
        await StartPollingAsync();
        var user = new TelegramUser(1002);

        await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);
        var accept = await PressAsync(user, consent, Ru.ConsentAccept);
        var acceptAnswer = await AnswerToAsync(accept);
        var roles = await NextMessageAsync(user);

        Assert.Equal(Ru.Done, acceptAnswer.Text);
        Assert.Equal(Ru.ChooseRole, roles.Text);
        Assert.Equal([Ru.RoleStudent, Ru.RoleParent, Ru.RoleTeacher, Ru.ConsentLinkButton], roles.Buttons.Select(b => b.Text));
        var registering = await PersonAsync(user);
        Assert.NotNull(registering);
        Assert.Equal("registering", registering.Status);
        Assert.True(registering.Reachable);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'consent-given'"));

        var student = await PressAsync(user, roles, Ru.RoleStudent);
        Assert.Equal(Ru.AskName, (await NextMessageAsync(user)).Text);
        await SendAsync(TelegramUpdates.Text(user.Id, "Иван Петров"));
        var groups = await NextMessageAsync(user);
        Assert.Equal(Ru.ChooseGroup, groups.Text);
        var group = await PressAsync(user, groups, "7Б");
        var age = await NextMessageAsync(user);
        Assert.Equal(Ru.AskAge, age.Text);
        var adult = await PressAsync(user, age, Ru.Age14OrOlder);
        var done = await NextMessagesAsync(user, 2);

        Assert.Equal(Ru.StudentRegistered("Иван Петров", "7Б"), done[0].Text);
        Assert.Equal(Ru.Menu("Иван Петров"), done[1].Text);
        Assert.Contains(done[1].Buttons, b => b.Text == Ru.MenuProfile);
        var registered = await PersonAsync(user);
        Assert.Equal(new PersonRow("student", "active", "Иван Петров", groupId, registered!.Dialog, true), registered);
        foreach (var id in new[] { student, group, adult })
        {
            await AnswerToAsync(id); // every press stops its button's spinner
        }
        Assert.Equal(0, Telegram.RejectedCallbackAnswerCount);
        await EventuallyAsync(() => OutboxAsync(user.Id), rows => rows.All(r => r.Status == "sent"), "every row to be marked sent");
    }

    [Fact]
    public async Task Start_SaysNothingStored_WhenConsentIsDeclined()
    {
        await StartPollingAsync();
        var user = new TelegramUser(1003);
        await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);

        var decline = await PressAsync(user, consent, Ru.ConsentDecline);
        var reply = await NextMessageAsync(user);

        Assert.Equal(Ru.ConsentDeclined, reply.Text);
        Assert.Equal(Ru.Done, (await AnswerToAsync(decline)).Text);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM accounts"));
    }

    [Fact]
    public async Task Dialog_ContinuesWhereItWas_WhenHostRestartsAfterNameStep()
    {
        var groupId = await AddGroupAsync("7Б");
        await StartPollingAsync();
        var user = new TelegramUser(1004);
        await ReachNameStepAsync(user);
        await SendAsync(TelegramUpdates.Text(user.Id, "Анна Смирнова"));
        var groups = await NextMessageAsync(user);
        Assert.Equal(Ru.ChooseGroup, groups.Text);

        await StopHostAsync();
        var pressedWhileDown = await PressAsync(user, groups, "7Б"); // arrives while no instance is running
        await StartPollingAsync();

        var age = await NextMessageAsync(user);
        Assert.Equal(Ru.AskAge, age.Text);
        await AnswerToAsync(pressedWhileDown);
        await PressAsync(user, age, Ru.Age14OrOlder);
        var done = await NextMessagesAsync(user, 2);

        Assert.Equal(Ru.StudentRegistered("Анна Смирнова", "7Б"), done[0].Text);
        var person = await PersonAsync(user);
        Assert.Equal(("student", "active", "Анна Смирнова", (long?)groupId), (person!.Role, person.Status, person.FullName, person.GroupId));
        // consent, roles, name, groups, age, registered, menu: an update re-read after the restart was not answered twice
        var outbox = await OutboxAsync(user.Id);
        Assert.Equal(7, outbox.Count);
        Assert.Equal(7, Telegram.MessagesTo(user.Id).Count);
        Assert.Equal(6, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    [Fact]
    public async Task Polling_ProcessesQueuedUpdate_WhenGetUpdatesFailedWithServerErrors()
    {
        Telegram.FailNext("getUpdates", FakeFault.ServerError(), count: 2);
        var user = new TelegramUser(1005);
        Telegram.EnqueueUpdate(TelegramUpdates.Text(user.Id, "/start"));

        await StartPollingAsync();
        var consent = await NextMessageAsync(user);

        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(2, Telegram.FaultCount("getUpdates"));
        Assert.True(Telegram.CallCount("getUpdates") >= 3, "polled again after each failure");
        Assert.Single(Telegram.MessagesTo(user.Id));
    }

    [Fact]
    public async Task Polling_KeepsProcessing_WhenUpdateCarriesTypesAndValuesUnknownToTheLibrary()
    {
        await StartPollingAsync();
        var user = new TelegramUser(1007);
        var strange = TelegramUpdates.Text(user.Id, "/start");
        strange["message"]!["entities"]![0]!["type"] = "future_entity_type";
        strange["message"]!["chat"]!["type"] = "future_chat_type";
        strange["message"]!["future_field"] = new System.Text.Json.Nodes.JsonObject { ["x"] = 1 };
        var strangeId = Telegram.EnqueueUpdate(strange);
        var next = Telegram.EnqueueUpdate(TelegramUpdates.Text(user.Id + 1, "/start"));

        var consent = await Telegram.WaitForMessagesAsync(user.Id + 1, 1, Patience);

        Assert.Equal(Ru.Consent(SchoolName), Assert.Single(consent).Text);
        await WaitForProcessedAsync(strangeId);
        await WaitForProcessedAsync(next);
    }

    [Fact]
    public async Task Startup_RetriesGetMe_WhenTelegramIsBrieflyUnavailable()
    {
        Telegram.FailNext("getMe", FakeFault.ServerError(503));
        var user = new TelegramUser(1006);
        Telegram.EnqueueUpdate(TelegramUpdates.Text(user.Id, "/start@consultbot_test_bot"));

        await StartPollingAsync();
        var consent = await NextMessageAsync(user);

        // The username learnt from the second getMe makes "/start@consultbot_test_bot" this bot's command.
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(2, Telegram.CallCount("getMe"));
        Assert.Equal(1, Telegram.CallCount("deleteWebhook"));
    }
}
