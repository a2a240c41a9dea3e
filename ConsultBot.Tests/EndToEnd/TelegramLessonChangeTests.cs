using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>A teacher cancels and moves a lesson in the chat; the class gets the timetable change alert through the fake Bot API.</summary>
public sealed class TelegramLessonChangeTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly TelegramUser _teacher = new(6001);
    private readonly TelegramUser _anna = new(6002);
    private readonly TelegramUser _vera = new(6003);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var seventh = await AddGroupAsync("7Б");
        await AddGroupAsync("8В");
        var subject = await Db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
        var teacher = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('teacher', 'active', 'Петрова Анна', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", _teacher.Key), ("p", teacher));
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).Date.AddDays(2).AddHours(9);
        var start = new DateTimeOffset(local, Moscow.GetUtcOffset(local)).ToUniversalTime();
        await Db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id, room)
            VALUES (@group, @day, @start, @start + interval '45 minutes', @start, @subject, @teacher, '214')
            """, ("group", seventh), ("day", DateOnly.FromDateTime(local)), ("start", start), ("subject", subject), ("teacher", teacher));
        await StartWebhookAsync(new Dictionary<string, string?> { ["School:TimeZone"] = "Europe/Moscow" });
    }

    private async Task<FakeSentMessage> SayAsync(TelegramUser user, string text)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    private async Task<FakeSentMessage> PressNextAsync(TelegramUser user, FakeSentMessage message, string label)
    {
        var button = message.Buttons.FirstOrDefault(b => b.Text.Contains(label, StringComparison.Ordinal)) ?? message.Button(label);
        await PressDataAsync(user, button.CallbackData);
        return await NextMessageAsync(user);
    }

    [Fact]
    public async Task TeacherCancelsALesson_TheClassIsAlerted_AnotherClassIsNot()
    {
        await RegisterStudentAsync(_anna, "Анна Белова", "7Б");
        await RegisterStudentAsync(_vera, "Вера Громова", "8В");

        var lessons = await SayAsync(_teacher, "/lessons");
        var card = await PressNextAsync(_teacher, lessons, "Математика · 7Б");
        Assert.Contains("кабинет 214", card.Text, StringComparison.Ordinal);
        var ask = await PressNextAsync(_teacher, card, Ru.CancelLessonButton);
        Assert.StartsWith("Отмена урока", ask.Text, StringComparison.Ordinal);
        var done = await SayAsync(_teacher, "Учитель заболел");

        Assert.Equal(Ru.LessonCancelledDone(1), done.Text);
        var alert = await NextMessageAsync(_anna);
        Assert.StartsWith("❗ Изменение в расписании: урок Математика", alert.Text, StringComparison.Ordinal);
        Assert.Contains("09:00–09:45 отменён", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Учитель заболел", alert.Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM lessons WHERE status = 'cancelled' AND changed_by_hand"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox o JOIN accounts a ON a.chat_id = o.chat_id WHERE a.sender_id = @vera AND o.body->>'text' LIKE '%расписании%'",
            ("vera", _vera.Key)));
    }

    [Fact]
    public async Task TeacherMovesALesson_IntoTheClasssOtherLesson_IsRefused_ThenMovesItToAFreeTime()
    {
        await RegisterStudentAsync(_anna, "Анна Белова", "7Б");
        var second = await Db.ScalarAsync<DateTime>("SELECT starts_at + interval '1 hour' FROM lessons");
        await Db.ExecuteAsync(
            "INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id) SELECT group_id, day, @s, @s + interval '45 minutes', @s, subject_id, teacher_id FROM lessons",
            ("s", new DateTimeOffset(second, TimeSpan.Zero)));
        var lessons = await SayAsync(_teacher, "/lessons");
        var card = await PressNextAsync(_teacher, lessons, "Математика · 7Б");
        await PressNextAsync(_teacher, card, Ru.MoveLessonButton);
        var day = TimeZoneInfo.ConvertTime(new DateTimeOffset(second, TimeSpan.Zero), Moscow).ToString("dd.MM", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(Ru.LessonOverlaps, (await SayAsync(_teacher, $"{day} 10:15")).Text);
        var moved = await SayAsync(_teacher, $"{day} 12:00");

        Assert.StartsWith("Урок перенесён на", moved.Text, StringComparison.Ordinal);
        var alert = await NextMessageAsync(_anna);
        Assert.Contains("Было:", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Стало:", alert.Text, StringComparison.Ordinal);
        Assert.Contains("12:00–12:45", alert.Text, StringComparison.Ordinal);
    }
}
