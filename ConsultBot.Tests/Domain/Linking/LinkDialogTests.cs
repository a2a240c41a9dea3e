using System.Text.RegularExpressions;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;
using Moq;

namespace ConsultBot.Tests.Domain.Linking;

/// <summary>/link: one person in a second messenger (the web playground stands in for it), preferred messenger, detaching.</summary>
public sealed partial class LinkDialogTests
{
    private const string Web = "w1";
    private readonly EngineHarness _h = new();
    private readonly Person _ivan;

    public LinkDialogTests()
    {
        _ivan = _h.AddPerson("1", Role.Student, "Иванов Иван");
        _h.ReminderSettings.Setup(r => r.GetAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>())).ReturnsAsync(ReminderChoice.Default);
        _h.ReminderSettings.Setup(r => r.ChildrenAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    [GeneratedRegex("[A-Z2-9]{4}-[A-Z2-9]{4}")]
    private static partial Regex CodePattern();

    private async Task<string> IssueCodeAsync(string user = "1")
    {
        var r = await _h.TextAsync(user, "/link");
        return CodePattern().Match(EngineHarness.Text(r)).Value;
    }

    private async Task LinkWebAsync()
    {
        var code = await IssueCodeAsync();
        var confirm = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);
        await _h.PressAsync(Web, EngineHarness.Button(confirm, "Да"), Channel.Web);
    }

    [Fact]
    public async Task Link_AttachesTheSecondMessengerToTheSamePerson_AfterConfirmation()
    {
        var issued = await _h.TextAsync("1", "/link");
        var code = CodePattern().Match(EngineHarness.Text(issued)).Value;
        Assert.Contains("10 мин", EngineHarness.Text(issued), StringComparison.Ordinal);
        Assert.Equal(_h.Clock.GetUtcNow().AddMinutes(10), _h.IssuedCodes[(CodeKind.AccountLink, code.Replace("-", "", StringComparison.Ordinal))].Expires);

        var consent = await _h.TextAsync(Web, "/start", channel: Channel.Web);
        var howTo = await _h.PressAsync(Web, EngineHarness.Button(consent, "другом мессенджере"), Channel.Web);
        Assert.Contains("/link", EngineHarness.Text(howTo), StringComparison.Ordinal);

        var confirm = await _h.TextAsync(Web, "/link " + code.ToLowerInvariant(), channel: Channel.Web);
        Assert.Contains("«Иванов Иван»", EngineHarness.Text(confirm), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));

        var done = await _h.PressAsync(Web, EngineHarness.Button(confirm, "Да"), Channel.Web);

