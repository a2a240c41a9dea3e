using ConsultBot.Domain.Announcements;
using ConsultBot.Domain.People;
using ConsultBot.Host.Announcements;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ConsultBot.Tests.Announcements;

/// <summary>
/// Announcements on PostgreSQL: who each audience reaches (parents following, accounts unreachable, inactive people and
/// the author left out), one outbox row per recipient tagged with the announcement, nothing stored for nobody or for a
/// repeated confirmation, a teacher's groups, and the report job counting sent / undeliverable / failed exactly once.
/// </summary>
public sealed class PgAnnouncementRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<Language, string> Bodies = new Dictionary<Language, string>
    {
        [Language.Ru] = "📣 Объявление · Директор\n\nСобрание",
        [Language.En] = "📣 Announcement · Директор\n\nСобрание",
    };

    private long _7a;
    private long _7b;
    private long _admin;
    private long _teacher;
    private long _anna;     // 7А, reachable
    private long _boris;    // 7А, blocked the bot (account unreachable)
    private long _vera;     // 7Б
    private long _parent;   // follows Anna and Vera
    private long _quiet;    // parent of Boris, does not follow him
    private long _gone;     // 7А, deactivated

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _7a = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('7А') RETURNING id");
        _7b = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('7Б') RETURNING id");
        _admin = await PersonAsync("admin", "Директор");
        _teacher = await PersonAsync("teacher", "Петрова Анна");
        _anna = await PersonAsync("student", "Белова Анна", _7a);
        _boris = await PersonAsync("student", "Волков Борис", _7a, reachable: false);
        _vera = await PersonAsync("student", "Громова Вера", _7b, language: "en");
        _parent = await PersonAsync("parent", "Белова Мария");
        _quiet = await PersonAsync("parent", "Волкова Ольга");
        _gone = await PersonAsync("student", "Ушедший Ученик", _7a, status: "deactivated");
        await LinkAsync(_parent, _anna);
        await LinkAsync(_parent, _vera);
        await LinkAsync(_quiet, _boris, follows: false);
        await PersonAsync("student", "Без Аккаунта", _7a, account: false);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<long> PersonAsync(string role, string name, long? group = null, string language = "ru", string status = "active",
        bool account = true, bool reachable = true)
    {
        var id = await db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, group_id, language) VALUES (@role, @status, @name, @group, @language) RETURNING id",
            ("role", role), ("status", status), ("name", name), ("group", (object?)group ?? DBNull.Value), ("language", language));
        if (account)
        {
            await db.ExecuteAsync(
                "INSERT INTO accounts (channel, sender_id, chat_id, person_id, reachable) VALUES ('telegram', @chat, @chat, @person, @reachable)",
                ("chat", "tg" + id), ("person", id), ("reachable", reachable));
        }
        return id;
    }

    private Task LinkAsync(long parent, long child, bool follows = true) =>
        db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id, follows) VALUES (@p, @c, @f)", ("p", parent), ("c", child), ("f", follows));

    private async Task<T> InTransactionAsync<T>(Func<PgAnnouncementRepository, Task<T>> work)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await work(new PgAnnouncementRepository(connection, tx));
        await tx.CommitAsync();
        return result;
    }

    private Task<RecipientCount> CountAsync(AnnouncementAudience audience, long? group = null, long? author = null) =>
        InTransactionAsync(r => r.CountAsync(audience, group is { } g ? new GroupId(g) : null, new PersonId(author ?? _admin), CancellationToken.None));

    private Task<AnnouncementSent?> SendAsync(AnnouncementAudience audience, long? group = null, string key = "k1", long? author = null) =>
        InTransactionAsync(r => r.SendAsync(new PersonId(author ?? _admin), audience, group is { } g ? new GroupId(g) : null, "Собрание", Bodies, key, Now,
            CancellationToken.None));

    private async Task<List<(long Person, string Chat, string Text)>> RowsOfAsync(long announcement)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT person_id, chat_id, body->>'text' FROM outbox WHERE announcement_id = @a ORDER BY person_id");
        command.Parameters.AddWithValue("a", announcement);
        var rows = new List<(long, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    [Fact]
    public async Task CountAsync_CountsEachAudience_ActivePeopleOnce_ByReachability()
    {
        // 7А: Anna (reachable), Boris (blocked) and the student without an account; the parent who follows Anna; not the
        // deactivated student, not the parent who does not follow Boris.
        Assert.Equal(new RecipientCount(2, 2), await CountAsync(AnnouncementAudience.Group, _7a));
        // 7Б: Vera and the same parent (who follows children in both groups, counted once in each).
        Assert.Equal(new RecipientCount(2, 0), await CountAsync(AnnouncementAudience.Group, _7b));
        Assert.Equal(new RecipientCount(2, 2), await CountAsync(AnnouncementAudience.Students));
        Assert.Equal(new RecipientCount(2, 0), await CountAsync(AnnouncementAudience.Parents));
        // Teachers and administrators, the author (the administrator) left out.
        Assert.Equal(new RecipientCount(1, 0), await CountAsync(AnnouncementAudience.Teachers));
        Assert.Equal(new RecipientCount(2, 0), await CountAsync(AnnouncementAudience.Teachers, author: _anna));
        Assert.Equal(new RecipientCount(5, 2), await CountAsync(AnnouncementAudience.Everyone));
    }

    [Fact]
    public async Task SendAsync_QueuesOneRowPerRecipient_ToTheirPreferredReachableAccount_InTheirLanguage()
    {
        // Anna has a second, preferred VK account: that one gets it, once.
        await db.ExecuteAsync("UPDATE accounts SET preferred = false WHERE person_id = @p", ("p", _anna));
        await db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id, preferred) VALUES ('vk', 'vk1', 'vk1', @p, true)", ("p", _anna));

        var sent = await SendAsync(AnnouncementAudience.Everyone);

        Assert.NotNull(sent);
        Assert.Equal((5, 2), (sent.Recipients, sent.UnreachableAtSend));
        var rows = await RowsOfAsync(sent.Id);
        Assert.Equal([_teacher, _anna, _vera, _parent, _quiet], rows.Select(r => r.Person));
        Assert.Equal("vk1", rows.Single(r => r.Person == _anna).Chat);
        Assert.Equal(Bodies[Language.En], rows.Single(r => r.Person == _vera).Text);
        Assert.Equal(Bodies[Language.Ru], rows.Single(r => r.Person == _parent).Text);
        Assert.Equal(1, await db.ScalarAsync<long>(
            "SELECT count(*) FROM announcements WHERE id = @id AND audience = 'everyone' AND recipients = 5 AND unreachable_at_send = 2 AND reported_at IS NULL",
            ("id", sent.Id)));
    }

    [Fact]
    public async Task SendAsync_ToAGroup_ReachesItsStudentsAndFollowingParentsOnly()
    {
        var sent = await SendAsync(AnnouncementAudience.Group, _7a);

        Assert.NotNull(sent);
        Assert.Equal([_anna, _parent], (await RowsOfAsync(sent.Id)).Select(r => r.Person));
        Assert.Equal(_7a, await db.ScalarAsync<long>("SELECT group_id FROM announcements WHERE id = @id", ("id", sent.Id)));
    }

    [Fact]
    public async Task SendAsync_StoresNothing_WhenNobodyWouldReceiveIt()
    {
        var empty = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('11Б') RETURNING id");

        Assert.Null(await SendAsync(AnnouncementAudience.Group, empty));

        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM announcements"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task SendAsync_StoresNothing_WhenTheSameConfirmationComesAgain()
    {
        Assert.NotNull(await SendAsync(AnnouncementAudience.Parents, key: "7:12"));
        Assert.Null(await SendAsync(AnnouncementAudience.Parents, key: "7:12"));

        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM announcements"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    private static readonly DateOnly TermStart = new(2026, 9, 1);
    private static readonly DateOnly TermEnd = new(2027, 5, 31);

    private Task<IReadOnlyList<Group>> TeacherGroupsAsync(long teacher) =>
        InTransactionAsync(r => r.TeacherGroupsAsync(new PersonId(teacher), TermStart, TermEnd, CancellationToken.None));

    private async Task<long> SubjectAsync() =>
        await db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");

    private Task LessonAsync(long group, long subject, long? teacher, long? substitute = null, string day = "2026-11-26",
        string status = "planned")
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var start = new DateTimeOffset(date, new TimeOnly(6, 0), TimeSpan.Zero);
        return db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id, substitute_id, status)
            VALUES (@g, @day, @s, @s + interval '45 minutes', @s, @subject, @t, @sub, @status)
            """,
            ("g", group), ("day", date), ("s", start), ("subject", subject), ("t", (object?)teacher ?? DBNull.Value),
            ("sub", (object?)substitute ?? DBNull.Value), ("status", status));
    }

    [Fact]
    public async Task TeacherGroupsAsync_AreTheGroupsOfTheirPlannedLessonsAndSubstitutionsOfTheTerm()
    {
        var subject = await SubjectAsync();
        var g8 = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('8А') RETURNING id");
        var g9 = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('9А') RETURNING id");
        var archived = await db.ScalarAsync<long>("INSERT INTO school_groups (name, archived) VALUES ('6А', true) RETURNING id");
        var other = await PersonAsync("teacher", "Иванов Пётр");
        await LessonAsync(_7a, subject, _teacher);
        await LessonAsync(g8, subject, other, substitute: _teacher);
        await LessonAsync(g9, subject, other);
        await LessonAsync(archived, subject, _teacher);

        var groups = await TeacherGroupsAsync(_teacher);

        Assert.Equal(["7А", "8А"], groups.Select(g => g.Name));
        Assert.Empty(await TeacherGroupsAsync(_anna));
    }

    [Fact]
    public async Task TeacherGroupsAsync_LeavesOutAGroup_WhenTheTeacherOnlyPostedAMaterialToIt()
    {
        var subject = await SubjectAsync();
        await LessonAsync(_7a, subject, _teacher);
        var material = await db.ScalarAsync<long>(
            "INSERT INTO materials (teacher_id, subject_id, kind, title, url) VALUES (@t, @s, 'material', 'Дроби', 'https://e.example/1') RETURNING id",
            ("t", _teacher), ("s", subject));
        await db.ExecuteAsync("INSERT INTO material_groups (material_id, group_id) VALUES (@m, @g)", ("m", material), ("g", _7b));

        Assert.Equal(["7А"], (await TeacherGroupsAsync(_teacher)).Select(g => g.Name));
    }

    [Fact]
    public async Task TeacherGroupsAsync_LeavesOutCancelledLessonsAndLessonsOutsideTheTerm()
    {
        var subject = await SubjectAsync();
        var g8 = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('8А') RETURNING id");
        await LessonAsync(_7a, subject, null, substitute: _teacher, status: "cancelled");
        await LessonAsync(_7b, subject, _teacher, day: "2026-05-20");   // last year's term
        await LessonAsync(g8, subject, _teacher, day: "2027-06-10");    // after the term

        Assert.Empty(await TeacherGroupsAsync(_teacher));
    }

    [Fact]
    public async Task RecentAsync_ShowsLiveCountsUntilReported_ThenTheStoredOnes()
    {
        var sent = (await SendAsync(AnnouncementAudience.Everyone))!;
        await SetStatusesAsync(sent.Id, ("sent", _teacher), ("undeliverable", _anna));

        var live = Assert.Single(await InTransactionAsync(r => r.RecentAsync(10, CancellationToken.None)));
        Assert.Equal(("Директор", AnnouncementAudience.Everyone, 5, 1, 1 + 2, 0, 3),
            (live.Author, live.Audience, live.Recipients, live.Delivered, live.Unreachable, live.Failed, live.Pending));

        await SetStatusesAsync(sent.Id, ("sent", _vera), ("failed", _parent), ("sent", _quiet));
        await Job().RunAsync(CancellationToken.None);
        await db.ExecuteAsync("DELETE FROM outbox WHERE announcement_id = @a", ("a", sent.Id)); // the retention clean-up

        var reported = Assert.Single(await InTransactionAsync(r => r.RecentAsync(10, CancellationToken.None)));
        Assert.Equal((3, 3, 1, 0), (reported.Delivered, reported.Unreachable, reported.Failed, reported.Pending));
    }

    [Fact]
    public async Task ReportsJob_WaitsWhileRowsAreOpen_ThenCountsEachStatus_AndTellsTheAuthorOnce()
    {
        var sent = (await SendAsync(AnnouncementAudience.Everyone))!;
        await SetStatusesAsync(sent.Id, ("sent", _teacher), ("sent", _vera), ("undeliverable", _anna), ("sending", _parent));

        Assert.Equal(0, await Job().RunAsync(CancellationToken.None));
        Assert.Equal(0, await SummariesAsync());

        await SetStatusesAsync(sent.Id, ("failed", _parent), ("sent", _quiet));
        Assert.Equal(1, await Job().RunAsync(CancellationToken.None));
        Assert.Equal(0, await Job().RunAsync(CancellationToken.None));

        Assert.Equal(1, await SummariesAsync());
        var text = await db.ScalarAsync<string>(
            "SELECT body->>'text' FROM outbox WHERE dedupe_key = @k AND chat_id = @chat", ("k", $"announce-report:{sent.Id}"), ("chat", "tg" + _admin));
        // Delivered 3; unreachable = 1 undeliverable + 2 without a reachable account at send time; failed 1.
        Assert.Equal(Ru.AnnouncementReport("все", "Собрание", 3, 3, 1), text);
        Assert.Equal(1, await db.ScalarAsync<long>(
            "SELECT count(*) FROM announcements WHERE id = @id AND reported_at = @now AND delivered = 3 AND undeliverable = 1 AND failed = 1",
            ("id", sent.Id), ("now", Now)));
    }

    [Fact]
    public async Task ReportsJob_ReportsOnce_WhenTwoInstancesRunAtTheSameTime()
    {
        var first = (await SendAsync(AnnouncementAudience.Parents, key: "a"))!;
        var second = (await SendAsync(AnnouncementAudience.Teachers, key: "b"))!;
        await db.ExecuteAsync("UPDATE outbox SET status = 'sent' WHERE announcement_id IS NOT NULL");

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Job().RunAsync(CancellationToken.None))));

        Assert.Equal(2, runs.Sum());
        Assert.Equal(2, await SummariesAsync());
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM announcements WHERE reported_at IS NULL AND id IN (@a, @b)",
            ("a", first.Id), ("b", second.Id)));
    }

    [Fact]
    public async Task ReportsJob_MarksItReported_WhenTheAuthorHasNoReachableAccount()
    {
        var sent = (await SendAsync(AnnouncementAudience.Parents))!;
        await db.ExecuteAsync("UPDATE outbox SET status = 'sent' WHERE announcement_id = @a", ("a", sent.Id));
        await db.ExecuteAsync("UPDATE accounts SET reachable = false WHERE person_id = @p", ("p", _admin));

        Assert.Equal(1, await Job().RunAsync(CancellationToken.None));

        Assert.Equal(0, await SummariesAsync());
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM announcements WHERE reported_at IS NOT NULL"));
    }

    [Fact]
    public async Task AnnouncementsTable_RefusesAnEmptyTextAndAGroupAudienceWithoutAGroup()
    {
        const string Insert =
            """
            INSERT INTO announcements (author_id, audience, group_id, text, request_key, created_at, recipients)
            VALUES (@a, @aud, @g, @text, @key, now(), 1)
            """;
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(Insert, ("a", _admin), ("aud", "students"), ("g", DBNull.Value),
            ("text", ""), ("key", "x1")));
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(Insert, ("a", _admin), ("aud", "group"), ("g", DBNull.Value),
            ("text", "Собрание"), ("key", "x2")));
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(Insert, ("a", _admin), ("aud", "students"), ("g", DBNull.Value),
            ("text", new string('а', 3501)), ("key", "x3")));
    }

    private static readonly ConsultBot.Domain.Texts.ITexts Ru = ConsultBot.Domain.Texts.TextCatalog.For(Language.Ru);

    private AnnouncementReportsJob Job() => new(db.DataSource, new OutboxSignal(), new SchoolClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now)),
        NullLogger<AnnouncementReportsJob>.Instance);

    private Task<long> SummariesAsync() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'announce-report:%'");

    /// <summary>What the dispatcher would have recorded for each recipient's row.</summary>
    private async Task SetStatusesAsync(long announcement, params (string Status, long Person)[] rows)
    {
        foreach (var (status, person) in rows)
        {
            await db.ExecuteAsync("UPDATE outbox SET status = @s WHERE announcement_id = @a AND person_id = @p",
                ("s", status), ("a", announcement), ("p", person));
        }
    }
}
