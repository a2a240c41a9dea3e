using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using ConsultBot.Host.Timetable;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Timetable;

/// <summary>
/// Daily lesson reminders planned into the outbox, school zone Asia/Yekaterinburg (UTC+5), default time 07:30,
/// evening-before time 19:00. Lessons on Wednesday 25 Nov 2026 unless a test says otherwise.
/// </summary>
public sealed class DailyRemindersJobTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Yekaterinburg = TimeSpan.FromHours(5);
    private static readonly DateOnly Wednesday = new(2026, 11, 25);

    private readonly ConsultationSeed _seed = new(db);
    private FakeTimeProvider _clock = new(At(Wednesday, 6, 0));

    /// <summary>The school clock set to any moment, earlier ones too (a FakeTimeProvider only moves forward, so a jump back is a new one).</summary>
    private void JumpTo(DateTimeOffset now) => _clock = new FakeTimeProvider(now.ToUniversalTime());

    private long _teacher;
    private long _math;
    private long _physics;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _teacher = await _seed.PersonAsync("teacher", "Петрова Анна Ивановна", "ru", chat: "teacher");
        _math = await _seed.SubjectAsync("Математика");
        _physics = await _seed.SubjectAsync("Физика");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RunAsync_PlansNothing_BeforeTheReminderTime()
    {
        await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);
        _clock.SetUtcNow(At(Wednesday, 7, 29));

        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_PlansOneCorrectReminderPerStudent_AtTheReminderTime()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        var olga = await _seed.PersonAsync("student", "Орлова Ольга", group: "7Б", chat: "olga");
        var other = await _seed.PersonAsync("student", "Smith John", "en", group: "8A", chat: "john");
        var substitute = await _seed.PersonAsync("teacher", "Сидоров Пётр", chat: "sidorov");
        var chemistry = await _seed.SubjectAsync("Химия");
        // Out of order on purpose: the reminder lists them by time.
        await LessonAsync("7Б", _physics, _teacher, Wednesday, 9, 30, room: null, link: "https://meet.example.org/phys", substitute: substitute);
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30, room: "214");
        await LessonAsync("7Б", chemistry, _teacher, Wednesday, 10, 30, status: "cancelled");
        await LessonAsync("7Б", _math, _teacher, Wednesday.AddDays(1), 8, 30);
        await LessonAsync("8A", _math, _teacher, Wednesday, 12, 0, room: "301");
        await MaterialAsync(_math, "Дроби", "https://example.org/fractions", Wednesday, "7Б");
        await MaterialAsync(_math, "Задачи", "https://example.org/tasks", Wednesday, "7Б");
        await MaterialAsync(_math, "Другой день", "https://example.org/later", Wednesday.AddDays(1), "7Б");
        await MaterialAsync(_physics, "Другой предмет", "https://example.org/phys", null, "7Б");
        await MaterialAsync(_math, "Другой класс", "https://example.org/8a", Wednesday, "8A");
        _clock.SetUtcNow(At(Wednesday, 7, 30));

        await RunAsync();
        await RunAsync();

        var rows = (await _seed.OutboxAsync()).Where(r => r.PersonId != _teacher && r.PersonId != substitute).ToList();
        Assert.Equal([$"daily:{ivan}:0:2026-11-25", $"daily:{olga}:0:2026-11-25", $"daily:{other}:0:2026-11-25"],
            rows.Select(r => r.Key!).OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal));
        const string expected =
            """
            📚 Уроки — среда, 25 ноября:

            08:30–09:15 · Математика
            Петрова Анна Ивановна · кабинет 214
            📎 Дроби: https://example.org/fractions
            📎 Задачи: https://example.org/tasks

            09:30–10:15 · Физика
            Сидоров Пётр (замена) · онлайн: https://meet.example.org/phys
            """;
        Assert.Equal(expected, rows.Single(r => r.PersonId == ivan).Text);
        Assert.Equal(("web", "ivan"), (rows.Single(r => r.PersonId == ivan).Channel, rows.Single(r => r.PersonId == ivan).ChatId));
        Assert.Equal(expected, rows.Single(r => r.PersonId == olga).Text);
        Assert.Equal(
            """
            📚 Lessons — Wednesday, 25 Nov:

            12:00–12:45 · Математика
            Петрова Анна Ивановна · room 301
            📎 Другой класс: https://example.org/8a
            """, rows.Single(r => r.PersonId == other).Text);
        Assert.All(rows, r => Assert.Equal("pending", r.Status));
    }

    [Fact]
    public async Task RunAsync_PlansNothing_OnADayWithoutLessons()
    {
        await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        await _seed.PersonAsync("student", "Орлова Ольга", group: "8A", chat: "olga");
        await LessonAsync("7Б", _math, _teacher, Wednesday.AddDays(1), 8, 30);
        await LessonAsync("8A", _math, _teacher, Wednesday, 8, 30, status: "cancelled");
        _clock.SetUtcNow(At(Wednesday, 12, 0));

        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_PlansNothing_WhenRemindersAreOff()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        await SettingsAsync(_teacher, enabled: false);
        await SettingsAsync(ivan, enabled: false);
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);
        _clock.SetUtcNow(At(Wednesday, 12, 0));

        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_WaitsForTheChosenHour()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        var olga = await _seed.PersonAsync("student", "Орлова Ольга", group: "7Б", chat: "olga");
        await SettingsAsync(ivan, sendAt: new TimeOnly(8, 0));
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);

        _clock.SetUtcNow(At(Wednesday, 7, 30));
        await RunAsync();
        Assert.Equal([olga], await StudentRecipientsAsync(ivan, olga));

        _clock.SetUtcNow(At(Wednesday, 8, 0));
        await RunAsync();
        Assert.Equal([ivan, olga], await StudentRecipientsAsync(ivan, olga));
    }

    [Fact]
    public async Task RunAsync_SendsTomorrowsLessonsTheEveningBefore_AndNotAgainInTheMorning()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        await SettingsAsync(ivan, eveningBefore: true);
        var thursday = Wednesday.AddDays(1);
        await LessonAsync("7Б", _physics, _teacher, Wednesday, 9, 0);
        await LessonAsync("7Б", _math, _teacher, thursday, 8, 30);

        // Wednesday's lessons were due Tuesday evening, missed (no job ran): they go at the first run on Wednesday.
        _clock.SetUtcNow(At(Wednesday, 6, 0));
        await RunAsync();
        _clock.SetUtcNow(At(Wednesday, 18, 59));
        await RunAsync();
        Assert.Equal([$"daily:{ivan}:0:2026-11-25"], (await RowsOfAsync(ivan)).Select(r => r.Key));

        _clock.SetUtcNow(At(Wednesday, 19, 0));
        await RunAsync();
        var rows = await RowsOfAsync(ivan);
        Assert.Equal([$"daily:{ivan}:0:2026-11-25", $"daily:{ivan}:0:2026-11-26"], rows.Select(r => r.Key));
        Assert.StartsWith("📚 Уроки — четверг, 26 ноября:\n\n08:30–09:15 · Математика", rows[1].Text, StringComparison.Ordinal);

        _clock.SetUtcNow(At(thursday, 7, 30));
        await RunAsync();
        Assert.Equal(2, (await RowsOfAsync(ivan)).Count);
    }

    [Fact]
    public async Task RunAsync_SendsTodaysReminder_WhenTheHostStartsLaterThatDay()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);
        _clock.SetUtcNow(At(Wednesday, 12, 0));

        await RunAsync();

        Assert.Equal([$"daily:{ivan}:0:2026-11-25"], (await RowsOfAsync(ivan)).Select(r => r.Key));
    }

    [Fact]
    public async Task RunAsync_NeverSendsYesterdaysReminder()
    {
        await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        var olga = await _seed.PersonAsync("student", "Орлова Ольга", group: "7Б", chat: "olga");
        await SettingsAsync(olga, eveningBefore: true);
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);
        _clock.SetUtcNow(At(Wednesday.AddDays(1), 7, 45));

        await RunAsync();

        Assert.Empty(await _seed.OutboxAsync());
    }

    [Fact]
    public async Task RunAsync_SendsParentsOneMessagePerFollowedChild()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        var maria = await _seed.PersonAsync("student", "Иванова Мария", group: "5А", chat: "maria");
        var parent = await _seed.PersonAsync("parent", "Иванова Елена", chat: "parent");
        var both = await _seed.PersonAsync("parent", "Brown Ann", "en", chat: "both");
        await LinkAsync(parent, ivan, follows: true);
        await LinkAsync(parent, maria, follows: false);
        await LinkAsync(both, ivan, follows: true);
        await LinkAsync(both, maria, follows: true);
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30, room: "214");
        await LessonAsync("5А", _physics, _teacher, Wednesday, 10, 0, room: "105");
        _clock.SetUtcNow(At(Wednesday, 7, 30));

        await RunAsync();

        var rows = await RowsOfAsync(parent);
        var row = Assert.Single(rows);
        Assert.Equal($"daily:{parent}:{ivan}:2026-11-25", row.Key);
        Assert.Equal(
            """
            📚 Уроки — среда, 25 ноября (Иванов Иван):

            08:30–09:15 · Математика
            Петрова Анна Ивановна · кабинет 214
            """, row.Text);
        var hers = await RowsOfAsync(both);
        Assert.Equal([$"daily:{both}:{ivan}:2026-11-25", $"daily:{both}:{maria}:2026-11-25"], hers.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains(hers, r => r.Text.StartsWith("📚 Lessons — Wednesday, 25 Nov (Иванова Мария):", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_SendsTeachersTheirOwnDayPlan()
    {
        var substitute = await _seed.PersonAsync("teacher", "Smith John", "en", chat: "smith");
        var idle = await _seed.PersonAsync("teacher", "Сидоров Пётр", chat: "idle");
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30, room: "214");
        await LessonAsync("8A", _math, _teacher, Wednesday, 9, 30, room: null, link: "https://meet.example.org/m");
        await LessonAsync("8A", _physics, _teacher, Wednesday, 10, 30, room: "105", substitute: substitute);
        await LessonAsync("8A", _physics, idle, Wednesday.AddDays(1), 10, 30);
        _clock.SetUtcNow(At(Wednesday, 7, 30));

        await RunAsync();

        var row = Assert.Single(await RowsOfAsync(_teacher));
        Assert.Equal(
            """
            📚 Ваши уроки — среда, 25 ноября:

            08:30–09:15 · Математика
            7Б · кабинет 214

            09:30–10:15 · Математика
            8A · онлайн: https://meet.example.org/m
            """, row.Text);
        Assert.Equal(
            """
            📚 Your lessons — Wednesday, 25 Nov:

            10:30–11:15 · Физика
            8A · room 105
            """, Assert.Single(await RowsOfAsync(substitute)).Text);
        Assert.Empty(await RowsOfAsync(idle));
    }

    [Fact]
    public async Task RunAsync_PlansOnce_WhenTwoJobsRunAtTheSameTime()
    {
        for (var i = 0; i < 40; i++)
        {
            await _seed.PersonAsync("student", $"Ученик {i}", group: i % 2 == 0 ? "7Б" : "8A", chat: $"s{i}");
        }
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);
        await LessonAsync("8A", _physics, _teacher, Wednesday, 8, 30);
        _clock.SetUtcNow(At(Wednesday, 7, 35));

        var added = await Task.WhenAll(RunAsync(), RunAsync());

        var rows = await _seed.OutboxAsync();
        Assert.Equal(41, rows.Count);
        Assert.Equal(41, rows.Select(r => r.PersonId).Distinct().Count());
        Assert.Equal(41, added.Sum());
    }

    private static DateTimeOffset At(DateOnly day, int hour, int minute) =>
        new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), Yekaterinburg).ToUniversalTime();

    private Task<int> RunAsync() =>
        new DailyRemindersJob(db.DataSource, Options.Create(new TimetableOptions()),
                Options.Create(new SchoolOptions { TimeZone = "Asia/Yekaterinburg" }), new OutboxSignal(), new SchoolClock(_clock),
                NullLogger<DailyRemindersJob>.Instance)
            .RunAsync(CancellationToken.None);

    private async Task<List<ConsultationSeed.OutboxRow>> RowsOfAsync(long person) =>
        (await _seed.OutboxAsync()).Where(r => r.PersonId == person).ToList();

    private async Task<List<long>> StudentRecipientsAsync(params long[] students) =>
        (await _seed.OutboxAsync()).Where(r => r.PersonId is { } p && students.Contains(p)).Select(r => r.PersonId!.Value).Order().ToList();

    [Fact]
    public async Task RunAsync_PlansOnce_WhenClockJumpsForwardOverTheReminderTimeAndBack()
    {
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        await LessonAsync("7Б", _math, _teacher, Wednesday, 8, 30);

        _clock.SetUtcNow(At(Wednesday, 7, 0));
        await RunAsync();
        Assert.Empty(await _seed.OutboxAsync());

        // Forward over 07:30, back before it, forward again.
        foreach (var (hour, minute) in new[] { (9, 0), (7, 0), (9, 0), (7, 29) })
        {
            JumpTo(At(Wednesday, hour, minute));
            await RunAsync();
            Assert.Equal(Keys((ivan, Wednesday), (_teacher, Wednesday)), await KeysAsync());
        }
    }

    [Fact]
    public async Task RunAsync_PlansEachDayOnce_WhenClockJumpsForwardAcrossMidnightAndBack()
    {
        var tuesday = Wednesday.AddDays(-1);
        var ivan = await _seed.PersonAsync("student", "Иванов Иван", group: "7Б", chat: "ivan");
        var olga = await _seed.PersonAsync("student", "Орлова Ольга", group: "7Б", chat: "olga");
        await SettingsAsync(olga, eveningBefore: true);
        await LessonAsync("7Б", _math, _teacher, tuesday, 8, 30);
        await LessonAsync("7Б", _physics, _teacher, Wednesday, 8, 30);

        JumpTo(At(tuesday, 18, 0));
        await RunAsync();
        var tuesdays = Keys((ivan, tuesday), (olga, tuesday), (_teacher, tuesday));
        Assert.Equal(tuesdays, await KeysAsync());

        // Tuesday 18:00 → Wednesday 09:00 (over Olga's 19:00 and everyone's 07:30), back to Tuesday evening, forward again.
        var all = Keys((ivan, tuesday), (olga, tuesday), (_teacher, tuesday), (ivan, Wednesday), (olga, Wednesday), (_teacher, Wednesday));
        foreach (var (day, hour) in new[] { (Wednesday, 9), (tuesday, 20), (tuesday, 18), (Wednesday, 0), (Wednesday, 9) })
        {
            JumpTo(At(day, hour, 0));
            await RunAsync();
            Assert.Equal(all, await KeysAsync());
        }
    }

    private static List<string> Keys(params (long Person, DateOnly Day)[] reminders) =>
        reminders.Select(r => $"daily:{r.Person}:0:{r.Day:yyyy-MM-dd}").Order(StringComparer.Ordinal).ToList();

    private async Task<List<string>> KeysAsync() =>
        (await _seed.OutboxAsync()).Select(r => r.Key!).Order(StringComparer.Ordinal).ToList();

    private async Task<long> LessonAsync(string group, long subject, long teacher, DateOnly day, int hour, int minute, int minutes = 45,
        string? room = null, string? link = null, string status = "planned", long? substitute = null)
    {
        var groupId = await GroupAsync(group);
        var start = At(day, hour, minute);
        return await db.ScalarAsync<long>(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id, substitute_id, room, link, status)
            VALUES (@group, @day, @start, @end, @start, @subject, @teacher, @substitute, @room, @link, @status) RETURNING id
            """,
            ("group", groupId), ("day", day), ("start", start), ("end", start.AddMinutes(minutes)), ("subject", subject), ("teacher", teacher),
            ("substitute", (object?)substitute ?? DBNull.Value), ("room", (object?)room ?? DBNull.Value), ("link", (object?)link ?? DBNull.Value),
            ("status", status));
    }

    private async Task MaterialAsync(long subject, string title, string url, DateOnly? lessonOn, string group)
    {
        var groupId = await GroupAsync(group);
        await db.ExecuteAsync(
            """
            WITH m AS (
                INSERT INTO materials (teacher_id, subject_id, kind, title, url, lesson_on) VALUES (@teacher, @subject, 'material', @title, @url, @on)
                RETURNING id
            )
            INSERT INTO material_groups (material_id, group_id) SELECT id, @group FROM m
            """,
            ("teacher", _teacher), ("subject", subject), ("title", title), ("url", url), ("on", (object?)lessonOn ?? DBNull.Value), ("group", groupId));
    }

    private Task<long> GroupAsync(string name) =>
        db.ScalarAsync<long>(
            """
            WITH found AS (SELECT id FROM school_groups WHERE name = @name),
                 added AS (INSERT INTO school_groups (name) SELECT @name WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
            SELECT id FROM found UNION ALL SELECT id FROM added
            """, ("name", name));

    private Task SettingsAsync(long person, bool enabled = true, TimeOnly? sendAt = null, bool eveningBefore = false) =>
        db.ExecuteAsync(
            "INSERT INTO reminder_settings (person_id, enabled, send_at, evening_before) VALUES (@person, @enabled, @at, @evening)",
            ("person", person), ("enabled", enabled), ("at", (object?)sendAt ?? DBNull.Value), ("evening", eveningBefore));

    private Task LinkAsync(long parent, long child, bool follows) =>
        db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id, follows) VALUES (@parent, @child, @follows)",
            ("parent", parent), ("child", child), ("follows", follows));
}
