using System.Globalization;
using System.Text;
using ConsultBot.Host.Timetable;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Issue 5 end to end through the fake Bot API: the administrator sends the timetable, the school clock reaches 07:30,
/// each student gets exactly one correct reminder (and the job run again sends nothing), a cancelled lesson alerts its
/// class, and a material tied to a lesson arrives at once and shows in that day's reminder. Time is a fake clock.
/// </summary>
public sealed class TelegramDailyReminderTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly TelegramUser _admin = new(7001);
    private readonly TelegramUser _teacher = new(7002);
    private readonly TelegramUser _anna = new(7003);
    private readonly TelegramUser _boris = new(7004);
    private readonly TelegramUser _vera = new(7005);
    private readonly DateOnly _day1 = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime).AddDays(1);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private DateOnly Day2 => _day1.AddDays(1);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SchoolTime = _clock;
        await AddGroupAsync("5А");
        await AddGroupAsync("5Б");
        await AddPersonAsync(_admin, "admin", "Директор Школы");
        await AddPersonAsync(_teacher, "teacher", "Иванова Анна");
        await StartWebhookAsync(new Dictionary<string, string?>
        {
            ["School:TimeZone"] = "Europe/Moscow",
            ["Timetable:TermStart"] = _day1.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Timetable:TermEnd"] = _day1.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
    }

    private async Task AddPersonAsync(TelegramUser user, string role, string name)
    {
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES (@r, 'active', @n, now()) RETURNING id", ("r", role), ("n", name));
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", user.Key), ("p", id));
    }

    private void SetSchoolTime(DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        _clock.SetUtcNow(new DateTimeOffset(local, Moscow.GetUtcOffset(local)).ToUniversalTime());
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

    [Fact]
    public async Task Import_Reminders_Change_Material_AllThroughTheMessenger()
    {
        // The administrator sends the timetable.
        string D(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        var csv = Encoding.UTF8.GetBytes(
            "класс;день;начало;конец;предмет;учитель;кабинет;ссылка\n"
            + $"5А;{D(_day1)};8:30;9:15;Математика;Иванова Анна;12;\n"
            + $"5А;{D(_day1)};9:25;10:10;Русский язык;;;https://meet.example.org/5a\n"
            + $"5Б;{D(_day1)};8:30;9:15;Физика;Иванова Анна;14;\n"
            + $"5А;{D(Day2)};8:30;9:15;Математика;Иванова Анна;12;\n");
        Telegram.RegisterFile("tt", csv);
        await SendAsync(TelegramUpdates.Document(_admin.Id, "tt", "timetable.csv", csv.Length));
        Assert.Equal(Ru.TimetableImported(new(4, 0, 0, 0)), (await NextMessageAsync(_admin)).Text);
        await RegisterStudentAsync(_anna, "Анна Белова", "5А");
        await RegisterStudentAsync(_boris, "Борис Волков", "5А");
        await RegisterStudentAsync(_vera, "Вера Громова", "5Б");
        var reminders = Host!.Services.GetRequiredService<DailyRemindersJob>();

        // 07:29: nothing yet. 07:31: one reminder each, with that day's lessons of their class; again: nothing new.
        SetSchoolTime(_day1, 7, 29);
        await reminders.RunAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'"));
        SetSchoolTime(_day1, 7, 31);
        await reminders.RunAsync(CancellationToken.None);
        await reminders.RunAsync(CancellationToken.None);
        foreach (var student in new[] { _anna, _boris })
        {
            var reminder = await NextMessageAsync(student);
            Assert.StartsWith("📚 Уроки —", reminder.Text, StringComparison.Ordinal);
            Assert.Contains("08:30–09:15 · Математика\nИванова Анна · кабинет 12", reminder.Text, StringComparison.Ordinal);
            Assert.Contains("09:25–10:10 · Русский язык", reminder.Text, StringComparison.Ordinal);
            Assert.Contains("https://meet.example.org/5a", reminder.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Физика", reminder.Text, StringComparison.Ordinal);
        }
        var vera = await NextMessageAsync(_vera);
        Assert.Contains("08:30–09:15 · Физика", vera.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Математика", vera.Text, StringComparison.Ordinal);
        var plan = await NextMessageAsync(_teacher);
        Assert.StartsWith("📚 Ваши уроки —", plan.Text, StringComparison.Ordinal);
        Assert.Contains("Физика", plan.Text, StringComparison.Ordinal);
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'"));

        // The teacher cancels 5Б's physics: Vera is alerted, 5А is not.
        var lessons = await SayAsync(_teacher, "/lessons");
        var card = await PressNextAsync(_teacher, lessons, "Физика · 5Б");
        await PressNextAsync(_teacher, card, Ru.CancelLessonButton);
        Assert.Equal(Ru.LessonCancelledDone(1), (await SayAsync(_teacher, "Экскурсия")).Text);
        Assert.Contains("Физика", (await NextMessageAsync(_vera)).Text, StringComparison.Ordinal);

        // A material for 5А's mathematics tied to the next day's lesson: it arrives now and shows in that day's reminder.
        var subject = await SayAsync(_teacher, "/material");
        var groups = await PressNextAsync(_teacher, subject, "Математика");
        groups = await PressNextAsync(_teacher, groups, "5А");
        var kind = await PressNextAsync(_teacher, groups, Ru.GroupsDone(1));
        await PressNextAsync(_teacher, kind, "материал");
        await SayAsync(_teacher, "Дроби: теория");
        var description = await SayAsync(_teacher, "https://edu.example.org/fractions");
        var lessonDate = await PressNextAsync(_teacher, description, Ru.Skip);
        Assert.Equal(Ru.AskLessonDate, lessonDate.Text);
        var preview = await SayAsync(_teacher, Day2.ToString("dd.MM", CultureInfo.InvariantCulture));
        Assert.Contains("«Дроби: теория»", preview.Text, StringComparison.Ordinal);
        Assert.StartsWith("Опубликовано ✅ Получателей: 2.", (await PressNextAsync(_teacher, preview, Ru.Publish)).Text, StringComparison.Ordinal);
        foreach (var student in new[] { _anna, _boris })
        {
            Assert.Contains("https://edu.example.org/fractions", (await NextMessageAsync(student)).Text, StringComparison.Ordinal);
        }

        SetSchoolTime(Day2, 7, 31);
        await reminders.RunAsync(CancellationToken.None);
        var next = await NextMessageAsync(_anna);
        Assert.Contains("08:30–09:15 · Математика", next.Text, StringComparison.Ordinal);
        Assert.Contains("📎 Дроби: теория: https://edu.example.org/fractions", next.Text, StringComparison.Ordinal);
        // 5Б has no lesson that day: no reminder was planned for Vera (the database says so, not a wait).
        Assert.Equal(7, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'")); // day 1: 4; day 2: Anna, Boris, the teacher
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND chat_id = @vera AND dedupe_key LIKE @day",
            ("vera", _vera.Key), ("day", "%" + Day2.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
    }
}
