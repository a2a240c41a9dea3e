using System.Globalization;
using ConsultBot.Domain.Questions;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Questions through the fake Bot API and the real host: a student asks a teacher, the teacher answers, the student
/// follows up, the teacher closes; and an anonymous thread with the school psychologist in which not one message the
/// psychologist's chat receives names the student, their class, their Telegram id or their person id.
/// </summary>
public sealed class TelegramQuestionTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _teacher = new(8101);
    private readonly TelegramUser _psychologist = new(8102);
    private readonly TelegramUser _admin = new(8103);
    private readonly TelegramUser _anna = new(8201);
    private readonly TelegramUser _vera = new(8202);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Person ids far from question ids and Telegram ids, so a leak check on the person id cannot pass by coincidence.
        await Db.ExecuteAsync("ALTER TABLE persons ALTER COLUMN id RESTART WITH 53017");
        await AddGroupAsync("7А");
        await AddGroupAsync("9В");
        var math = await Db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
        var psychology = await Db.ScalarAsync<long>("INSERT INTO subjects (name, confidential) VALUES ('Психология', true) RETURNING id");
        await StaffAsync(_teacher, "teacher", "Петрова Мария Ивановна", math);
        await StaffAsync(_psychologist, "teacher", "Смирнова Елена Павловна", psychology);
        await StaffAsync(_admin, "admin", "Завуч Ирина Олеговна", null);
        await StartWebhookAsync(new Dictionary<string, string?> { ["Outbox:PollIntervalMs"] = "60000" });
    }

    private async Task StaffAsync(TelegramUser user, string role, string name, long? subject)
    {
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES (@role, 'active', @name, now()) RETURNING id", ("role", role), ("name", name));
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)", ("s", user.Key), ("p", id));
        if (subject is { } s)
        {
            await Db.ExecuteAsync("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@t, @s)", ("t", id), ("s", s));
        }
    }

    private async Task<FakeSentMessage> SayAsync(TelegramUser user, string text)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    private async Task<FakeSentMessage> PressNextAsync(TelegramUser user, FakeSentMessage message, string label)
    {
        var button = message.Buttons.FirstOrDefault(b => b.Text == label)
            ?? message.Buttons.FirstOrDefault(b => b.Text.Contains(label, StringComparison.Ordinal))
            ?? message.Button(label);
        await PressDataAsync(user, button.CallbackData);
        return await NextMessageAsync(user);
    }

    private Task<long> QuestionCountAsync() => CountAsync("SELECT count(*) FROM questions");

    [Fact]
    public async Task AStudentAsks_TheTeacherAnswers_TheStudentFollowsUp_TheTeacherCloses()
    {
        await RegisterStudentAsync(_anna, "Анна Белова", "7А");

        var subjects = await SayAsync(_anna, "/ask");
        Assert.Equal(Ru.AskQuestionSubject, subjects.Text);
        var teachers = await PressNextAsync(_anna, subjects, "Математика");
        var prompt = await PressNextAsync(_anna, teachers, "Петрова Мария Ивановна");
        Assert.Equal(Ru.AskQuestionText("Математика", "Петрова Мария Ивановна", false, 2000), prompt.Text);

        // Bad inputs on the way: whitespace and 5,000 characters are answered and store nothing.
        Assert.Equal(Ru.EmptyMessage, (await SayAsync(_anna, "   ")).Text);
        Assert.Equal(Ru.QuestionTooLong(2000, 5000), (await SayAsync(_anna, new string('ы', 5000))).Text);
        Assert.Equal(0, await QuestionCountAsync());

        var sent = await SayAsync(_anna, "Как сложить 1/3 и 1/4?");
        var id = new QuestionId(await CountAsync("SELECT max(id) FROM questions"));
        Assert.Equal(Ru.QuestionSent(id, "Петрова Мария Ивановна", false), sent.Text);
        var notice = await NextMessageAsync(_teacher);
        Assert.Equal(Ru.NewQuestionNotice(id, "Математика", "Анна Белова, 7А", false, false, "Как сложить 1/3 и 1/4?"), notice.Text);

        var askAnswer = await PressNextAsync(_teacher, notice, Ru.AnswerButton);
        Assert.Equal(Ru.AskAnswer(id, 2000), askAnswer.Text);
        Assert.Equal(Ru.MessageSent(id), (await SayAsync(_teacher, "Приведите к знаменателю 12: 4/12 + 3/12 = 7/12.")).Text);
        var answer = await NextMessageAsync(_anna);
        Assert.Equal(Ru.AnswerNotice(id, "Математика", "Петрова Мария Ивановна", "Приведите к знаменателю 12: 4/12 + 3/12 = 7/12."), answer.Text);
        Assert.Equal("answered", await Db.ScalarAsync<string>("SELECT status FROM questions WHERE id = @id", ("id", id.Value)));

        await PressNextAsync(_anna, answer, Ru.AnswerButton);
        Assert.Equal(Ru.MessageSent(id), (await SayAsync(_anna, "А 1/6 + 1/8?")).Text);
        var followUp = await NextMessageAsync(_teacher);
        Assert.Equal(Ru.FollowUpNotice(id, "Математика", "Анна Белова, 7А", "А 1/6 + 1/8?"), followUp.Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM questions WHERE id = @id AND status = 'open' AND waiting_since IS NOT NULL",
            ("id", id.Value)));

        var inbox = await SayAsync(_teacher, "/questions");
        Assert.StartsWith(Ru.InboxTitle(1), inbox.Text, StringComparison.Ordinal);

        Assert.Equal(Ru.QuestionClosed(id), (await PressNextAsync(_teacher, followUp, Ru.CloseQuestionButton)).Text);
        Assert.Equal(Ru.QuestionClosedBy(id, "Математика", "Петрова Мария Ивановна"), (await NextMessageAsync(_anna)).Text);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM question_messages WHERE question_id = @id", ("id", id.Value)));

        // Writing into the closed question: a friendly refusal, nothing stored, nothing sent to the teacher.
        Assert.Equal(Ru.QuestionClosedAlready(id), (await PressNextAsync(_anna, answer, Ru.AnswerButton)).Text);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM question_messages WHERE question_id = @id", ("id", id.Value)));

        var mine = await SayAsync(_anna, "/questions");
        Assert.Contains(Ru.QuestionLine(id, "Математика", "Петрова Мария Ивановна", QuestionStatus.Closed, false), mine.Text, StringComparison.Ordinal);
        var thread = await PressNextAsync(_anna, mine, Ru.ThreadButton(id));
        Assert.Contains("Вы, ", thread.Text, StringComparison.Ordinal);
        Assert.True(thread.Text.IndexOf("1/3", StringComparison.Ordinal) < thread.Text.IndexOf("7/12", StringComparison.Ordinal));
        Assert.True(thread.Text.IndexOf("7/12", StringComparison.Ordinal) < thread.Text.IndexOf("1/8", StringComparison.Ordinal));
        Assert.Empty(Telegram.MessagesTo(_admin.Id));
    }

    /// <summary>The teacher publishes a group topic consultation of mathematics in three days at 15:00 Moscow time; returns the card and the result.</summary>
    private async Task<(FakeSentMessage Card, FakeSentMessage Published)> PublishGroupAsync(int daysAhead)
    {
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, moscow).Date.AddDays(daysAhead);
        var subject = await SayAsync(_teacher, "/publish");
        var when = await PressNextAsync(_teacher, subject, "Математика");
        Assert.Equal(Ru.AskStart, when.Text);
        var duration = await SayAsync(_teacher, day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) + " 15:00");
        var kind = await PressNextAsync(_teacher, duration, "45 мин");
        var capacity = await PressNextAsync(_teacher, kind, "групповая");
        var purpose = await SayAsync(_teacher, "10");
        await PressNextAsync(_teacher, purpose, "тематическая");
        var prep = await SayAsync(_teacher, "Дроби");
        var format = await PressNextAsync(_teacher, prep, "Нет");
        await PressNextAsync(_teacher, format, "Онлайн");
        var note = await SayAsync(_teacher, "https://meet.example.org/math");
        var card = await PressNextAsync(_teacher, note, Ru.Skip);
        var published = await PressNextAsync(_teacher, card, Ru.Publish);
        Assert.StartsWith("Консультация опубликована", published.Text, StringComparison.Ordinal);
        return (card, published);
    }

    [Fact]
    public async Task ATopicQuestion_IsOnTheGroupConsultationCard_AndItsAskerIsInvitedOnce_AndBooksFromTheInvitation()
    {
        await RegisterStudentAsync(_anna, "Анна Белова", "7А");
        var subjects = await SayAsync(_anna, "/ask");
        var teachers = await PressNextAsync(_anna, subjects, "Математика");
        await PressNextAsync(_anna, teachers, "Петрова Мария Ивановна");
        await SayAsync(_anna, "Объясните сложение дробей с разными знаменателями");
        var id = new QuestionId(await CountAsync("SELECT max(id) FROM questions"));
        var notice = await NextMessageAsync(_teacher);
        Assert.Equal(Ru.TopicMarked(id, "Математика"), (await PressNextAsync(_teacher, notice, Ru.TopicQuestionButton)).Text);

        var (card, published) = await PublishGroupAsync(daysAhead: 3);

        Assert.Contains($"№{id}: «Объясните сложение дробей с разными знаменателями»", card.Text, StringComparison.Ordinal);
        Assert.Contains(Ru.TopicAskersTold(1), published.Text, StringComparison.Ordinal);
        var slot = await CountAsync("SELECT max(id) FROM consultation_slots");
        Assert.Equal(slot, await CountAsync("SELECT topic_slot_id FROM questions WHERE id = @id", ("id", id.Value)));
        var invitation = await NextMessageAsync(_anna);
        Assert.StartsWith("📌 Опубликована групповая консультация по предмету вашего вопроса", invitation.Text, StringComparison.Ordinal);
        Assert.Contains("15:00–15:45", invitation.Text, StringComparison.Ordinal);

        var slotCard = await PressNextAsync(_anna, invitation, Ru.BookTopicButton);
        var booked = await PressNextAsync(_anna, slotCard, Ru.Book);
        Assert.StartsWith("Вы записаны", booked.Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM consultation_bookings WHERE slot_id = @s AND status = 'active'", ("s", slot)));
        await NextMessageAsync(_teacher);   // the teacher's "new booking"

        // Another group consultation of the subject: the topic was covered already, nobody is invited again.
        var (_, second) = await PublishGroupAsync(daysAhead: 4);
        Assert.DoesNotContain(Ru.TopicAskersTold(1), second.Text, StringComparison.Ordinal);
        await SayAsync(_anna, "/questions");
        Assert.DoesNotContain(Telegram.MessagesTo(_anna.Id).Skip(_anna.Seen), m => m.Text.StartsWith("📌", StringComparison.Ordinal));
        Assert.Single(Telegram.MessagesTo(_anna.Id), m => m.Text.StartsWith("📌 Опубликована", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnonymousQuestionToThePsychologist_NoMessageThePsychologistReceivesNamesTheStudent()
    {
        await RegisterStudentAsync(_vera, "Вера Громова", "9В");
        var personId = await CountAsync("SELECT person_id FROM accounts WHERE channel = 'telegram' AND sender_id = @s", ("s", _vera.Key));

        var subjects = await SayAsync(_vera, "/ask");
        var teachers = await PressNextAsync(_vera, subjects, "Психология");
        Assert.Equal(Ru.AskQuestionTeacher("Психология", true), teachers.Text);
        Assert.DoesNotContain(teachers.Buttons, b => b.Text.Contains("Петрова", StringComparison.Ordinal));
        var anonymity = await PressNextAsync(_vera, teachers, "Смирнова Елена Павловна");
        await PressNextAsync(_vera, anonymity, Ru.AskAnonymously);
        await SayAsync(_vera, "Мне очень тревожно перед экзаменами, не могу спать.");
        var id = new QuestionId(await CountAsync("SELECT max(id) FROM questions"));

        var notice = await NextMessageAsync(_psychologist);
        Assert.Contains(Ru.AnonymousAsker(id), notice.Text, StringComparison.Ordinal);
        Assert.Contains("не могу спать", notice.Text, StringComparison.Ordinal);
        await PressNextAsync(_psychologist, notice, Ru.AnswerButton);
        await SayAsync(_psychologist, "Давайте попробуем дыхательное упражнение 4-7-8.");
        var reply = await NextMessageAsync(_vera);
        Assert.Contains("дыхательное упражнение", reply.Text, StringComparison.Ordinal);

        await PressNextAsync(_vera, reply, Ru.AnswerButton);
        await SayAsync(_vera, "Спасибо, помогло немного.");
        var followUp = await NextMessageAsync(_psychologist);
        Assert.Equal(Ru.FollowUpNotice(id, "Психология", Ru.AnonymousAsker(id), "Спасибо, помогло немного."), followUp.Text);

        var inbox = await SayAsync(_psychologist, "/questions");
        Assert.Contains(Ru.AnonymousAsker(id), inbox.Text, StringComparison.Ordinal);
        var thread = await PressNextAsync(_psychologist, inbox, Ru.ThreadButton(id));
        Assert.Contains("Спасибо, помогло немного.", thread.Text, StringComparison.Ordinal);
        await PressNextAsync(_vera, reply, Ru.CloseQuestionButton);
        var closed = await NextMessageAsync(_psychologist);
        Assert.Equal(Ru.QuestionClosedBy(id, "Психология", Ru.AnonymousAsker(id)), closed.Text);

        // Every message the psychologist's chat got: texts, button labels and button data.
        var received = Telegram.MessagesTo(_psychologist.Id);
        Assert.Equal(7, received.Count);   // notice, answer prompt, "sent", follow-up, inbox, thread, closed
        var leaks = new[] { "Вера", "Громова", "9В", _vera.Key, personId.ToString(CultureInfo.InvariantCulture) };
        foreach (var message in received)
        {
            var everything = string.Join("\n", [message.Text, .. message.Buttons.Select(b => b.Text + " " + b.CallbackData + " " + b.Url)]);
            foreach (var leak in leaks)
            {
                Assert.DoesNotContain(leak, everything, StringComparison.Ordinal);
            }
        }
        // The other teacher and the administrator never received the texts.
        Assert.DoesNotContain(Telegram.MessagesTo(_teacher.Id), m => m.Text.Contains("тревожно", StringComparison.Ordinal));
        Assert.Empty(Telegram.MessagesTo(_admin.Id));
        var adminView = await PressDataAsync(_admin, $"qa:0:v:{id}");
        Assert.Equal(Ru.QuestionNotFound, (await AnswerToAsync(adminView)).Text);
        Assert.Equal(Ru.QuestionNotFound, (await NextMessageAsync(_admin)).Text);
    }
}
