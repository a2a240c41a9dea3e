using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain;

public sealed class ConversationEngineTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly ITexts En = TextCatalog.For(Language.En);
    private readonly EngineHarness _h = new();

    [Fact]
    public async Task Start_ShowsConsentAndStoresNothing_WhenSenderIsUnknown()
    {
        var result = await _h.TextAsync("100", "/start");

        Assert.Contains("Лицей №2", EngineHarness.Text(result));
        Assert.Contains("/forget", EngineHarness.Text(result));
        Assert.StartsWith("ca:", EngineHarness.Button(result, "Согласен"), StringComparison.Ordinal);
        _h.People.Verify(p => p.CreateAsync(It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Language>(),
            It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.People.Verify(p => p.SaveAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(_h.AuditEntries);
    }

    [Fact]
    public async Task AnyText_ShowsConsent_WhenSenderIsUnknown()
    {
        var result = await _h.TextAsync("100", "привет");

        Assert.Contains(Ru.ConsentAccept, result.Messages.Single().Keyboard!.Rows.SelectMany(r => r).Select(b => b.Label));
        Assert.Empty(_h.Persons);
    }

    [Fact]
    public async Task Consent_IsInEnglish_WhenMessengerLanguageIsEnglish()
    {
        var result = await _h.TextAsync("100", "/start", lang: "en-GB");

        Assert.Contains("consent", EngineHarness.Text(result), StringComparison.Ordinal);
        Assert.StartsWith("ca:0:en", EngineHarness.Button(result, "I agree"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_CreatesPersonAndAsksRole_WhenConsentGiven()
    {
        var consent = await _h.TextAsync("100", "/start");
        var result = await _h.PressAsync("100", EngineHarness.Button(consent, "Согласен"));

        var person = Assert.Single(_h.Persons.Values);
        Assert.Equal(PersonStatus.Registering, person.Status);
        Assert.Equal(_h.Clock.GetUtcNow(), person.ConsentedAt);
        Assert.Equal(Ru.ChooseRole, EngineHarness.Text(result));
        Assert.Equal(Ru.Done, result.CallbackAnswer);
        _h.Audit.Verify(a => a.WriteAsync("consent-given", person.Id, person.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Decline_StoresNothing_WhenConsentRefused()
    {
        var consent = await _h.TextAsync("100", "/start");
        var result = await _h.PressAsync("100", EngineHarness.Button(consent, "Не согласен"));

        Assert.Equal(Ru.ConsentDeclined, EngineHarness.Text(result));
        Assert.Empty(_h.Persons);
    }

    [Fact]
    public async Task LanguageButton_ShowsConsentInEnglish_BeforeRegistration()
    {
        var consent = await _h.TextAsync("100", "/start");
        var english = await _h.PressAsync("100", EngineHarness.Button(consent, "English"));
        await _h.PressAsync("100", EngineHarness.Button(english, "I agree"));

        Assert.Equal(Language.En, _h.PersonOf("100")!.Language);
    }

    [Fact]
    public async Task StudentRegistration_ActivatesStudentInGroup_WhenAllStepsAnswered()
    {
        var group = _h.AddGroup("7Б");

        var person = await _h.RegisterStudentAsync("100", "Иван Петров", group);

        Assert.Equal(PersonStatus.Active, person.Status);
        Assert.Equal(Role.Student, person.Role);
        Assert.Equal("Иван Петров", person.FullName);
        Assert.Equal(group.Id, person.GroupId);
        Assert.False(person.NeedsParentConfirmation);
        Assert.Null(person.Dialog.Step);
    }

    [Fact]
    public async Task GroupStep_AcceptsTypedGroupName_InAnyCase()
    {
        var group = _h.AddGroup("10А");
        var consent = await _h.TextAsync("1", "/start");
        var roles = await _h.PressAsync("1", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("1", EngineHarness.Button(roles, "Ученик"));
        await _h.TextAsync("1", "Ольга Смирнова");

        var result = await _h.TextAsync("1", "10а");

        Assert.Equal(group.Id, _h.PersonOf("1")!.GroupId);
        Assert.Equal(Ru.AskAge, EngineHarness.Text(result));
    }

    [Fact]
    public async Task GroupPicker_PagesThroughGroups_WhenMoreThanOnePage()
    {
        for (var i = 1; i <= 11; i++)
        {
            _h.AddGroup($"{i}А");
        }
        var consent = await _h.TextAsync("1", "/start");
        var roles = await _h.PressAsync("1", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("1", EngineHarness.Button(roles, "Ученик"));
        var first = await _h.TextAsync("1", "Ольга Смирнова");

        var second = await _h.PressAsync("1", EngineHarness.Button(first, Ru.NextPage));

        var labels = second.Messages.Single().Keyboard!.Rows.SelectMany(r => r).Select(b => b.Label).ToList();
        Assert.Contains(Ru.PreviousPage, labels);
        Assert.DoesNotContain(Ru.NextPage, labels);
        Assert.Equal(3 + 1, labels.Count);
    }

    [Fact]
    public async Task Under14Student_GetsParentCodeAndWaits_WhenYoungerThan14()
    {
        var group = _h.AddGroup("5А");

        var person = await _h.RegisterStudentAsync("100", "Маша Иванова", group, under14: true);

        Assert.True(person.NeedsParentConfirmation);
        var code = Assert.Single(_h.IssuedCodes.Keys, k => k.Item1 == CodeKind.ChildLink);
        Assert.Equal(person.Id, _h.IssuedCodes[code].Owner);
    }

    [Fact]
    public async Task ParentLinksAndConfirmsChild_WithChildsCode()
    {
        var child = await _h.RegisterStudentAsync("100", "Маша Иванова", _h.AddGroup("5А"), under14: true);
        var code = _h.IssuedCodes.Keys.Single(k => k.Item1 == CodeKind.ChildLink).Item2;

        var consent = await _h.TextAsync("200", "/start");
        var roles = await _h.PressAsync("200", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("200", EngineHarness.Button(roles, "Родитель"));
        await _h.TextAsync("200", "Ольга Иванова");
        var linked = await _h.TextAsync("200", OneTimeCode.Display(code).ToLowerInvariant());

        var parent = _h.PersonOf("200")!;
        Assert.True(parent.IsActive);
        Assert.Contains((parent.Id, child.Id), _h.Links);
        Assert.Contains(linked.Messages, m => m.To.Person == child.Id && m.Text == Ru.ParentLinkedForChild("Ольга Иванова"));

        var confirmed = await _h.PressAsync("200", EngineHarness.Button(linked, Ru.ConfirmChildButton));

        Assert.True(_h.Persons[child.Id].ConfirmedByParent);
        Assert.Contains(confirmed.Messages, m => m.To.Person == child.Id && m.Text == Ru.ConfirmedByParentForChild);
        _h.Audit.Verify(a => a.WriteAsync("parent-confirmed", child.Id, parent.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ChildCode_IsRefused_WhenUsedTwice()
    {
        await _h.RegisterStudentAsync("100", "Маша Иванова", _h.AddGroup("5А"), under14: true);
        var code = _h.IssuedCodes.Keys.Single(k => k.Item1 == CodeKind.ChildLink).Item2;
        await RegisterParentAsync("200", code);

        var consent = await _h.TextAsync("300", "/start");
        var roles = await _h.PressAsync("300", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("300", EngineHarness.Button(roles, "Родитель"));
        await _h.TextAsync("300", "Чужой Человек");
        var result = await _h.TextAsync("300", code);

        Assert.Equal(Ru.CodeInvalid, EngineHarness.Text(result));
        Assert.DoesNotContain(_h.Links, l => l.Parent == _h.PersonOf("300")!.Id);
    }

    [Fact]
    public async Task ConfirmChild_IsNotAllowed_ForAChildOfAnotherParent()
    {
        var child = await _h.RegisterStudentAsync("100", "Маша Иванова", _h.AddGroup("5А"), under14: true);
        await RegisterParentAsync("300", "skip");

        var result = await _h.PressAsync("300", $"cc:0:{child.Id}");

        Assert.Equal(Ru.NotAllowed, result.CallbackAnswer);
        Assert.False(_h.Persons[child.Id].ConfirmedByParent);
    }

    [Fact]
    public async Task TeacherRegistration_UsesInviteDeepLink_CreatedByAdmin()
    {
        var admin = await RegisterAdminAsync("1");
        var invite = await _h.PressAsync("1", "a:0:i");
        var code = _h.IssuedCodes.Keys.Single(k => k.Item1 == CodeKind.TeacherInvite).Item2;
        Assert.Contains($"https://t.me/consult_bot?start=t-{code}", EngineHarness.Text(invite));

        var consent = await _h.TextAsync("500", $"/start t-{code}");
        var askName = await _h.PressAsync("500", EngineHarness.Button(consent, "Согласен"));
        Assert.Equal(Ru.AskName, EngineHarness.Text(askName));
        await _h.TextAsync("500", "Мария Петрова");

        var teacher = _h.PersonOf("500")!;
        Assert.Equal(Role.Teacher, teacher.Role);
        Assert.True(teacher.IsActive);
        _h.Audit.Verify(a => a.WriteAsync("teacher-invite-used", teacher.Id, admin.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task InviteCode_EndsDialog_AfterTooManyWrongCodes()
    {
        var consent = await _h.TextAsync("500", "/start");
        var roles = await _h.PressAsync("500", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("500", EngineHarness.Button(roles, "Учитель"));

        EngineResult last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await _h.TextAsync("500", "AAAA-BBBB");
        }

        Assert.Equal(Ru.TooManyAttempts, EngineHarness.Text(last));
        Assert.Equal(Role.None, _h.PersonOf("500")!.Role);
        Assert.Null(_h.PersonOf("500")!.Dialog.Step);
    }

    [Fact]
    public async Task ConfiguredTelegramAdmin_BecomesAdministrator_OnRegistration()
    {
        var h = new EngineHarness(new EngineSettings { SchoolName = "Школа", AdminTelegramIds = new HashSet<string> { "42" } });
        var consent = await h.TextAsync("42", "/start");
        await h.PressAsync("42", EngineHarness.Button(consent, "Согласен"));
        await h.TextAsync("42", "Анна Смирнова");

        Assert.Equal(Role.Admin, h.PersonOf("42")!.Role);
        Assert.True(h.PersonOf("42")!.IsActive);
    }

    [Fact]
    public async Task ConfiguredTelegramAdmin_DoesNotApply_InOtherChannels()
    {
        var h = new EngineHarness(new EngineSettings { SchoolName = "Школа", AdminTelegramIds = new HashSet<string> { "42" } });
        var consent = await h.TextAsync("42", "/start", channel: Channel.Web);
        var result = await h.PressAsync("42", EngineHarness.Button(consent, "Согласен"), Channel.Web);

        Assert.Equal(Ru.ChooseRole, EngineHarness.Text(result));
        Assert.Equal(Role.None, h.PersonOf("42", Channel.Web)!.Role);
    }

    [Theory]
    [InlineData("   ", NameError.Empty)]
    [InlineData("😀😀😀", NameError.InvalidCharacters)]
    [InlineData("Иван123", NameError.InvalidCharacters)]
    public async Task NameStep_ExplainsAndStays_WhenNameIsBad(string input, NameError error)
    {
        await StartRoleAsync("100", "Ученик");

        var result = await _h.TextAsync("100", input);

        Assert.Equal(input.Trim().Length == 0 ? Ru.EmptyMessage : Ru.NameError(error), EngineHarness.Text(result));
        Assert.Null(_h.PersonOf("100")!.FullName);
        Assert.Equal("reg.name", _h.PersonOf("100")!.Dialog.Step);
    }

    [Fact]
    public async Task NameStep_RefusesLongName_WithLengthMessage()
    {
        await StartRoleAsync("100", "Ученик");

        var result = await _h.TextAsync("100", new string('я', 100));

        Assert.Equal(Ru.NameError(NameError.TooLong), EngineHarness.Text(result));
    }

    [Fact]
    public async Task NameStep_StripsZeroWidthAndKeepsRtlLetters()
    {
        _h.AddGroup("7А");
        await StartRoleAsync("100", "Ученик");

        await _h.TextAsync("100", "Ан\u200Bна \u200DПетрова");
        Assert.Equal("Анна Петрова", _h.PersonOf("100")!.FullName);

        await StartRoleAsync("101", "Ученик");
        await _h.TextAsync("101", "سارة أحمد");
        Assert.Equal("سارة أحمد", _h.PersonOf("101")!.FullName);
    }

    [Fact]
    public async Task Text_IsRefusedAsTooLong_WhenOver4096Characters()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.TextAsync("100", new string('a', 5000));

        Assert.Equal(Ru.TooLongMessage(ConversationEngine.MaxTextLength), EngineHarness.Text(result));
    }

    [Fact]
    public async Task StaleButton_ChangesNothing_WhenDialogMovedOn()
    {
        var consent = await _h.TextAsync("100", "/start");
        var roles = await _h.PressAsync("100", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("100", EngineHarness.Button(roles, "Ученик"));

        var result = await _h.PressAsync("100", EngineHarness.Button(roles, "Родитель"));

        Assert.Equal(Ru.ButtonStale, result.CallbackAnswer);
        Assert.Empty(result.Messages);
        Assert.Equal(Role.Student, _h.PersonOf("100")!.Role);
    }

    [Theory]
    [InlineData("zz:0:1")]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("ro:0:s:ЁЁЁ")]
    public async Task ForgedButton_IsRefused_WhenPayloadIsUnknownOrMalformed(string payload)
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.PressAsync("100", payload);

        Assert.Equal(Ru.ButtonInvalid, result.CallbackAnswer);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task OversizedButton_IsRefused()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.PressAsync("100", "m:0:" + new string('p', 100));

        Assert.Equal(Ru.ButtonInvalid, result.CallbackAnswer);
    }

    [Fact]
    public async Task AdminButton_IsNotAllowed_ForStudent()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.PressAsync("100", "a:0:i");

        Assert.Equal(Ru.NotAllowed, result.CallbackAnswer);
        Assert.DoesNotContain(_h.IssuedCodes.Keys, k => k.Item1 == CodeKind.TeacherInvite);
    }

    [Fact]
    public async Task Unsupported_AsksForText_WhenStickerOrPhotoSent()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.EventAsync(_h.Event("100", EventKind.Unsupported) with { ContentType = "Sticker" });

        Assert.Equal(Ru.UnsupportedContent, EngineHarness.Text(result));
    }

    [Fact]
    public async Task Edited_AsksForNewMessage()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.EventAsync(_h.Event("100", EventKind.Edited));

        Assert.Equal(Ru.EditedMessage, EngineHarness.Text(result));
    }

    [Fact]
    public async Task GroupMessage_AnsweredOnce_PerGroupChat()
    {
        var first = await _h.EventAsync(_h.Event("100", EventKind.GroupMessage) with { ChatId = "-500" });
        var second = await _h.EventAsync(_h.Event("101", EventKind.GroupMessage) with { ChatId = "-500" });

        Assert.Equal(Ru.PrivateOnly, EngineHarness.Text(first));
        Assert.Equal(new ChatAddress(Channel.Telegram, "-500"), first.Messages.Single().To.Chat);
        Assert.Empty(second.Messages);
        Assert.Empty(_h.Persons);
    }

    [Fact]
    public async Task Blocked_MarksAccountUnreachable()
    {
        await _h.EventAsync(_h.Event("100", EventKind.Blocked));

        _h.People.Verify(p => p.SetReachableAsync(Channel.Telegram, "100", false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("/nosuchcommand", "UnknownCommand")]
    [InlineData("/start@OtherBot", "CommandForOtherBot")]
    [InlineData("/menu@other_bot", "CommandForOtherBot")]
    public async Task Command_IsExplained_WhenUnknownOrForAnotherBot(string command, string expected)
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.TextAsync("100", command);

        Assert.Equal(expected == "UnknownCommand" ? Ru.UnknownCommand : Ru.CommandForOtherBot, EngineHarness.Text(result));
    }

    [Fact]
    public async Task StartForOtherBot_IsExplained_BeforeRegistration()
    {
        var result = await _h.TextAsync("100", "/start@OtherBot");

        Assert.Equal(Ru.CommandForOtherBot, EngineHarness.Text(result));
    }

    [Fact]
    public async Task CommandWithOwnMention_Works()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var result = await _h.TextAsync("100", "/Menu@Consult_Bot");

        Assert.Equal(Ru.Menu("Иван Петров"), EngineHarness.Text(result));
    }

    [Fact]
    public async Task DeepLinkWithBadCode_SaysLinkIsInvalid_AndStillOffersConsent()
    {
        var result = await _h.TextAsync("100", "/start t-<script>");

        Assert.Equal(Ru.InvalidDeepLink, result.Messages[0].Text);
        Assert.Equal("ca:0:ru:", EngineHarness.Button(result, "Согласен"));
    }

    [Fact]
    public async Task DeepLinkWithUnknownCode_SaysCodeInvalid_AfterConsent()
    {
        var consent = await _h.TextAsync("100", "/start t-AAAABBBB");
        var result = await _h.PressAsync("100", EngineHarness.Button(consent, "Согласен"));

        Assert.Equal(Ru.CodeInvalid, result.Messages[0].Text);
        Assert.Equal(Ru.ChooseRole, result.Messages[1].Text);
    }

    [Fact]
    public async Task Lang_SwitchesRepliesToEnglish()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var changed = await _h.PressAsync("100", "lg:0:en");
        var help = await _h.TextAsync("100", "/help");

        Assert.Equal(En.LanguageChanged, EngineHarness.Text(changed));
        Assert.Equal(En.Help(Role.Student, true), EngineHarness.Text(help));
    }

    [Fact]
    public async Task Forget_ErasesPersonAfterConfirmation_AndAuditsWithoutData()
    {
        var person = await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var ask = await _h.TextAsync("100", "/forget");
        var result = await _h.PressAsync("100", EngineHarness.Button(ask, Ru.ForgetYes));

        Assert.Equal(Ru.Forgotten, EngineHarness.Text(result));
        Assert.Equal(new ChatAddress(Channel.Telegram, "100"), result.Messages.Single().To.Chat);
        _h.People.Verify(p => p.ForgetAsync(person.Id, It.IsAny<CancellationToken>()), Times.Once);
        _h.Audit.Verify(a => a.WriteAsync("personal-data-erased", person.Id, person.Id, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Null(_h.PersonOf("100"));
    }

    [Fact]
    public async Task Forget_KeepsEverything_WhenDeclined()
    {
        await _h.RegisterStudentAsync("100", "Иван Петров", _h.AddGroup("7Б"));

        var ask = await _h.TextAsync("100", "/forget");
        var result = await _h.PressAsync("100", EngineHarness.Button(ask, Ru.ForgetNo));

        Assert.Equal(Ru.ForgetKept, EngineHarness.Text(result));
        _h.People.Verify(p => p.ForgetAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.NotNull(_h.PersonOf("100"));
    }

    [Fact]
    public async Task MenuCommand_AsksToFinishRegistration_WhileRegistering()
    {
        await StartRoleAsync("100", "Ученик");

        var result = await _h.TextAsync("100", "/menu");

        Assert.Equal(Ru.FinishRegistrationFirst, result.Messages[0].Text);
        Assert.Equal(Ru.AskName, result.Messages[1].Text);
    }

    [Fact]
    public async Task Cancel_ReturnsToRoleChoice_WhileRegistering()
    {
        await StartRoleAsync("100", "Ученик");

        var result = await _h.TextAsync("100", "/cancel");

        Assert.Equal(Ru.Cancelled, result.Messages[0].Text);
        Assert.Equal(Ru.ChooseRole, result.Messages[1].Text);
        Assert.Equal(Role.None, _h.PersonOf("100")!.Role);
    }

    [Fact]
    public async Task AdminGroups_AddRenameArchive_AndRefuseDuplicates()
    {
        await RegisterAdminAsync("1");

        await _h.PressAsync("1", "a:0:add");
        var added = await _h.TextAsync("1", "  9В ");
        Assert.Equal(Ru.GroupAdded("9В"), added.Messages[0].Text);

        await _h.PressAsync("1", "a:0:add");
        var duplicate = await _h.TextAsync("1", "9в");
        Assert.Equal(Ru.GroupExists("9в"), EngineHarness.Text(duplicate));

        var bad = await _h.TextAsync("1", "<b>9</b>");
        Assert.Equal(Ru.GroupNameInvalid(GroupName.MaxLength), EngineHarness.Text(bad));
        var group = Assert.Single(_h.GroupList);

        await _h.PressAsync("1", "a:0:g");
        var card = await _h.PressAsync("1", $"a:0:card:{group.Id}");
        await _h.PressAsync("1", EngineHarness.Button(card, Ru.Rename));
        var renamed = await _h.TextAsync("1", "9Г");
        Assert.Equal(Ru.GroupRenamed("9В", "9Г"), renamed.Messages[0].Text);

        var archived = await _h.PressAsync("1", EngineHarness.Button(card, Ru.Archive));
        Assert.Equal(Ru.GroupArchived("9Г"), archived.Messages[0].Text);
        Assert.True(_h.GroupList.Single().Archived);

        var stale = await _h.PressAsync("1", $"a:0:card:{group.Id}");
        Assert.Equal(Ru.ButtonStale, stale.CallbackAnswer);
    }

    [Fact]
    public async Task Cancel_KeepsRoleGrantedByCode_AndAsksNameAgain()
    {
        _h.IssuedCodes[(CodeKind.AdminBootstrap, "ADMNC2DE")] = (null, null, _h.Clock.GetUtcNow().AddDays(1), false);
        await StartRoleAsync("1", "Учитель");
        await _h.TextAsync("1", "ADMN-C2DE");

        var result = await _h.TextAsync("1", "/cancel");

        Assert.Equal(Role.Admin, _h.PersonOf("1")!.Role);
        Assert.Equal(Ru.AskName, result.Messages[1].Text);
        await _h.TextAsync("1", "Анна Смирнова");
        Assert.True(_h.PersonOf("1")!.IsActive);
    }

    [Fact]
    public async Task CommandOrMenuButton_EndsOpenStep_SoLaterTextIsNotTakenAsAnswer()
    {
        await RegisterAdminAsync("1");
        await _h.PressAsync("1", "a:0:add");

        await _h.TextAsync("1", "/menu");
        var afterCommand = await _h.TextAsync("1", "спасибо");
        await _h.PressAsync("1", "a:0:add");
        await _h.PressAsync("1", "m:0:p");
        var afterButton = await _h.TextAsync("1", "спасибо");

        Assert.Empty(_h.GroupList);
        Assert.Equal(Ru.NotUnderstood, afterCommand.Messages[0].Text);
        Assert.Equal(Ru.NotUnderstood, afterButton.Messages[0].Text);
    }

    [Fact]
    public async Task WrongCodes_AreCountedAcrossDialogs_WithinAnHour()
    {
        var consent = await _h.TextAsync("500", "/start");
        var roles = await _h.PressAsync("500", EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync("500", EngineHarness.Button(roles, "Учитель"));
        for (var i = 0; i < 3; i++)
        {
            await _h.TextAsync("500", "AAAA-BBBB");
        }
        var again = await _h.TextAsync("500", "/cancel");
        await _h.PressAsync("500", EngineHarness.Button(again, "Учитель"));
        await _h.TextAsync("500", "AAAA-BBBB");
        var last = await _h.TextAsync("500", "AAAA-BBBB");
        _h.IssuedCodes[(CodeKind.TeacherInvite, "TEACH2RS")] = (null, null, _h.Clock.GetUtcNow().AddDays(1), false);
        await _h.PressAsync("500", EngineHarness.Button(await _h.TextAsync("500", "/start"), "Учитель"));
        var blocked = await _h.TextAsync("500", "TEACH2RS");

        Assert.Equal(Ru.TooManyAttempts, EngineHarness.Text(last));
        Assert.Equal(Ru.TooManyAttempts, EngineHarness.Text(blocked));
        Assert.Equal(Role.None, _h.PersonOf("500")!.Role);

        _h.Clock.Advance(TimeSpan.FromMinutes(61));
        await _h.PressAsync("500", EngineHarness.Button(await _h.TextAsync("500", "/start"), "Учитель"));
        await _h.TextAsync("500", "TEACH2RS");
        Assert.Equal(Role.Teacher, _h.PersonOf("500")!.Role);
    }

    [Fact]
    public async Task DeepLinkTypedWithSpace_IsCarriedInCanonicalForm()
    {
        var result = await _h.TextAsync("100", "/start t-abcd 2345");

        Assert.Equal("ca:0:ru:t-ABCD2345", EngineHarness.Button(result, "Согласен"));
        Assert.Single(result.Messages);
    }

    private async Task StartRoleAsync(string user, string role)
    {
        var consent = await _h.TextAsync(user, "/start");
        var roles = await _h.PressAsync(user, EngineHarness.Button(consent, "Согласен"));
        await _h.PressAsync(user, EngineHarness.Button(roles, role));
    }

    private async Task RegisterParentAsync(string user, string childCode)
    {
        await StartRoleAsync(user, "Родитель");
        var askCode = await _h.TextAsync(user, "Ольга Иванова");
        if (childCode == "skip")
        {
            await _h.PressAsync(user, EngineHarness.Button(askCode, Ru.Skip));
            return;
        }
        await _h.TextAsync(user, childCode);
    }

    private async Task<Person> RegisterAdminAsync(string user)
    {
        _h.IssuedCodes[(CodeKind.AdminBootstrap, "ADMNC2DE")] = (null, null, _h.Clock.GetUtcNow().AddDays(1), false);
        await StartRoleAsync(user, "Учитель");
        await _h.TextAsync(user, "admn-c2de");
        await _h.TextAsync(user, "Анна Смирнова");
        var admin = _h.PersonOf(user)!;
        Assert.Equal(Role.Admin, admin.Role);
        return admin;
    }
}
