using System.Globalization;
using ConsultBot.Host.Consultations;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Consultations through the fake Bot API and the real host: a teacher publishes a group consultation in the chat,
/// students book it, one cancels and the waitlisted one is promoted, reminders and the digest arrive; the school's clock is a fake moved by the test,
/// never by sleeping.
/// </summary>
public sealed class TelegramConsultationTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly TelegramUser _teacher = new(5001);
    private readonly TelegramUser _anna = new(5002);
    private readonly TelegramUser _boris = new(5003);
    private readonly TelegramUser _vera = new(5004);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SchoolTime = _clock;
        await AddGroupAsync("7Б");
        await Db.ExecuteAsync("INSERT INTO subjects (name) VALUES ('Математика')");
        var teacherId = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('teacher', 'active', 'Петрова Анна Сергеевна', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", _teacher.Key), ("p", teacherId));
        await StartWebhookAsync(new Dictionary<string, string?> { ["School:TimeZone"] = "Europe/Moscow" });
    }

    /// <summary>The consultation starts the day after tomorrow at 15:00 in Moscow.</summary>
    private DateTimeOffset Start
    {
        get
        {
            var local = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), Moscow).Date.AddDays(2).AddHours(15);
            return new DateTimeOffset(local, Moscow.GetUtcOffset(local));
        }
    }

    private async Task<FakeSentMessage> SayAsync(TelegramUser user, string text)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    /// <summary>Presses the button with this label (or the first whose label contains it) and returns the next message.</summary>
    private async Task<FakeSentMessage> PressNextAsync(TelegramUser user, FakeSentMessage message, string label)
    {
        await PressDataAsync(user, Find(message, label).CallbackData);
        return await NextMessageAsync(user);
    }

    private static FakeButton Find(FakeSentMessage message, string label) =>
        message.Buttons.FirstOrDefault(b => b.Text == label)
        ?? message.Buttons.FirstOrDefault(b => b.Text.Contains(label, StringComparison.Ordinal))
        ?? message.Button(label);

    private async Task PublishGroupConsultationAsync(DateTimeOffset start, int seats)
    {
        var subject = await SayAsync(_teacher, "/publish");
        var when = await PressNextAsync(_teacher, subject, "Математика");
        Assert.Equal(Ru.AskStart, when.Text);
        var duration = await SayAsync(_teacher, TimeZoneInfo.ConvertTime(start, Moscow).ToString("dd.MM HH:mm", CultureInfo.InvariantCulture));
        var kind = await PressNextAsync(_teacher, duration, "45 мин");
        var capacity = await PressNextAsync(_teacher, kind, "групповая");
        var purpose = await SayAsync(_teacher, seats.ToString(CultureInfo.InvariantCulture));
        await PressNextAsync(_teacher, purpose, "тематическая");
        var prep = await SayAsync(_teacher, "Дроби");
        var format = await PressNextAsync(_teacher, prep, "Нет");
        await PressNextAsync(_teacher, format, "Онлайн");
        var note = await SayAsync(_teacher, "https://meet.example.org/math-7b");
        var card = await PressNextAsync(_teacher, note, Ru.Skip);
        Assert.Contains("тема «Дроби»", card.Text, StringComparison.Ordinal);
        var published = await PressNextAsync(_teacher, card, Ru.Publish);
        Assert.StartsWith("Консультация опубликована", published.Text, StringComparison.Ordinal);
    }

    /// <summary>/book → subject → teacher → the slot's card.</summary>
    private async Task<FakeSentMessage> OpenSlotAsync(TelegramUser student)
    {
        var subjects = await SayAsync(student, "/book");
        var teachers = await PressNextAsync(student, subjects, "Математика");
        var times = await PressNextAsync(student, teachers, "Петрова");
        return await PressNextAsync(student, times, times.Buttons[0].Text);
    }

    private async Task BookAsync(TelegramUser student, string name)
    {
        var card = await OpenSlotAsync(student);
        var booked = await PressNextAsync(student, card, Ru.Book);
        Assert.StartsWith("Вы записаны", booked.Text, StringComparison.Ordinal);
        Assert.StartsWith($"Новая запись: {name}, 7Б", (await NextMessageAsync(_teacher)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeacherPublishes_TwoBook_OneCancels_AndTheWaitlistedOneIsPromoted()
    {
        await PublishGroupConsultationAsync(Start, seats: 2);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM consultation_slots WHERE starts_at = @start AND capacity = 2 AND link IS NOT NULL",
            ("start", Start.ToUniversalTime())));
        await RegisterStudentAsync(_anna, "Анна Белова", "7Б");
        await RegisterStudentAsync(_boris, "Борис Волков", "7Б");
        await RegisterStudentAsync(_vera, "Вера Громова", "7Б");

        await BookAsync(_anna, "Анна Белова");
        await BookAsync(_boris, "Борис Волков");

        var full = await OpenSlotAsync(_vera);
        Assert.Contains(Ru.SlotFull, full.Text, StringComparison.Ordinal);
        var waiting = await PressNextAsync(_vera, full, Ru.JoinWaitlist);
        Assert.Contains("место в очереди: 1", waiting.Text, StringComparison.Ordinal);
        Assert.StartsWith("В листе ожидания", (await NextMessageAsync(_teacher)).Text, StringComparison.Ordinal);

        var my = await SayAsync(_anna, "/my");
        var confirm = await PressNextAsync(_anna, my, Ru.CancelBookingButton(1));
        var cancelled = await PressNextAsync(_anna, confirm, Ru.YesCancelBooking);
        Assert.StartsWith("Запись на", cancelled.Text, StringComparison.Ordinal);

        Assert.StartsWith("Освободилось место — вы записаны", (await NextMessageAsync(_vera)).Text, StringComparison.Ordinal);
        var teacherHears = (await NextMessagesAsync(_teacher, 2)).Select(m => m.Text).ToList();
        Assert.Contains(teacherHears, t => t.StartsWith("Запись отменена: Анна Белова", StringComparison.Ordinal));
        Assert.Contains(teacherHears, t => t.StartsWith("Из листа ожидания записан(а): Вера Громова", StringComparison.Ordinal));
        Assert.Equal(2, await CountAsync("SELECT booked::bigint FROM consultation_slots"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM consultation_bookings WHERE status = 'active'"));

        var slots = await SayAsync(_teacher, "/slots");
        var slotCard = await PressNextAsync(_teacher, slots, slots.Buttons[0].Text);
        Assert.Contains("1. Борис Волков, 7Б", slotCard.Text, StringComparison.Ordinal);
        Assert.Contains("2. Вера Громова, 7Б", slotCard.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Белова", slotCard.Text, StringComparison.Ordinal);

        // Time moves on: the 24 h reminders, the evening digest, the 1 h reminders. Each job also runs twice.
        var start = Start;
        var reminders = Host!.Services.GetRequiredService<ConsultationRemindersJob>();
        var digest = Host.Services.GetRequiredService<TeacherDigestJob>();
        _clock.SetUtcNow(start.AddHours(-24).AddMinutes(-1));
        await reminders.RunAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key IS NOT NULL"));

        _clock.SetUtcNow(start.AddHours(-24).AddMinutes(1));
        await reminders.RunAsync(CancellationToken.None);
        await reminders.RunAsync(CancellationToken.None);
        foreach (var student in new[] { _boris, _vera })
        {
            var reminder = await NextMessageAsync(student);
            Assert.StartsWith("⏰ Напоминание: завтра консультация", reminder.Text, StringComparison.Ordinal);
            Assert.Contains("https://meet.example.org/math-7b", reminder.Text, StringComparison.Ordinal);
        }
        var teacherReminder = await NextMessageAsync(_teacher);
        Assert.Contains("Борис Волков", teacherReminder.Text, StringComparison.Ordinal);
        Assert.Contains("Вера Громова", teacherReminder.Text, StringComparison.Ordinal);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'crem:%'"));

        var eveningBefore = TimeZoneInfo.ConvertTime(start, Moscow).Date.AddDays(-1).AddHours(18);
        _clock.SetUtcNow(new DateTimeOffset(eveningBefore, Moscow.GetUtcOffset(eveningBefore)));
        await digest.RunAsync(CancellationToken.None);
        await digest.RunAsync(CancellationToken.None);
        var teacherDigest = await NextMessageAsync(_teacher);
        Assert.StartsWith("Ваши консультации завтра", teacherDigest.Text, StringComparison.Ordinal);
        Assert.Contains("Вера Громова, 7Б", teacherDigest.Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'digest:%'"));

        _clock.SetUtcNow(start.AddHours(-1));
        await reminders.RunAsync(CancellationToken.None);
        foreach (var student in new[] { _boris, _vera })
        {
            Assert.StartsWith("⏰ Напоминание: через 1 ч консультация", (await NextMessageAsync(student)).Text, StringComparison.Ordinal);
        }
        Assert.Equal(6, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'crem:%'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox o JOIN accounts a ON a.chat_id = o.chat_id WHERE a.sender_id = @anna AND o.dedupe_key IS NOT NULL",
            ("anna", _anna.Key)));
    }

    [Fact]
    public async Task LastSeat_TwoStudentsPressBookTogether_OneGetsIt_TheOtherIsToldFriendly()
    {
        await PublishGroupConsultationAsync(Start, seats: 2);
        await RegisterStudentAsync(_anna, "Анна Белова", "7Б");
        await RegisterStudentAsync(_boris, "Борис Волков", "7Б");
        await RegisterStudentAsync(_vera, "Вера Громова", "7Б");
        await BookAsync(_anna, "Анна Белова");
        var borisCard = await OpenSlotAsync(_boris);
        var veraCard = await OpenSlotAsync(_vera);

        await Task.WhenAll(PressDataAsync(_boris, Find(borisCard, Ru.Book).CallbackData), PressDataAsync(_vera, Find(veraCard, Ru.Book).CallbackData));

        var replies = new[] { (await NextMessageAsync(_boris)).Text, (await NextMessageAsync(_vera)).Text };
        Assert.Single(replies, r => r.StartsWith("Вы записаны", StringComparison.Ordinal));
        Assert.Single(replies, r => r == Ru.SlotFull);
        Assert.Equal(2, await CountAsync("SELECT booked::bigint FROM consultation_slots"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM consultation_bookings WHERE status = 'active'"));
    }

    [Fact]
    public async Task BadInputsInThePublishDialog_GetFriendlyAnswers_AndNothingIsStored()
    {
        var subject = await SayAsync(_teacher, "/publish");
        await PressNextAsync(_teacher, subject, "Математика");

        Assert.Equal(Ru.DateInputError(ConsultBot.Domain.Consultations.DateInputError.NoSuchDate), (await SayAsync(_teacher, "31.02 10:00")).Text);
        Assert.Equal(Ru.DateInputError(ConsultBot.Domain.Consultations.DateInputError.NoSuchTime), (await SayAsync(_teacher, "25.12 25:61")).Text);
        var yesterday = TimeZoneInfo.ConvertTime(_clock.GetUtcNow().AddDays(-1), Moscow).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        Assert.Equal(Ru.DateInThePast, (await SayAsync(_teacher, yesterday)).Text);
        await SayAsync(_teacher, TimeZoneInfo.ConvertTime(Start, Moscow).ToString("dd.MM HH:mm", CultureInfo.InvariantCulture));
        foreach (var minutes in new[] { "0", "-15", "1000" })
        {
            Assert.Equal(Ru.DurationInvalid(10, 240), (await SayAsync(_teacher, minutes)).Text);
        }
        var kind = await SayAsync(_teacher, "30");
        await PressNextAsync(_teacher, kind, "групповая");
        foreach (var seats in new[] { "0", "10000" })
        {
            Assert.Equal(Ru.CapacityInvalid(100), (await SayAsync(_teacher, seats)).Text);
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM consultation_slots"));
    }
}
