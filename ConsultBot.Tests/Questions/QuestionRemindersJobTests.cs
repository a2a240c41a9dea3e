using System.Text.Json;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Questions;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Questions;

/// <summary>The daily reminder of unanswered questions, in a school zone three hours east of UTC.</summary>
public sealed class QuestionRemindersJobTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>Thursday 26 Nov 2026, 09:00 local.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 11, 26, 9, 0, 0, Moscow);

    private readonly ConsultationSeed _seed = new(db);
    private FakeTimeProvider _clock = new(Morning.ToUniversalTime());

    /// <summary>The school clock set to any moment, earlier ones too (a FakeTimeProvider only moves forward, so a jump back is a new one).</summary>
    private void JumpTo(DateTimeOffset now) => _clock = new FakeTimeProvider(now.ToUniversalTime());


    public async Task InitializeAsync() => await db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<long> QuestionAsync(long asker, long subject, long? teacher, DateTimeOffset waitingSince, string status = "open")
    {
        var id = await db.ScalarAsync<long>(
            """
            INSERT INTO questions (asker_id, subject_id, teacher_id, status, waiting_since, created_at)
            VALUES (@asker, @subject, @teacher, @status, CASE WHEN @status = 'open' THEN @at END, @at) RETURNING id
            """, ("asker", asker), ("subject", subject), ("teacher", (object?)teacher ?? DBNull.Value), ("status", status),
            ("at", waitingSince.ToUniversalTime()));
        await db.ExecuteAsync("INSERT INTO question_messages (question_id, author_id, from_asker, body, created_at) VALUES (@q, @a, true, 'текст', @at)",
            ("q", id), ("a", asker), ("at", waitingSince.ToUniversalTime()));
        return id;
    }

    private Task RunAsync(int afterHours = 24) =>
        new QuestionRemindersJob(db.DataSource, Options.Create(new SchoolOptions { TimeZone = "Europe/Moscow" }),
                Options.Create(new QuestionsOptions { ReminderAfterHours = afterHours }), new OutboxSignal(), new SchoolClock(_clock),
                NullLogger<QuestionRemindersJob>.Instance)
            .RunAsync(CancellationToken.None);

    [Fact]
    public async Task RunAsync_RemindsEachTeacherOfTheirOldUnansweredQuestions_OncePerDay_WhenRunTwice()
    {
        var student = await _seed.PersonAsync("student", "Анна Белова", chat: "anna");
        var petrova = await _seed.PersonAsync("teacher", "Петрова Мария", chat: "petrova");
        var smith = await _seed.PersonAsync("teacher", "Smith John", "en", chat: "smith");
        var fresh = await _seed.PersonAsync("teacher", "Новиков", chat: "fresh");
        var gone = await _seed.PersonAsync("teacher", "Уволенный", chat: "gone");
        await db.ExecuteAsync("UPDATE persons SET status = 'deactivated' WHERE id = @id", ("id", gone));
        var math = await _seed.SubjectAsync("Математика");
        var physics = await _seed.SubjectAsync("Физика");
        foreach (var (teacher, subject) in new[] { (petrova, math), (smith, math), (fresh, physics), (gone, math) })
        {
            await db.ExecuteAsync("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@t, @s)", ("t", teacher), ("s", subject));
        }
        // Petrova: one addressed to her 2 days old, one unassigned 30 h old (also Smith's), one addressed 5 h old (too fresh),
        // one answered 3 days ago and one closed: 2 counted, the oldest since 24.11 09:00.
        await QuestionAsync(student, math, petrova, Morning.AddDays(-2));
        await QuestionAsync(student, math, null, Morning.AddHours(-30));
        await QuestionAsync(student, math, petrova, Morning.AddHours(-5));
        await QuestionAsync(student, math, petrova, Morning.AddDays(-3), status: "answered");
        await QuestionAsync(student, math, petrova, Morning.AddDays(-3), status: "closed");
        await QuestionAsync(student, physics, fresh, Morning.AddHours(-2));
        await QuestionAsync(student, math, gone, Morning.AddDays(-4));

        await RunAsync();
        await RunAsync();

        var rows = await _seed.OutboxAsync();
        Assert.Equal([$"questions:{petrova}:2026-11-26", $"questions:{smith}:2026-11-26"], rows.Select(r => r.Key));
        Assert.Equal("⏰ Вопросов без ответа: 2. Самый давний ждёт с 24.11 09:00.", rows[0].Text);
        Assert.Equal(("web", "petrova", (long?)petrova), (rows[0].Channel, rows[0].ChatId, rows[0].PersonId));
        Assert.Equal("⏰ Unanswered questions: 1. The oldest has waited since 25.11 03:00.", rows[1].Text);
        var body = await db.ScalarAsync<string>("SELECT body::text FROM outbox WHERE dedupe_key = @k", ("k", $"questions:{petrova}:2026-11-26"));
        var button = JsonDocument.Parse(body).RootElement.GetProperty("keyboard").GetProperty("rows")[0][0];
        Assert.Equal("qa:0:l", button.GetProperty("payload").GetString());

        // The next day the reminder comes again (the questions still wait), and Novikov's question is now old enough too.
        _clock.Advance(TimeSpan.FromDays(1));
        await RunAsync();
        Assert.Equal(new[] { $"questions:{fresh}:2026-11-27", $"questions:{petrova}:2026-11-27", $"questions:{smith}:2026-11-27" }.Order(StringComparer.Ordinal),
            (await _seed.OutboxAsync()).Select(r => r.Key).Where(k => k!.EndsWith("27", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("Вопросов без ответа: 3.", (await _seed.OutboxAsync()).Single(r => r.Key == $"questions:{petrova}:2026-11-27").Text,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PlansNothing_WhenEveryQuestionIsYoungerThanTheThreshold()
    {
        var student = await _seed.PersonAsync("student", "Анна", chat: "anna");
        var teacher = await _seed.PersonAsync("teacher", "Петрова", chat: "petrova");
        var math = await _seed.SubjectAsync("Математика");
        await QuestionAsync(student, math, teacher, Morning.AddHours(-23));

        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
        await RunAsync(afterHours: 12);
        Assert.Single(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_DoesNotRemindATimetableTeacherOrAnAdministrator_OfAnUnassignedConfidentialQuestion()
    {
        var student = await _seed.PersonAsync("student", "Анна Белова", group: "7Б", chat: "anna");
        var lessonTeacher = await _seed.PersonAsync("teacher", "Учитель По Расписанию", chat: "lessons");
        var admin = await _seed.PersonAsync("admin", "Завуч", chat: "admin");
        var psychologist = await _seed.PersonAsync("teacher", "Психолог", chat: "psy");
        var psychology = await db.ScalarAsync<long>("INSERT INTO subjects (name, confidential) VALUES ('Психология', true) RETURNING id");
        var group = await db.ScalarAsync<long>("SELECT group_id FROM persons WHERE id = @id", ("id", student));
        await db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id)
            VALUES (@g, '2026-11-26', '2026-11-26 06:00Z', '2026-11-26 06:45Z', '2026-11-26 06:00Z', @s, @t)
            """,
            ("g", group), ("s", psychology), ("t", lessonTeacher));
        foreach (var teacher in new[] { admin, psychologist })
        {
            await db.ExecuteAsync("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@t, @s)", ("t", teacher), ("s", psychology));
        }
        await db.ExecuteAsync(
            """
            INSERT INTO questions (asker_id, subject_id, confidential, anonymous, status, waiting_since, created_at)
            VALUES (@a, @s, true, true, 'open', @at, @at)
            """, ("a", student), ("s", psychology), ("at", Morning.AddDays(-2).ToUniversalTime()));

        await RunAsync();

        Assert.Equal([$"questions:{psychologist}:2026-11-26"], (await _seed.OutboxAsync()).Select(r => r.Key));
    }

    [Fact]
    public async Task RunAsync_PlansOnce_WhenClockJumpsForwardOverTheThresholdAndBack()
    {
        var student = await _seed.PersonAsync("student", "Анна", chat: "anna");
        var teacher = await _seed.PersonAsync("teacher", "Петрова", chat: "petrova");
        var math = await _seed.SubjectAsync("Математика");
        await QuestionAsync(student, math, teacher, Morning.AddHours(-23));

        await RunAsync();
        Assert.Empty(await _seed.OutboxAsync());

        // 09:00 → 11:00 (the question passes 24 h), back to 09:00, forward again.
        foreach (var hours in new[] { 2, 0, 2, 3 })
        {
            JumpTo(Morning.AddHours(hours));
            await RunAsync();
            Assert.Equal([$"questions:{teacher}:2026-11-26"], (await _seed.OutboxAsync()).Select(r => r.Key));
        }
    }

    [Fact]
    public async Task RunAsync_RemindsOnce_WhenClockJumpsBackAcrossMidnight()
    {
        var student = await _seed.PersonAsync("student", "Анна", chat: "anna");
        var teacher = await _seed.PersonAsync("teacher", "Петрова", chat: "petrova");
        var math = await _seed.SubjectAsync("Математика");
        // Waiting since Tuesday 12:00: old enough on Wednesday 23:00 and on Thursday 09:00, not on Wednesday 09:00.
        await QuestionAsync(student, math, teacher, Morning.AddHours(-45));

        await RunAsync();
        Assert.Equal([$"questions:{teacher}:2026-11-26"], (await _seed.OutboxAsync()).Select(r => r.Key));

        // Thursday 09:00 → Wednesday 23:00 (the day before): no second reminder; Thursday again: none either.
        foreach (var at in new[] { Morning.AddHours(-10), Morning.AddHours(1) })
        {
            JumpTo(at);
            await RunAsync();
            Assert.Equal([$"questions:{teacher}:2026-11-26"], (await _seed.OutboxAsync()).Select(r => r.Key));
        }
    }
}
