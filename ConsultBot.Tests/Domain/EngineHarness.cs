using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Ports;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace ConsultBot.Tests.Domain;

/// <summary>
/// Drives the conversation engine without a database: the ports are Moq mocks whose setups keep state in memory,
/// so dialogs can be followed step by step and every port call can be verified.
/// </summary>
internal sealed class EngineHarness
{
    private long _nextPersonId = 1;
    private long _nextUpdate = 1;

    public EngineHarness(EngineSettings? settings = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        Engine = new ConversationEngine(settings ?? new EngineSettings { SchoolName = "Лицей №2", TelegramBotUsername = "consult_bot" }, Clock);

        People.Setup(p => p.FindByAccountAsync(It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Channel c, string s, CancellationToken _) => Accounts.TryGetValue((c, s), out var id) ? Persons.GetValueOrDefault(id) : null);
        People.Setup(p => p.GetAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, CancellationToken _) => Persons.GetValueOrDefault(id));
        People.Setup(p => p.PeekAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, CancellationToken _) => Persons.GetValueOrDefault(id));
        People.Setup(p => p.CreateAsync(It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Language>(),
                It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Channel c, string s, string _, Language l, DateTimeOffset at, CancellationToken _) =>
            {
                var person = Person.Restore(new PersonId(_nextPersonId++), Role.None, PersonStatus.Registering, null, null, l, false, false, at,
                    DialogState.Empty);
                Persons[person.Id] = person;
                Accounts[(c, s)] = person.Id;
                AccountOrder.Add((c, s));
                return person;
            });
        People.Setup(p => p.SaveAsync(It.IsAny<Person>(), It.IsAny<CancellationToken>()))
            .Callback((Person p, CancellationToken _) => Persons[p.Id] = p).Returns(Task.CompletedTask);
        People.Setup(p => p.ForgetAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .Callback((PersonId id, CancellationToken _) =>
            {
                Persons.Remove(id);
                foreach (var key in Accounts.Where(a => a.Value == id).Select(a => a.Key).ToList())
                {
                    Accounts.Remove(key);
                }
            })
            .Returns(Task.CompletedTask);
        People.Setup(p => p.LinkParentAsync(It.IsAny<PersonId>(), It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId parent, PersonId child, CancellationToken _) => Links.Add((parent, child)));
        People.Setup(p => p.ChildrenOfAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId parent, CancellationToken _) =>
                (IReadOnlyList<Person>)Links.Where(l => l.Parent == parent).Select(l => Persons[l.Child]).ToList());

        People.Setup(p => p.AccountsAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, CancellationToken _) => (IReadOnlyList<LinkedAccount>)Accounts
                .Where(a => a.Value == id)
                .Select(a => new LinkedAccount(a.Key.Item1, a.Key.Item2, a.Key.Item2, !Unreachable.Contains(a.Key), !NotPreferred.Contains(a.Key)))
                .OrderByDescending(a => a.Reachable).ThenByDescending(a => a.Preferred).ThenBy(a => AccountOrder.IndexOf((a.Channel, a.SenderId)))
                .ToList());
        People.Setup(p => p.AttachAccountAsync(It.IsAny<PersonId>(), It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, Channel c, string s, string _, CancellationToken _) =>
            {
                if (!Accounts.TryAdd((c, s), id))
                {
                    return false;
                }
                AccountOrder.Add((c, s));
                NotPreferred.Add((c, s));
                return true;
            });
        People.Setup(p => p.SetPreferredAsync(It.IsAny<PersonId>(), It.IsAny<Channel>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, Channel c, CancellationToken _) =>
            {
                var mine = Accounts.Where(a => a.Value == id).Select(a => a.Key).ToList();
                if (!mine.Any(k => k.Item1 == c))
                {
                    return false;
                }
                foreach (var key in mine)
                {
                    if (key.Item1 == c)
                    {
                        NotPreferred.Remove(key);
                    }
                    else
                    {
                        NotPreferred.Add(key);
                    }
                }
                return true;
            });
        People.Setup(p => p.DetachAccountAsync(It.IsAny<PersonId>(), It.IsAny<Channel>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, Channel c, CancellationToken _) =>
            {
                var mine = Accounts.Where(a => a.Value == id).Select(a => a.Key).ToList();
                if (mine.Count < 2 || !mine.Any(k => k.Item1 == c))
                {
                    return false;
                }
                return Accounts.Remove(mine.First(k => k.Item1 == c));
            });

        Groups.Setup(g => g.ListAsync(It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((bool all, CancellationToken _) => (IReadOnlyList<Group>)GroupList.Where(g => all || !g.Archived).ToList());
        Groups.Setup(g => g.GetAsync(It.IsAny<GroupId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GroupId id, CancellationToken _) => GroupList.FirstOrDefault(g => g.Id == id));
        Groups.Setup(g => g.AddAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, CancellationToken _) =>
            {
                if (GroupList.Any(g => !g.Archived && string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return null;
                }
                var group = new Group(new GroupId(GroupList.Count + 1), name, false);
                GroupList.Add(group);
                return group;
            });

        Groups.Setup(g => g.RenameAsync(It.IsAny<GroupId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GroupId id, string name, CancellationToken _) =>
            {
                if (GroupList.Any(g => g.Id != id && !g.Archived && string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return false;
                }
                var i = GroupList.FindIndex(g => g.Id == id);
                GroupList[i] = GroupList[i] with { Name = name };
                return true;
            });
        Groups.Setup(g => g.ArchiveAsync(It.IsAny<GroupId>(), It.IsAny<CancellationToken>()))
            .Callback((GroupId id, CancellationToken _) =>
            {
                var i = GroupList.FindIndex(g => g.Id == id);
                GroupList[i] = GroupList[i] with { Archived = true };
            })
            .Returns(Task.CompletedTask);

        Codes.Setup(c => c.CreateAsync(It.IsAny<CodeKind>(), It.IsAny<string>(), It.IsAny<PersonId?>(), It.IsAny<PersonId?>(),
                It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((CodeKind kind, string code, PersonId? owner, PersonId? by, DateTimeOffset expires, CancellationToken _) =>
                IssuedCodes[(kind, code)] = (owner, by, expires, false))
            .Returns(Task.CompletedTask);
        Codes.Setup(c => c.RedeemAsync(It.IsAny<CodeKind>(), It.IsAny<string>(), It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(),
                It.IsAny<CancellationToken>()))
            .ReturnsAsync((CodeKind kind, string code, PersonId _, DateTimeOffset now, CancellationToken _) =>
            {
                if (!IssuedCodes.TryGetValue((kind, code), out var issued) || issued.Used || issued.Expires <= now)
                {
                    return null;
                }
                IssuedCodes[(kind, code)] = issued with { Used = true };
                return new RedeemedCode(kind, issued.Owner, issued.By);
            });

        Codes.Setup(c => c.FindAsync(It.IsAny<CodeKind>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CodeKind kind, string code, DateTimeOffset now, CancellationToken _) =>
                IssuedCodes.TryGetValue((kind, code), out var issued) ? new FoundCode(issued.Owner, issued.Used, issued.Expires <= now) : null);
        Codes.Setup(c => c.RecordRejectedAsync(It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((Channel c, string s, DateTimeOffset at, CancellationToken _) => RejectedByAccount.Add((c, s, at)))
            .Returns(Task.CompletedTask);
        Codes.Setup(c => c.CountRejectedSinceAsync(It.IsAny<Channel>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Channel c, string s, DateTimeOffset since, CancellationToken _) =>
                RejectedByAccount.Count(r => r.Channel == c && r.Sender == s && r.At >= since));

        Audit.Setup(a => a.WriteAsync(It.IsAny<string>(), It.IsAny<PersonId?>(), It.IsAny<PersonId?>(), It.IsAny<CancellationToken>()))
            .Callback((string action, PersonId? subject, PersonId? _, CancellationToken _) => AuditEntries.Add((action, subject, Clock.GetUtcNow())))
            .Returns(Task.CompletedTask);
        Audit.Setup(a => a.CountSinceAsync(It.IsAny<string>(), It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string action, PersonId subject, DateTimeOffset since, CancellationToken _) =>
                AuditEntries.Count(e => e.Action == action && e.Subject == subject && e.At >= since));

        ChatNotices.Setup(n => n.FirstTimeAsync(It.IsAny<ChatAddress>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ChatAddress chat, CancellationToken _) => NoticedChats.Add(chat));

        // No topic questions unless a test sets them up (publishing a group consultation asks for them).
        Questions.Setup(q => q.TopicsAsync(It.IsAny<PersonId>(), It.IsAny<long>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        Questions.Setup(q => q.AttachTopicsAsync(It.IsAny<PersonId>(), It.IsAny<long>(), It.IsAny<SlotId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);

        Context = new ConversationContext(People.Object, Groups.Object, Codes.Object, Audit.Object, ChatNotices.Object, Consultations.Object,
            Timetable.Object, Lessons.Object, ReminderSettings.Object, Materials.Object, Attachments.Object, Announcements.Object,
            Reports.Object, Questions.Object, Directory.Object);
    }

    public FakeTimeProvider Clock { get; }
    public ConversationEngine Engine { get; }
    public Mock<IPeopleRepository> People { get; } = new();
    public Mock<IGroupRepository> Groups { get; } = new();
    public Mock<ICodeRepository> Codes { get; } = new();
    public Mock<IAuditLog> Audit { get; } = new();
    public Mock<IChatNotices> ChatNotices { get; } = new();
    public Mock<IConsultationRepository> Consultations { get; } = new();
    public Mock<ConsultBot.Domain.Timetable.ITimetableRepository> Timetable { get; } = new();
    public Mock<ConsultBot.Domain.Timetable.ILessonRepository> Lessons { get; } = new();
    public Mock<ConsultBot.Domain.Timetable.IReminderSettingsRepository> ReminderSettings { get; } = new();
    public Mock<ConsultBot.Domain.Materials.IMaterialRepository> Materials { get; } = new();
    public Mock<IAttachmentReader> Attachments { get; } = new();
    public Mock<ConsultBot.Domain.Announcements.IAnnouncementRepository> Announcements { get; } = new();
    public Mock<ConsultBot.Domain.Reports.IActivityReport> Reports { get; } = new();
    public Mock<ConsultBot.Domain.Questions.IQuestionRepository> Questions { get; } = new();
    public Mock<ConsultBot.Domain.SchoolDirectory.IDirectoryRepository> Directory { get; } = new();
    public ConversationContext Context { get; }

    public Dictionary<PersonId, Person> Persons { get; } = [];
    public Dictionary<(Channel, string), PersonId> Accounts { get; } = [];
    public HashSet<(PersonId Parent, PersonId Child)> Links { get; } = [];
    /// <summary>Accounts attached after the first (created not preferred), and accounts the person blocked the bot in.</summary>
    public HashSet<(Channel, string)> NotPreferred { get; } = [];
    public HashSet<(Channel, string)> Unreachable { get; } = [];
    public List<(Channel, string)> AccountOrder { get; } = [];
    public List<(Channel Channel, string Sender, DateTimeOffset At)> RejectedByAccount { get; } = [];
    public List<Group> GroupList { get; } = [];
    public Dictionary<(CodeKind, string), (PersonId? Owner, PersonId? By, DateTimeOffset Expires, bool Used)> IssuedCodes { get; } = [];
    public HashSet<ChatAddress> NoticedChats { get; } = [];
    public List<(string Action, PersonId? Subject, DateTimeOffset At)> AuditEntries { get; } = [];

    public Task<EngineResult> TextAsync(string user, string text, string? lang = "ru", Channel channel = Channel.Telegram) =>
        Engine.HandleAsync(Event(user, EventKind.Text, channel) with { Text = text, LanguageCode = lang }, Context, CancellationToken.None);

    public Task<EngineResult> PressAsync(string user, string payload, Channel channel = Channel.Telegram) =>
        Engine.HandleAsync(Event(user, EventKind.Callback, channel) with { CallbackData = payload, CallbackId = "cb" + _nextUpdate },
            Context, CancellationToken.None);

    public Task<EngineResult> EventAsync(IncomingEvent incoming) => Engine.HandleAsync(incoming, Context, CancellationToken.None);

    public IncomingEvent Event(string user, EventKind kind, Channel channel = Channel.Telegram) => new()
    {
        Channel = channel,
        UpdateId = (_nextUpdate++).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kind = kind,
        SenderId = user,
        ChatId = user,
    };

    public Person? PersonOf(string user, Channel channel = Channel.Telegram) =>
        Accounts.TryGetValue((channel, user), out var id) ? Persons.GetValueOrDefault(id) : null;

    /// <summary>An active person of any role, without going through the dialogs.</summary>
    public Person AddPerson(string user, Role role, string name, Group? group = null, Language language = Language.Ru, bool under14 = false,
        bool confirmedByParent = false)
    {
        var person = Person.Restore(new PersonId(_nextPersonId++), role, PersonStatus.Active, name, group?.Id, language, under14, confirmedByParent,
            Clock.GetUtcNow(), DialogState.Empty);
        Persons[person.Id] = person;
        Accounts[(Channel.Telegram, user)] = person.Id;
        AccountOrder.Add((Channel.Telegram, user));
        return person;
    }

    public Group AddGroup(string name)
    {
        var group = new Group(new GroupId(GroupList.Count + 1), name, false);
        GroupList.Add(group);
        return group;
    }

    /// <summary>Finds the payload of the button whose label contains <paramref name="label"/> in the result's messages.</summary>
    public static string Button(EngineResult result, string label) =>
        result.Messages.SelectMany(m => m.Keyboard?.Rows ?? []).SelectMany(r => r)
            .FirstOrDefault(b => b.Label.Contains(label, StringComparison.Ordinal))?.Payload
        ?? throw new InvalidOperationException($"No button '{label}' in: {string.Join(" | ", result.Messages.Select(m => m.Text))}");

    public static string Text(EngineResult result) => string.Join("\n---\n", result.Messages.Select(m => m.Text));

    /// <summary>Registers a student through the real dialog and returns the person.</summary>
    public async Task<Person> RegisterStudentAsync(string user, string name, Group group, bool under14 = false)
    {
        var consent = await TextAsync(user, "/start");
        var roles = await PressAsync(user, Button(consent, "Согласен"));
        await PressAsync(user, Button(roles, "Ученик"));
        var groups = await TextAsync(user, name);
        var age = await PressAsync(user, Button(groups, group.Name));
        await PressAsync(user, Button(age, under14 ? "меньше 14" : "14 или больше"));
        return PersonOf(user)!;
    }
}
