using ConsultBot.Host.Consultations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Scheduling;

/// <summary>The teachers' evening digest of tomorrow's consultations, in a school zone five hours east of UTC.</summary>
public sealed class TeacherDigestJobTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Yekaterinburg = TimeSpan.FromHours(5);

    /// <summary>Wednesday 25 Nov 2026, 18:00 local (13:00 UTC): "tomorrow" is Thursday 26 Nov, local.</summary>
    private static readonly DateTimeOffset Evening = new(2026, 11, 25, 18, 0, 0, Yekaterinburg);

    private readonly ConsultationSeed _seed = new(db);
    private readonly FakeTimeProvider _clock = new(Evening.ToUniversalTime());

    public async Task InitializeAsync() => await db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunAsync_ListsTomorrowsSlotsByLocalDate_AcrossMidnightUtc()
    {
        var teacher = await _seed.PersonAsync("teacher", "Петрова Анна Ивановна", "ru", chat: "teacher");
        var student = await _seed.PersonAsync("student", "Иванов Иван", "ru", group: "7Б", chat: "student");
        var waiting = await _seed.PersonAsync("student", "Орлова Ольга", "ru", chat: "waiting");
        var math = await _seed.SubjectAsync("Математика");
        // 00:30 local on the 26th is still the 25th in UTC; 00:30 local on the 27th is the 26th in UTC.
        var early = await _seed.SlotAsync(teacher, math, new DateTimeOffset(2026, 11, 26, 0, 30, 0, Yekaterinburg), kind: "group", capacity: 10);
        await _seed.SlotAsync(teacher, math, new DateTimeOffset(2026, 11, 26, 23, 30, 0, Yekaterinburg), link: null, room: "214");
        await _seed.SlotAsync(teacher, math, new DateTimeOffset(2026, 11, 27, 0, 30, 0, Yekaterinburg));
        await _seed.SlotAsync(teacher, math, new DateTimeOffset(2026, 11, 25, 23, 0, 0, Yekaterinburg));
        await _seed.SlotAsync(teacher, math, new DateTimeOffset(2026, 11, 26, 12, 0, 0, Yekaterinburg), status: "cancelled");
        await _seed.BookAsync(early, student, Evening.AddDays(-2), topic: "дроби");
        await _seed.BookAsync(early, waiting, Evening.AddDays(-1), status: "waiting");
        var idle = await _seed.PersonAsync("teacher", "Сидоров Пётр", "ru", chat: "idle");
        await _seed.SlotAsync(idle, math, new DateTimeOffset(2026, 11, 27, 10, 0, 0, Yekaterinburg));

        await RunAsync();

        var row = Assert.Single(await _seed.OutboxAsync());
        Assert.Equal($"digest:{teacher}:2026-11-26", row.Key);
        Assert.Equal((teacher, "teacher"), (row.PersonId, row.ChatId));
        Assert.Equal(
            """
            Ваши консультации завтра, четверг, 26 ноября:

            🗓 чт, 26 ноября, 00:30–01:00
            Математика · групповая · обзорная, онлайн: https://meet.example.org/math
            1. Иванов Иван, 7Б — «дроби»
            в листе ожидания: 1

            🗓 чт, 26 ноября, 23:30–00:00
            Математика · индивидуальная · обзорная, кабинет 214
            записей нет
            """, row.Text);
    }

    [Fact]
    public async Task RunAsync_PlansOneDigestPerTeacher_WhenRunTwice()
    {
        var first = await _seed.PersonAsync("teacher", "Петрова Анна Ивановна", "ru", chat: "first");
        var second = await _seed.PersonAsync("teacher", "Smith John", "en", chat: "second");
        await _seed.SlotAsync(first, null, new DateTimeOffset(2026, 11, 26, 10, 0, 0, Yekaterinburg));
        await _seed.SlotAsync(first, null, new DateTimeOffset(2026, 11, 26, 11, 0, 0, Yekaterinburg));
        await _seed.SlotAsync(second, null, new DateTimeOffset(2026, 11, 26, 10, 0, 0, Yekaterinburg));

        await RunAsync();
        await RunAsync();

        var rows = await _seed.OutboxAsync();
        Assert.Equal([$"digest:{first}:2026-11-26", $"digest:{second}:2026-11-26"], rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.StartsWith("Your consultations tomorrow, Thursday, 26 Nov:", rows.Single(r => r.PersonId == second).Text, StringComparison.Ordinal);
    }

    private Task RunAsync() =>
        new TeacherDigestJob(db.DataSource, Options.Create(new SchoolOptions { TimeZone = "Asia/Yekaterinburg" }), new OutboxSignal(), new SchoolClock(_clock),
                NullLogger<TeacherDigestJob>.Instance)
            .RunAsync(CancellationToken.None);
}
