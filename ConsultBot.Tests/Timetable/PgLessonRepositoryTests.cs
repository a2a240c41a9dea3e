using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Timetable;

/// <summary>Single-lesson changes on PostgreSQL: who sees which lessons, cancel, move (no overlaps in a class), substitutes, who is told.</summary>
public sealed class PgLessonRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2030, 9, 2, 5, 30, 0, TimeSpan.Zero); // 08:30 in Moscow

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO school_groups (name) VALUES ('7Б'), ('8В');
            INSERT INTO subjects (name) VALUES ('Математика');
            INSERT INTO persons (role, status, full_name, group_id, language) VALUES
                ('teacher', 'active', 'Петрова Анна', NULL, 'ru'),      -- 1
                ('teacher', 'active', 'Смирнов Олег', NULL, 'ru'),      -- 2
                ('student', 'active', 'Белова Анна', 1, 'ru'),          -- 3
                ('student', 'active', 'Волков Борис', 1, 'en'),         -- 4
                ('student', 'active', 'Громова Вера', 2, 'ru'),         -- 5
                ('student', 'registering', 'Новенький', 1, 'ru'),       -- 6
                ('parent', 'active', 'Белова Мария', NULL, 'ru'),       -- 7 follows 3
                ('parent', 'active', 'Волков Игорь', NULL, 'ru');       -- 8 does not follow 4
            INSERT INTO parent_links (parent_id, child_id, follows) VALUES (7, 3, true), (8, 4, false);
            """);
        await AddLessonAsync(1, Monday, teacher: 1);                    // 1
        await AddLessonAsync(1, Monday.AddHours(1), teacher: 2);        // 2
        await AddLessonAsync(2, Monday, teacher: 1);                    // 3
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task AddLessonAsync(long group, DateTimeOffset start, long teacher) => db.ExecuteAsync(
        """
        INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id, room)
        VALUES (@group, @day, @start, @start + interval '45 minutes', @start, 1, @teacher, '214')
        """, ("group", group), ("day", DateOnly.FromDateTime(start.UtcDateTime)), ("start", start), ("teacher", teacher));

    private async Task<T> InTransactionAsync<T>(Func<PgLessonRepository, Task<T>> work)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await work(new PgLessonRepository(connection, tx));
        await tx.CommitAsync();
        return result;
    }

    [Fact]
    public async Task OfTeacher_ListsLessonsTaughtOrSubstituted_EarliestFirst()
    {
        await db.ExecuteAsync("UPDATE lessons SET substitute_id = 1 WHERE id = 2");

        var lessons = await InTransactionAsync(r => r.OfTeacherAsync(new PersonId(1), Monday.AddDays(-1), Monday.AddDays(1), 10, CancellationToken.None));
        var ofClass = await InTransactionAsync(r => r.OfGroupAsync(new GroupId(1), Monday.AddDays(-1), Monday.AddDays(1), 10, CancellationToken.None));

        Assert.Equal([1L, 3L, 2L], lessons.Select(l => l.Id));
        Assert.Equal("Смирнов Олег", lessons[2].TeacherName);
        Assert.Equal("Петрова Анна", lessons[2].ActingTeacherName);
        Assert.True(lessons[2].IsTaughtBy(new PersonId(1)));
        Assert.Equal([1L, 2L], ofClass.Select(l => l.Id));
        Assert.Equal("7Б", ofClass[0].GroupName);
    }

    [Fact]
    public async Task Cancel_OnlyPlannedLessons_AndMarksTheHandChange()
    {
        Assert.True(await InTransactionAsync(r => r.CancelAsync(1, "Болезнь", CancellationToken.None)));
        Assert.False(await InTransactionAsync(r => r.CancelAsync(1, "ещё раз", CancellationToken.None)));

        var lesson = (await InTransactionAsync(r => r.GetAsync(1, CancellationToken.None)))!;
        Assert.True(lesson.Cancelled);
        Assert.Equal("Болезнь", lesson.ChangeNote);
        Assert.True(await db.ScalarAsync<bool>("SELECT changed_by_hand FROM lessons WHERE id = 1"));
    }

    [Fact]
    public async Task Move_IsRefusedByTheDatabase_WhenItOverlapsTheClasssOtherLesson_AndTheTransactionStaysUsable()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var repository = new PgLessonRepository(connection, tx);

        var overlapping = await repository.MoveAsync(1, DateOnly.FromDateTime(Monday.UtcDateTime), Monday.AddMinutes(60), Monday.AddMinutes(105),
            CancellationToken.None);
        var free = await repository.MoveAsync(1, DateOnly.FromDateTime(Monday.UtcDateTime), Monday.AddHours(3), Monday.AddHours(3).AddMinutes(45),
            CancellationToken.None);
        await tx.CommitAsync();

        Assert.Equal(LessonMoveOutcome.OverlapsAnotherLesson, overlapping);
        Assert.Equal(LessonMoveOutcome.Moved, free);
        Assert.Equal(Monday.AddHours(3).UtcDateTime, await db.ScalarAsync<DateTime>("SELECT starts_at FROM lessons WHERE id = 1"));
        Assert.Equal(Monday.UtcDateTime, await db.ScalarAsync<DateTime>("SELECT origin_starts_at FROM lessons WHERE id = 1"));
    }

    [Fact]
    public async Task Move_ACancelledLesson_IsNotFound()
    {
        await db.ExecuteAsync("UPDATE lessons SET status = 'cancelled' WHERE id = 1");

        Assert.Equal(LessonMoveOutcome.NotFound, await InTransactionAsync(r => r.MoveAsync(1, new DateOnly(2030, 9, 3), Monday.AddDays(1),
            Monday.AddDays(1).AddMinutes(45), CancellationToken.None)));
    }

    [Fact]
    public async Task Substitute_IsSetAndCleared()
    {
        Assert.True(await InTransactionAsync(r => r.SubstituteAsync(1, new PersonId(2), CancellationToken.None)));
        Assert.Equal("Смирнов Олег", (await InTransactionAsync(r => r.GetAsync(1, CancellationToken.None)))!.SubstituteName);
        Assert.True(await InTransactionAsync(r => r.SubstituteAsync(1, null, CancellationToken.None)));
        Assert.Null((await InTransactionAsync(r => r.GetAsync(1, CancellationToken.None)))!.SubstituteId);
    }

    [Fact]
    public async Task Listeners_AreTheClasssActiveStudents_AndTheParentsWhoFollowThem()
    {
        var listeners = await InTransactionAsync(r => r.ListenersAsync(new GroupId(1), CancellationToken.None));

        Assert.Equal([(3L, Language.Ru, (string?)null), (4L, Language.En, null), (7L, Language.Ru, "Белова Анна")],
            listeners.Select(l => (l.Id.Value, l.Language, l.ChildName)).OrderBy(l => l.Value));
    }

    [Fact]
    public async Task TheDatabase_RefusesTwoPlannedLessonsOfAClassAtOnce()
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => AddLessonAsync(1, Monday.AddMinutes(30), teacher: 2));

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, e.SqlState);
    }
}
