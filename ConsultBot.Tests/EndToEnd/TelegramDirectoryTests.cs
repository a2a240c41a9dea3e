using ConsultBot.Domain.SchoolDirectory;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Administration through the fake Bot API and the real host: an administrator switches a teacher off in /people; the
/// teacher's booked consultation is cancelled and the student is told; the teacher, writing or pressing anything, hears
/// only whom to contact; /teachers lists them no more.
/// </summary>
public sealed class TelegramDirectoryTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _admin = new(7001);
    private readonly TelegramUser _teacher = new(7002);
    private readonly TelegramUser _student = new(7003);
    private long _teacherId;
    private long _slot;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddGroupAsync("7А");
        var subject = await Db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
        var adminId = await StaffAsync(_admin, "admin", "Смирнова Анна Сергеевна");
        _teacherId = await StaffAsync(_teacher, "teacher", "Петрова Мария Ивановна");
        var other = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('teacher', 'active', 'Орлов Игорь Павлович', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@t, @s), (@o, @s)",
            ("t", _teacherId), ("o", other), ("s", subject));
        await Db.ExecuteAsync("INSERT INTO school_contacts (duty, name, how_to_reach, position) VALUES " +
            "('Ответственный за консультации', 'Заместитель директора Кузнецова Ольга Николаевна', 'каб. 101', 1)");
        _slot = await Db.ScalarAsync<long>(
            """
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose, room)
            VALUES (@t, @s, now() + interval '3 days', now() + interval '3 days 20 minutes', 'individual', 1, 'review', '214')
            RETURNING id
            """, ("t", _teacherId), ("s", subject));
        _ = adminId;
        await StartWebhookAsync();
    }

    private async Task<long> StaffAsync(TelegramUser user, string role, string name)
    {
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES (@role, 'active', @name, now()) RETURNING id",
            ("role", role), ("name", name));
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", user.Key), ("p", id));
        return id;
    }

    private async Task<FakeSentMessage> SayAsync(TelegramUser user, string text)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    private async Task<FakeSentMessage> PressNextAsync(TelegramUser user, FakeSentMessage message, string label, int replies = 1)
    {
        var button = message.Buttons.FirstOrDefault(b => b.Text.Contains(label, StringComparison.Ordinal)) ?? message.Button(label);
        await PressDataAsync(user, button.CallbackData);
        return (await NextMessagesAsync(user, replies))[^1];
    }

    [Fact]
    public async Task AdminDeactivatesTeacher_BookingCancelledAndStudentTold_TeacherGetsOnlyNotice_AndDirectoryDropsThem()
    {
        await RegisterStudentAsync(_student, "Анна Белова", "7А");
        var studentId = await Db.ScalarAsync<long>("SELECT person_id FROM accounts WHERE channel = 'telegram' AND sender_id = @s", ("s", _student.Key));
        await Db.ExecuteAsync(
            "INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, activated_at) VALUES (@slot, @st, @st, 'active', now())",
            ("slot", _slot), ("st", studentId));
        await Db.ExecuteAsync("UPDATE consultation_slots SET booked = 1 WHERE id = @slot", ("slot", _slot));

        var before = await SayAsync(_student, "/teachers");
        Assert.Contains("Петрова Мария Ивановна", before.Text, StringComparison.Ordinal);
        Assert.Contains("Ответственный за консультации — Заместитель директора Кузнецова Ольга Николаевна (каб. 101)", before.Text,
            StringComparison.Ordinal);

        var people = await SayAsync(_admin, "/people");
        var teachers = await PressNextAsync(_admin, people, Ru.PeopleFilterName(PeopleFilter.Teachers));
        Assert.Contains("Петрова Мария Ивановна", teachers.Text, StringComparison.Ordinal);
        var card = await PressNextAsync(_admin, teachers, "Петрова М. И.");
        Assert.Contains("Статус: активен", card.Text, StringComparison.Ordinal);
        var confirm = await PressNextAsync(_admin, card, Ru.DeactivateButton);
        Assert.Equal(Ru.ConfirmDeactivate("Петрова Мария Ивановна", ConsultBot.Domain.People.Role.Teacher), confirm.Text);
        var done = await PressNextAsync(_admin, confirm, Ru.YesDeactivate, replies: 2);
        Assert.Contains("⛔ доступ отключён", done.Text, StringComparison.Ordinal);
        Assert.Equal(Ru.PersonDeactivated("Петрова Мария Ивановна", 1, 1, 0), Telegram.MessagesTo(_admin.Id)[^2].Text);

        var told = await NextMessageAsync(_student);
        Assert.StartsWith("Консультация отменена: учитель больше не ведёт консультации", told.Text, StringComparison.Ordinal);
        Assert.Equal("cancelled", await Db.ScalarAsync<string>("SELECT status FROM consultation_bookings WHERE slot_id = @slot", ("slot", _slot)));
        Assert.Equal(0, await Db.ScalarAsync<int>("SELECT booked FROM consultation_slots WHERE id = @slot AND status = 'cancelled'", ("slot", _slot)));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'person-deactivated' AND subject_id = @t", ("t", _teacherId)));

        var notice = await SayAsync(_teacher, "/slots");
        Assert.StartsWith("Школа отключила ваш доступ к боту.", notice.Text, StringComparison.Ordinal);
        Assert.Contains("Кузнецова Ольга Николаевна", notice.Text, StringComparison.Ordinal);
        Assert.Null(notice.ReplyMarkup);
        var pressed = await PressDataAsync(_teacher, "cs:0:l");
        Assert.Equal(Ru.DeactivatedShort, (await AnswerToAsync(pressed)).Text);

        var after = await SayAsync(_student, "/teachers");
        Assert.DoesNotContain("Петрова", after.Text, StringComparison.Ordinal);
        Assert.Contains("Орлов Игорь Павлович", after.Text, StringComparison.Ordinal);
        // The teacher got nothing but the notice: the press was answered in the button, not in the chat.
        Assert.Single(Telegram.MessagesTo(_teacher.Id));
    }
}
