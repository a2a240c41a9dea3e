using ConsultBot.Host.Consultations;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Scheduling;

/// <summary>Office hours turned into slots by the nightly job (needs the office_hours table and the repository's template methods).</summary>
public sealed class OfficeHoursJobTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>Monday 23 Nov 2026, 02:15 in Moscow.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 2, 15, 0, Moscow).ToUniversalTime());
    private readonly ConsultationSeed _seed = new(db);

    public async Task InitializeAsync() => await db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunAsync_AddsTemplateSlotsInSchoolTime_OnceWhenRunTwice()
    {
        var teacher = await _seed.PersonAsync("teacher", "Петрова Анна Ивановна", chat: "teacher");
        var math = await _seed.SubjectAsync("Математика");
        // Tuesdays 15:00–16:00 local, 20-minute slots; day_of_week as .NET's DayOfWeek (Tuesday = 2) in either numbering.
        var template = await db.ScalarAsync<long>(
            """
            INSERT INTO office_hours (teacher_id, subject_id, day_of_week, from_time, to_time, slot_minutes, link, active)
            VALUES (@teacher, @subject, 2, '15:00', '16:00', 20, 'https://meet.example.org/office', true) RETURNING id
            """, ("teacher", teacher), ("subject", math));
        await db.ExecuteAsync(
            """
            INSERT INTO office_hours (teacher_id, subject_id, day_of_week, from_time, to_time, slot_minutes, link, active)
            VALUES (@teacher, @subject, 4, '15:00', '16:00', 20, 'https://meet.example.org/office', false)
            """, ("teacher", teacher), ("subject", math));

        await RunAsync();
        await RunAsync();

        var starts = await db.ScalarAsync<DateTime[]>(
            "SELECT array_agg(starts_at ORDER BY starts_at) FROM consultation_slots WHERE template_id = @template AND status = 'open'",
            ("template", template));
        Assert.Equal(
            [
                new DateTimeOffset(2026, 11, 24, 15, 0, 0, Moscow), new DateTimeOffset(2026, 11, 24, 15, 20, 0, Moscow),
                new DateTimeOffset(2026, 11, 24, 15, 40, 0, Moscow), new DateTimeOffset(2026, 12, 1, 15, 0, 0, Moscow),
                new DateTimeOffset(2026, 12, 1, 15, 20, 0, Moscow), new DateTimeOffset(2026, 12, 1, 15, 40, 0, Moscow),
            ],
            starts.Select(s => new DateTimeOffset(s, TimeSpan.Zero).ToOffset(Moscow)));
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_slots"));
    }

    private Task RunAsync() =>
        new OfficeHoursJob(db.DataSource, Options.Create(new SchoolOptions { TimeZone = "Europe/Moscow" }),
                Options.Create(new ConsultationsOptions { OfficeHoursWeeksAhead = 2 }), new SchoolClock(_clock), NullLogger<OfficeHoursJob>.Instance)
            .RunAsync(CancellationToken.None);
}