        Assert.Same(_ivan, _h.PersonOf(Web, Channel.Web));
        Assert.Single(_h.Persons);
        Assert.Equal(_ivan.Id, done.SenderPerson);
        Assert.Contains(done.Messages, m => m.To.Chat == new ChatAddress(Channel.Web, Web) && m.Text.Contains("подключено: Веб-площадка", StringComparison.Ordinal));
        Assert.Contains(done.Messages, m => m.To.Chat == new ChatAddress(Channel.Telegram, "1") && m.Text.Contains("подключено: Веб-площадка. Если", StringComparison.Ordinal));
        _h.People.Verify(p => p.CreateAsync(It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Language>(),
            It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Contains(("account-linked", (PersonId?)_ivan.Id), _h.AuditEntries.Select(e => (e.Action, e.Subject)));
    }

    [Fact]
    public async Task Link_StoresNothing_BeforeTheCodeIsRedeemed()
    {
        var code = await IssueCodeAsync();

        await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);

        Assert.Null(_h.PersonOf(Web, Channel.Web));
        Assert.False(_h.IssuedCodes.Single().Value.Used);
        _h.People.Verify(p => p.AttachAccountAsync(It.IsAny<PersonId>(), It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<string>(),
            It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Link_IsRefused_WhenTheCodeExpired()
    {
        var code = await IssueCodeAsync();
        _h.Clock.Advance(TimeSpan.FromMinutes(11));

        var r = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);

        Assert.Contains("истёк", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));
    }

    [Fact]
    public async Task Link_IsRefused_WhenTheCodeExpiresBeforeYesIsPressed()
    {
        var code = await IssueCodeAsync();
        var confirm = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);
        _h.Clock.Advance(TimeSpan.FromMinutes(11));

        var r = await _h.PressAsync(Web, EngineHarness.Button(confirm, "Да"), Channel.Web);

        Assert.Contains("истёк", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));
    }

    [Fact]
    public async Task Link_IsRefused_WhenTheCodeWasAlreadyUsed()
    {
        var code = await IssueCodeAsync();
        var confirm = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);
        await _h.PressAsync(Web, EngineHarness.Button(confirm, "Да"), Channel.Web);

        var again = await _h.TextAsync("77", "/link " + code, channel: Channel.Vk);
        var replay = await _h.PressAsync("77", EngineHarness.Button(confirm, "Да"), Channel.Vk);

        Assert.Contains("уже использован", EngineHarness.Text(again), StringComparison.Ordinal);
        Assert.Contains("уже использован", EngineHarness.Text(replay), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf("77", Channel.Vk));
    }

    [Fact]
    public async Task Link_IsRefused_WhenTheAccountAlreadyBelongsToSomeoneElse()
    {
        _h.AddPerson("2", Role.Parent, "Петрова Анна");
        var code = await IssueCodeAsync();

        var typed = await _h.TextAsync("2", "/link " + code);
        var pressed = await _h.PressAsync("2", $"la:0:{code.Replace("-", "", StringComparison.Ordinal)}");

        Assert.Contains("уже зарегистрирован", EngineHarness.Text(typed), StringComparison.Ordinal);
        Assert.Contains("уже зарегистрирован", EngineHarness.Text(pressed), StringComparison.Ordinal);
        Assert.False(_h.IssuedCodes.Single().Value.Used);
        Assert.Equal(_h.Persons[new PersonId(2)].Id, _h.PersonOf("2")!.Id);
    }

    [Fact]
    public async Task Link_IsRefused_WhenThePersonEntersTheirOwnCodeInTheSameMessenger()
    {
        var code = await IssueCodeAsync();

        var r = await _h.TextAsync("1", "/link " + code);

        Assert.Contains("ваш собственный код", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.False(_h.IssuedCodes.Single().Value.Used);
    }

    [Fact]
    public async Task Link_IsRefused_WhenThePersonAlreadyUsesThatMessengerWithAnotherAccount()
    {
        var code = await IssueCodeAsync();

        var r = await _h.TextAsync("3", "/link " + code);

        Assert.Contains("уже подключено: Telegram", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf("3"));
    }

    [Fact]
    public async Task Link_StopsAfterTooManyWrongCodes_EvenForTheRightOne()
    {
        var code = await IssueCodeAsync();
        for (var i = 1; i < 5; i++)
        {
            var wrong = await _h.TextAsync(Web, "/link ABCD-EFGH", channel: Channel.Web);
            Assert.Contains("не подошёл", EngineHarness.Text(wrong), StringComparison.Ordinal);
        }

        var last = await _h.TextAsync(Web, "/link not-a-code", channel: Channel.Web);
        var right = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);

        Assert.Contains("Слишком много", EngineHarness.Text(last), StringComparison.Ordinal);
        Assert.Contains("Слишком много", EngineHarness.Text(right), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));
        Assert.Equal(5, _h.RejectedByAccount.Count);
    }

    [Fact]
    public async Task Link_ForgedConfirmPresses_CountAsGuesses_AndStopAtTheLimit()
    {
        var code = await IssueCodeAsync();
        for (var i = 0; i < 5; i++)
        {
            await _h.PressAsync(Web, "la:0:ABCDEFGH", Channel.Web);
        }

        var right = await _h.PressAsync(Web, $"la:0:{code.Replace("-", "", StringComparison.Ordinal)}", Channel.Web);

        Assert.Contains("Слишком много", EngineHarness.Text(right), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));
        Assert.False(_h.IssuedCodes.Single().Value.Used);
    }

    [Fact]
    public async Task Link_WrongCodesFromARegisteredPerson_CountAgainstThatPerson()
    {
        for (var i = 0; i < 5; i++)
        {
            await _h.TextAsync("1", "/link ABCD-EFGH");
        }

        var r = await _h.TextAsync("1", "/link ABCD-EFGH");

        Assert.Contains("Слишком много", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Equal(5, _h.AuditEntries.Count(e => e.Action == CodeAttempts.RejectedAction && e.Subject == _ivan.Id));
    }

    [Fact]
    public async Task Link_DoesNothing_WhenTheConfirmationIsRefused()
    {
        var code = await IssueCodeAsync();
        var confirm = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);

        var r = await _h.PressAsync(Web, EngineHarness.Button(confirm, "Нет"), Channel.Web);

        Assert.Contains("ничего не подключено", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));
        Assert.False(_h.IssuedCodes.Single().Value.Used);
    }

    [Fact]
    public async Task Link_AsksForTheCode_WhenSentWithoutOne()
    {
        var r = await _h.TextAsync(Web, "/link", channel: Channel.Web);

        Assert.Contains("/link ABCD-2345", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Empty(_h.RejectedByAccount);
    }

    [Fact]
    public async Task Link_IssuesNoCode_BeforeRegistrationIsFinished()
    {
        await _h.TextAsync("5", "/start");
        var consent = await _h.TextAsync("5", "/start");
        await _h.PressAsync("5", EngineHarness.Button(consent, "Согласен"));

        var r = await _h.TextAsync("5", "/link");

        Assert.DoesNotContain(_h.IssuedCodes.Keys, k => k.Item1 == CodeKind.AccountLink);
        Assert.NotEmpty(r.Messages);
    }

    [Fact]
    public async Task Settings_ChoosesThePreferredMessenger_Exclusively()
    {
        await LinkWebAsync();
        var card = await _h.TextAsync("1", "/settings");
        Assert.Contains("🔔 Telegram — сюда приходят", EngineHarness.Text(card), StringComparison.Ordinal);

        var r = await _h.PressAsync("1", EngineHarness.Button(card, "Уведомления: Веб-площадка"));

        Assert.Contains("🔔 Веб-площадка — сюда приходят", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Contains((Channel.Telegram, "1"), _h.NotPreferred);
        Assert.DoesNotContain((Channel.Web, Web), _h.NotPreferred);
    }

    [Fact]
    public async Task Settings_DetachesAMessenger_ButNeverTheLastOne()
    {
        await LinkWebAsync();
        var card = await _h.TextAsync("1", "/settings");
        var ask = await _h.PressAsync("1", EngineHarness.Button(card, "Отключить Веб-площадка"));
        Assert.NotNull(_h.PersonOf(Web, Channel.Web));

        var done = await _h.PressAsync("1", EngineHarness.Button(ask, "Да, отключить"));

        Assert.Contains("Отключено от профиля: Веб-площадка", EngineHarness.Text(done), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf(Web, Channel.Web));
        Assert.Same(_ivan, _h.PersonOf("1"));

        var last = await _h.PressAsync("1", "lk:0:dy:telegram");
        Assert.Contains("единственный мессенджер", EngineHarness.Text(last), StringComparison.Ordinal);
        Assert.Same(_ivan, _h.PersonOf("1"));

        var startsOver = await _h.TextAsync(Web, "/start", channel: Channel.Web);
        EngineHarness.Button(startsOver, "Согласен");
    }

    [Fact]
    public async Task Settings_RejectsAForgedMessengerButton()
    {
        var r = await _h.PressAsync("1", "lk:0:pf:fax");

        Assert.Equal("Кнопка не распознана.", r.CallbackAnswer);
        Assert.Empty(r.Messages);
    }
}

/// <summary>A sender who consented in the second messenger and only then remembers the first one.</summary>
public sealed partial class LinkWhileRegisteringTests
{
    private const string Web = "w1";
    private readonly EngineHarness _h = new();

    [GeneratedRegex("[A-Z2-9]{4}-[A-Z2-9]{4}")]
    private static partial Regex CodePattern();

    [Fact]
    public async Task Link_ReplacesAnUnfinishedRegistration_WithTheExistingPerson()
    {
        var ivan = _h.AddPerson("1", Role.Student, "Иванов Иван");
        var code = CodePattern().Match(EngineHarness.Text(await _h.TextAsync("1", "/link"))).Value;
        var consent = await _h.TextAsync(Web, "/start", channel: Channel.Web);
        var roles = await _h.PressAsync(Web, EngineHarness.Button(consent, "Согласен"), Channel.Web);
        var unfinished = _h.PersonOf(Web, Channel.Web)!;
        var howTo = await _h.PressAsync(Web, EngineHarness.Button(roles, "другом мессенджере"), Channel.Web);
        Assert.Contains("/link", EngineHarness.Text(howTo), StringComparison.Ordinal);

        var confirm = await _h.TextAsync(Web, "/link " + code, channel: Channel.Web);
        var done = await _h.PressAsync(Web, EngineHarness.Button(confirm, "Да"), Channel.Web);

        Assert.Contains("подключено: Веб-площадка", EngineHarness.Text(done), StringComparison.Ordinal);
        Assert.Same(ivan, _h.PersonOf(Web, Channel.Web));
        Assert.False(_h.Persons.ContainsKey(unfinished.Id));
        Assert.Equal(ivan.Id, done.SenderPerson);
    }

    [Fact]
    public async Task Link_ManagementButtons_AreRefused_WhileRegistering()
    {
        var consent = await _h.TextAsync(Web, "/start", channel: Channel.Web);
        await _h.PressAsync(Web, EngineHarness.Button(consent, "Согласен"), Channel.Web);

        var r = await _h.PressAsync(Web, "lk:0:pf:web", Channel.Web);
        var noCode = await _h.TextAsync(Web, "/link", channel: Channel.Web);

        Assert.Equal("Сначала закончим регистрацию.", r.CallbackAnswer);
        Assert.Contains("/link ABCD-2345", EngineHarness.Text(noCode), StringComparison.Ordinal);
        Assert.Empty(_h.IssuedCodes);
    }
}
