using System.Text.Json;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Materials;

/// <summary>Materials on PostgreSQL: who a published material reaches, browsing scopes and order, and the table's own checks.</summary>
public sealed class PgMaterialRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<Language, MaterialNotice> Notices = new Dictionary<Language, MaterialNotice>
    {
        [Language.Ru] = new("Новый материал", Keyboard.Of([new Button("📚 Материалы", "mb:0:l:-:1:0")])),
        [Language.En] = new("A new material", null),
    };

    private long _subject;
    private long _otherSubject;
    private long _7a;
    private long _7b;
    private long _8a;
    private long _teacher;
    private long _otherTeacher;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _subject = await db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
        _otherSubject = await db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Физика') RETURNING id");
        _7a = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('7А') RETURNING id");
        _7b = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('7Б') RETURNING id");
        _8a = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('8А') RETURNING id");
        _teacher = await PersonAsync("teacher", "Петрова Анна");
        _otherTeacher = await PersonAsync("teacher", "Иванов Пётр");
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
            await AccountAsync(id, "telegram", "tg" + id, reachable, preferred: true);
        }
        return id;
    }

    private Task AccountAsync(long person, string channel, string chat, bool reachable, bool preferred) =>
        db.ExecuteAsync(
            "INSERT INTO accounts (channel, sender_id, chat_id, person_id, reachable, preferred) VALUES (@channel, @chat, @chat, @person, @reachable, @preferred)",
            ("channel", channel), ("chat", chat), ("person", person), ("reachable", reachable), ("preferred", preferred));

    private Task LinkAsync(long parent, long child, bool follows = true) =>
        db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id, follows) VALUES (@p, @c, @f)", ("p", parent), ("c", child), ("f", follows));

    private MaterialDraft Draft(params long[] groups) => new()
    {
        SubjectId = _subject,
        Groups = [.. groups.Select(g => new GroupId(g))],
        Kind = MaterialKind.Assignment,
        Title = "Дроби",
        Url = "https://edu.example.org/fractions",
        Description = "Задачи 1–10",
        DueOn = new DateOnly(2026, 11, 28),
        LessonOn = new DateOnly(2026, 11, 26),
    };

    private async Task<MaterialPublished> PublishAsync(MaterialDraft draft, long? teacher = null, DateTimeOffset? at = null)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var published = await new PgMaterialRepository(connection, tx)
            .PublishAsync(new PersonId(teacher ?? _teacher), draft, Notices, at ?? Now, CancellationToken.None);
        await tx.CommitAsync();
        return published;
    }

    private async Task<T> WithRepositoryAsync<T>(Func<PgMaterialRepository, Task<T>> action)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await action(new PgMaterialRepository(connection, null));
    }

    private async Task<List<(long? Person, string Channel, string Chat, string Text, bool HasKeyboard)>> OutboxAsync()
    {
        var rows = new List<(long?, string, string, string, bool)>();
        await using var command = db.DataSource.CreateCommand("SELECT person_id, channel, chat_id, body::text FROM outbox ORDER BY person_id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var body = JsonDocument.Parse(reader.GetString(3));
            rows.Add((reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                body.RootElement.GetProperty("text").GetString()!,
                body.RootElement.TryGetProperty("keyboard", out var k) && k.ValueKind == JsonValueKind.Object));
        }
        return rows;
    }

    [Fact]
    public async Task PublishAsync_ReachesTheClassesStudentsAndFollowingParentsOnce_InTheirLanguage()
    {
        var anna = await PersonAsync("student", "Анна", _7a);
        var boris = await PersonAsync("student", "Boris", _7b, language: "en");
        var vera = await PersonAsync("student", "Вера", _7a);
        await AccountAsync(vera, "vk", "vk-vera", reachable: true, preferred: false);
        var registering = await PersonAsync("student", "Гриша", _7a, status: "registering");
        var blocked = await PersonAsync("student", "Дима", _7a, reachable: false);
        var otherClass = await PersonAsync("student", "Егор", _8a);
        var bothChildren = await PersonAsync("parent", "Мама Анны и Бориса");
        await LinkAsync(bothChildren, anna);
        await LinkAsync(bothChildren, boris);
        var notFollowing = await PersonAsync("parent", "Папа Анны");
        await LinkAsync(notFollowing, anna, follows: false);
        var otherParent = await PersonAsync("parent", "Мама Егора");
        await LinkAsync(otherParent, otherClass);

        var published = await PublishAsync(Draft(_7a, _7b));

        var rows = await OutboxAsync();
        Assert.Equal(4, published.Recipients);
        Assert.Equal([anna, boris, vera, bothChildren], rows.Select(r => r.Person!.Value));
        Assert.Equal(("telegram", "tg" + vera), (rows[2].Channel, rows[2].Chat)); // the preferred account
        Assert.Equal("A new material", rows.Single(r => r.Person == boris).Text);
        Assert.All(rows.Where(r => r.Person != boris), r => Assert.Equal("Новый материал", r.Text));
        Assert.True(rows[0].HasKeyboard);
        Assert.DoesNotContain(rows, r => r.Person == registering || r.Person == blocked || r.Person == otherClass
            || r.Person == notFollowing || r.Person == otherParent || r.Person == _teacher);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM material_groups WHERE material_id = @id", ("id", published.Id.Value)));
        Assert.Equal(1L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM materials WHERE id = @id AND kind = 'assignment' AND due_on = '2026-11-28' AND lesson_on = '2026-11-26'
              AND created_at = '2026-11-25 09:00:00+00' AND teacher_id = @teacher
            """, ("id", published.Id.Value), ("teacher", _teacher)));
    }

    [Fact]
    public async Task PublishAsync_SkipsArchivedGroups_AndCountsNobodyWhenNobodyIsThere()
    {
        await db.ExecuteAsync("UPDATE school_groups SET archived = true WHERE id = @id", ("id", _8a));
        await PersonAsync("student", "Егор", _8a);

        var published = await PublishAsync(Draft(_8a));

        Assert.Equal(0, published.Recipients);
        Assert.Empty(await OutboxAsync());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM material_groups"));
    }

    [Fact]
    public async Task PageAsync_ListsNewestFirst_FiveAtATime_WithTotal()
    {
        for (var i = 1; i <= 7; i++)
        {
            await PublishAsync(Draft(_7a) with { Title = $"Тема {i}", DueOn = null, Description = null }, at: Now.AddMinutes(i));
        }
        await PublishAsync(Draft(_7a) with { SubjectId = _otherSubject, Title = "Физика 1" });
        var scope = new MaterialScope(new PersonId(_teacher), MaterialAudience.OwnPosts);

        var first = await WithRepositoryAsync(r => r.PageAsync(scope, _subject, 0, 5, CancellationToken.None));
        var second = await WithRepositoryAsync(r => r.PageAsync(scope, _subject, 5, 5, CancellationToken.None));
        var beyond = await WithRepositoryAsync(r => r.PageAsync(scope, _subject, 10, 5, CancellationToken.None));

        Assert.Equal(7, first.Total);
        Assert.Equal(["Тема 7", "Тема 6", "Тема 5", "Тема 4", "Тема 3"], first.Items.Select(m => m.Title));
        Assert.Equal(["Тема 2", "Тема 1"], second.Items.Select(m => m.Title));
        Assert.Empty(beyond.Items);
        Assert.Equal(7, beyond.Total);
        var item = first.Items[0];
        Assert.Equal(("Математика", "Петрова Анна", MaterialKind.Assignment, "https://edu.example.org/fractions"),
            (item.SubjectName, item.TeacherName, item.Kind, item.Url));
        Assert.Equal(["7А"], item.Groups);
        Assert.Equal(new DateOnly(2026, 11, 26), item.LessonOn);
        Assert.Null(item.DueOn);
        Assert.Equal(Now.AddMinutes(7), item.PostedAt);
    }

    [Fact]
    public async Task Scopes_StudentsSeeTheirClass_ParentsTheirFollowedChildren_TeachersTheirOwnOrAll()
    {
        var anna = await PersonAsync("student", "Анна", _7a);
        var egor = await PersonAsync("student", "Егор", _8a);
        var following = await PersonAsync("parent", "Мама Анны");
        await LinkAsync(following, anna);
        var notFollowing = await PersonAsync("parent", "Папа Анны");
        await LinkAsync(notFollowing, anna, follows: false);
        await PublishAsync(Draft(_7a, _7b));
        await PublishAsync(Draft(_8a) with { SubjectId = _otherSubject }, teacher: _otherTeacher);

        async Task<(string Subjects, int Math)> SeenAsync(long viewer, MaterialAudience audience)
        {
            var scope = new MaterialScope(new PersonId(viewer), audience);
            var subjects = await WithRepositoryAsync(r => r.SubjectsAsync(scope, CancellationToken.None));
            var page = await WithRepositoryAsync(r => r.PageAsync(scope, _subject, 0, 5, CancellationToken.None));
            return (string.Join(", ", subjects.Select(s => s.Name)), page.Total);
        }

        Assert.Equal(("Математика", 1), await SeenAsync(anna, MaterialAudience.Student));
        Assert.Equal(("Физика", 0), await SeenAsync(egor, MaterialAudience.Student));
        Assert.Equal(("Математика", 1), await SeenAsync(following, MaterialAudience.Parent));
        Assert.Equal(("", 0), await SeenAsync(notFollowing, MaterialAudience.Parent));
        Assert.Equal(("Математика", 1), await SeenAsync(_teacher, MaterialAudience.OwnPosts));
        Assert.Equal(("Физика", 0), await SeenAsync(_otherTeacher, MaterialAudience.OwnPosts));
        Assert.Equal(("Математика, Физика", 1), await SeenAsync(_otherTeacher, MaterialAudience.All));
    }

    [Theory]
    [InlineData("javascript:alert(1)", "Дроби")]
    [InlineData("edu.example.org/fractions", "Дроби")]
    [InlineData("https://example.org/long", "Дроби")]
    [InlineData("https://example.org/a", "")]
    [InlineData("https://example.org/a", "long")]
    public async Task Database_RefusesBadLinksAndTitles_EvenOutsideTheDialog(string url, string title)
    {
        if (url.EndsWith("/long", StringComparison.Ordinal))
        {
            url = "https://example.org/" + new string('a', 4980); // 5,000 characters
        }
        title = title == "long" ? new string('т', 201) : title;
        await PersonAsync("student", "Анна", _7a);

        var viaRepository = await Assert.ThrowsAsync<PostgresException>(() => PublishAsync(Draft(_7a) with { Url = url, Title = title }));
        var direct = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO materials (subject_id, kind, title, url) VALUES (@subject, 'material', @title, @url)",
            ("subject", _subject), ("title", title), ("url", url)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, viaRepository.SqlState);
        Assert.Equal(PostgresErrorCodes.CheckViolation, direct.SqlState);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM materials"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task Database_RefusesADescriptionOver1000_AndAnUnknownKind()
    {
        var description = await Assert.ThrowsAsync<PostgresException>(() => PublishAsync(Draft(_7a) with { Description = new string('d', 1001) }));
        var kind = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO materials (subject_id, kind, title, url) VALUES (@subject, 'video', 't', 'https://example.org')", ("subject", _subject)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, description.SqlState);
        Assert.Equal(PostgresErrorCodes.CheckViolation, kind.SqlState);
    }
}
