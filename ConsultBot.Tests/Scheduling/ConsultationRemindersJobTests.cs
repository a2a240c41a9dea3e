using ConsultBot.Host.Consultations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Scheduling;

/// <summary>Consultation reminders planned into the outbox (offsets 1440 and 60 minutes, school zone Europe/Moscow).</summary>
public sealed class ConsultationRemindersJobTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    /// <summary>Thursday 26 Nov 2026, 15:00 in Moscow.</summary>
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LongAgo = Start.AddDays(-5);

    private readonly ConsultationSeed _seed = new(db);
    private FakeTimeProvider _clock = new(Start.AddDays(-3));

    /// <summary>The school clock set to any moment, earlier ones too (a FakeTimeProvider only moves forward, so a jump back is a new one).</summary>
    private void JumpTo(DateTimeOffset now) => _clock = new FakeTimeProvider(now.ToUniversalTime());

    private long _teacher;
    private long _student;
    private long _math;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _teacher = await _seed.PersonAsync("teacher", "Петрова Анна Ивановна", "ru", chat: "teacher");
        _student = await _seed.PersonAsync("student", "Ivanov Ivan", "en", group: "7B", chat: "student");
        _math = await _seed.SubjectAsync("Математика");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunAsync_PlansOnce_WhenRunTwice()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        var booking = await _seed.BookAsync(slot, _student, LongAgo);
        _clock.SetUtcNow(Start.AddHours(-24).AddMinutes(1));

        await RunAsync();
        await RunAsync();

        var rows = await _seed.OutboxAsync();
        Assert.Equal([$"crem:b:{booking}:1440", $"crem:t:{slot}:1440"], rows.Select(r => r.Key));
        Assert.All(rows, r => Assert.Equal("pending", r.Status));
    }

    [Fact]
    public async Task RunAsync_PlansNothing_WhenBookingOrSlotCancelled()
    {
        var open = await _seed.SlotAsync(_teacher, _math, Start);
        await _seed.BookAsync(open, _student, LongAgo, status: "cancelled");
        var cancelled = await _seed.SlotAsync(_teacher, _math, Start.AddHours(2), status: "cancelled");
        await _seed.BookAsync(cancelled, _student, LongAgo);
        _clock.SetUtcNow(Start.AddMinutes(-30));

        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_Plans24HourReminder_WhenItsMomentComesAndNotBefore()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        var booking = await _seed.BookAsync(slot, _student, LongAgo);

        _clock.SetUtcNow(Start.AddHours(-24).AddMinutes(-1));
        await RunAsync();
        Assert.Empty(await _seed.OutboxAsync());

        _clock.SetUtcNow(Start.AddHours(-24));
        await RunAsync();
        var student = Assert.Single(await _seed.OutboxAsync(), r => r.PersonId == _student);
        Assert.Equal($"crem:b:{booking}:1440", student.Key);
        Assert.Contains("Reminder: consultation tomorrow", student.Text, StringComparison.Ordinal);
        Assert.Contains("Thu 26 Nov, 15:00–15:30", student.Text, StringComparison.Ordinal);
        Assert.Contains("online: https://meet.example.org/math", student.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SendsLateOnlyTheLatestReminder_WhenHostWasDownOverTheMoment()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start, link: null, room: "12");
        var booking = await _seed.BookAsync(slot, _student, LongAgo);
        _clock.SetUtcNow(Start.AddMinutes(-30));

        await RunAsync();

        var rows = await _seed.OutboxAsync();
        Assert.Equal([$"crem:b:{booking}:60", $"crem:t:{slot}:60"], rows.Select(r => r.Key));
        var student = rows.Single(r => r.PersonId == _student);
        Assert.Contains("in 30 min", student.Text, StringComparison.Ordinal);
        Assert.Contains("room 12", student.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PlansNothing_WhenConsultationHasStarted()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        await _seed.BookAsync(slot, _student, LongAgo);

        _clock.SetUtcNow(Start);
        await RunAsync();
        _clock.SetUtcNow(Start.AddMinutes(10));
        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_SkipsOlderReminder_WhenBookingBecameActiveAfterItsMoment()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        var booking = await _seed.BookAsync(slot, _student, Start.AddHours(-10));

        _clock.SetUtcNow(Start.AddHours(-9));
        await RunAsync();
        Assert.Empty(await _seed.OutboxAsync());

        _clock.SetUtcNow(Start.AddHours(-1));
        await RunAsync();
        var student = Assert.Single(await _seed.OutboxAsync(), r => r.PersonId == _student);
        Assert.Equal($"crem:b:{booking}:60", student.Key);
        Assert.Contains("in 1 h", student.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RemindsOfNewTime_WhenBookingWasMoved()
    {
        var old = await _seed.SlotAsync(_teacher, _math, Start);
        var moved = await _seed.SlotAsync(_teacher, _math, Start.AddHours(3));
        var oldBooking = await _seed.BookAsync(old, _student, LongAgo, status: "cancelled");
        var newBooking = await _seed.BookAsync(moved, _student, LongAgo.AddDays(1));
        _clock.SetUtcNow(Start.AddHours(2));

        await RunAsync();

        var student = Assert.Single(await _seed.OutboxAsync(), r => r.PersonId == _student);
        Assert.Equal($"crem:b:{newBooking}:60", student.Key);
        Assert.Contains("18:00–18:30", student.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await _seed.OutboxAsync(), r => r.Key!.StartsWith($"crem:b:{oldBooking}:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RemindsParentWhoBooked_SayingForWhom()
    {
        var parent = await _seed.PersonAsync("parent", "Иванова Мария Петровна", "ru", chat: "parent");
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        var booking = await _seed.BookAsync(slot, _student, LongAgo, bookedBy: parent);
        _clock.SetUtcNow(Start.AddMinutes(-60));

        await RunAsync();

        var rows = await _seed.OutboxAsync();
        Assert.Equal([$"crem:b:{booking}:60", $"crem:bp:{booking}:60", $"crem:t:{slot}:60"], rows.Select(r => r.Key));
        var toParent = rows.Single(r => r.Key == $"crem:bp:{booking}:60");
        Assert.Equal(parent, toParent.PersonId);
        Assert.Equal("parent", toParent.ChatId);
        Assert.Contains("Напоминание: через 1 ч консультация (Ivanov Ivan)", toParent.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("(Ivanov Ivan)", rows.Single(r => r.PersonId == _student).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RemindsTeacherOncePerSlot_ListingActiveBookingsOnly()
    {
        var second = await _seed.PersonAsync("student", "Сидоров Пётр", "ru", group: "8А", chat: "second");
        var waiting = await _seed.PersonAsync("student", "Орлова Ольга", "ru", chat: "waiting");
        var gone = await _seed.PersonAsync("student", "Кузнецов Олег", "ru", chat: "gone");
        var group = await _seed.SlotAsync(_teacher, _math, Start, kind: "group", capacity: 2);
        await _seed.BookAsync(group, _student, LongAgo, topic: "дроби");
        await _seed.BookAsync(group, second, LongAgo.AddHours(1));
        await _seed.BookAsync(group, gone, LongAgo, status: "cancelled");
        await _seed.BookAsync(group, waiting, LongAgo, status: "waiting");
        var empty = await _seed.SlotAsync(_teacher, _math, Start.AddHours(2));
        _clock.SetUtcNow(Start.AddMinutes(-60));

        await RunAsync();

        var rows = await _seed.OutboxAsync();
        var toTeacher = Assert.Single(rows, r => r.PersonId == _teacher);
        Assert.Equal($"crem:t:{group}:60", toTeacher.Key);
        Assert.Contains("через 1 ч ваша консультация", toTeacher.Text, StringComparison.Ordinal);
        Assert.Contains("Записаны:\n1. Ivanov Ivan, 7B — «дроби»\n2. Сидоров Пётр, 8А", toTeacher.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Кузнецов", toTeacher.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Орлова", toTeacher.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.PersonId == waiting || r.PersonId == gone);
        Assert.DoesNotContain(rows, r => r.Key!.StartsWith($"crem:t:{empty}:", StringComparison.Ordinal));
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task RunAsync_WritesToPreferredReachableAccount_WithPersonId()
    {
        var pupil = await _seed.PersonAsync("student", "Смирнова Вера", "ru");
        await _seed.AccountAsync(pupil, "telegram", "blocked", preferred: true, reachable: false, createdAt: LongAgo);
        await _seed.AccountAsync(pupil, "web", "newer", preferred: false, reachable: true, createdAt: LongAgo.AddHours(1));
        await _seed.AccountAsync(pupil, "telegram", "older", preferred: false, reachable: true, createdAt: LongAgo.AddMinutes(-1));
        var unreachable = await _seed.PersonAsync("student", "Без Связи", "ru");
        await _seed.AccountAsync(unreachable, "telegram", "nowhere", preferred: true, reachable: false, createdAt: LongAgo);
        var slot = await _seed.SlotAsync(_teacher, _math, Start, kind: "group", capacity: 5);
        await _seed.BookAsync(slot, pupil, LongAgo);
        await _seed.BookAsync(slot, unreachable, LongAgo);
        _clock.SetUtcNow(Start.AddMinutes(-60));

        await RunAsync();

        var rows = await _seed.OutboxAsync();
        var row = Assert.Single(rows, r => r.PersonId == pupil);
        Assert.Equal(("telegram", "older"), (row.Channel, row.ChatId));
        Assert.DoesNotContain(rows, r => r.PersonId == unreachable);
        Assert.Equal(("web", "teacher"), (rows.Single(r => r.PersonId == _teacher).Channel, rows.Single(r => r.PersonId == _teacher).ChatId));
    }

    [Fact]
    public async Task RunAsync_WritesEachRecipientInTheirLanguage()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        await _seed.BookAsync(slot, _student, LongAgo);
        _clock.SetUtcNow(Start.AddMinutes(-60));

        await RunAsync();

        var rows = await _seed.OutboxAsync();
        var student = rows.Single(r => r.PersonId == _student).Text;
        var teacher = rows.Single(r => r.PersonId == _teacher).Text;
        Assert.StartsWith("⏰ Reminder: consultation in 1 h.", student, StringComparison.Ordinal);
        Assert.Contains("Thu 26 Nov, 15:00–15:30", student, StringComparison.Ordinal);
        Assert.StartsWith("⏰ через 1 ч ваша консультация.", teacher, StringComparison.Ordinal);
        Assert.Contains("Математика", teacher, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PlansOnce_WhenClockJumpsForwardOverTheMomentAndBack()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        var booking = await _seed.BookAsync(slot, _student, Start.AddHours(-3));

        _clock.SetUtcNow(Start.AddHours(-2));
        await RunAsync();
        Assert.Empty(await _seed.OutboxAsync());

        // Forward over the 1 h moment, back before it, forward again.
        foreach (var now in new[] { Start.AddMinutes(-30), Start.AddHours(-2), Start.AddMinutes(-30), Start.AddMinutes(-50) })
        {
            JumpTo(now);
            await RunAsync();
            Assert.Equal([$"crem:b:{booking}:60", $"crem:t:{slot}:60"], (await _seed.OutboxAsync()).Select(r => r.Key));
        }
    }

    [Fact]
    public async Task RunAsync_NeverSendsTheDayBeforeReminderAfterTheHourBefore_WhenClockJumpsOverBothAndBack()
    {
        var slot = await _seed.SlotAsync(_teacher, _math, Start);
        var booking = await _seed.BookAsync(slot, _student, LongAgo);

        _clock.SetUtcNow(Start.AddHours(-25));
        await RunAsync();
        Assert.Empty(await _seed.OutboxAsync());

        // Forward across midnight over both moments: only the latest goes out. Then back to where "tomorrow" is due
        // again (and its moment passes once more): nothing follows the "in 1 h" already sent.
        foreach (var now in new[] { Start.AddMinutes(-30), Start.AddHours(-2), Start.AddHours(-25), Start.AddHours(-23), Start.AddMinutes(-20) })
        {
            JumpTo(now);
            await RunAsync();
            var rows = await _seed.OutboxAsync();
            Assert.Equal([$"crem:b:{booking}:60", $"crem:t:{slot}:60"], rows.Select(r => r.Key));
            Assert.Contains("in 30 min", rows.Single(r => r.PersonId == _student).Text, StringComparison.Ordinal);
        }
    }

    private Task RunAsync() =>
        new ConsultationRemindersJob(db.DataSource, Options.Create(new ConsultationsOptions()),
                Options.Create(new SchoolOptions { TimeZone = "Europe/Moscow" }), new OutboxSignal(), new SchoolClock(_clock),
                NullLogger<ConsultationRemindersJob>.Instance)
            .RunAsync(CancellationToken.None);
}
