using System.Text;
using ConsultBot.Domain.Timetable;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Timetable;

/// <summary>The timetable import on PostgreSQL: upsert by natural key, re-import unchanged, holidays, hand changes kept, overlaps refused.</summary>
public sealed class PgTimetableRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly TimetableSettings Term = new() { TermStart = new(2026, 9, 1), TermEnd = new(2026, 9, 30) };
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly DateTimeOffset Now = new(2026, 8, 25, 9, 0, 0, TimeSpan.FromHours(3));

    private const string File =
        """
        класс;день;начало;конец;предмет;учитель;кабинет;ссылка
        5А;пн;8:30;9:15;Математика;Иванова Анна;12;
        5А;ср;9:25;10:10;Русский язык;;;https://meet.example.org/5a
        5Б;15.09.2026;14:00;14:45;Экскурсия;иванова анна;музей;
        """;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO school_groups (name) VALUES ('5А'), ('5Б');
            INSERT INTO persons (role, status, full_name) VALUES ('teacher', 'active', 'Иванова Анна'), ('teacher', 'active', 'Петров Пётр'),
                ('teacher', 'active', 'Петров Пётр'), ('student', 'active', 'Сидоров Иван');
            INSERT INTO subjects (name) VALUES ('математика');
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<TimetableImportResult> ImportAsync(string csv, DateTimeOffset? now = null)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await TimetableImporter.ImportAsync(Encoding.UTF8.GetBytes(csv), new PgTimetableRepository(connection, tx), Term, Zone,
            now ?? Now, CancellationToken.None);
        await tx.CommitAsync();
        return result;
    }

    private Task<long> CountAsync(string where = "true") => db.ScalarAsync<long>("SELECT count(*) FROM lessons WHERE " + where);

    [Fact]
    public async Task ImportAsync_AddsLessons_ResolvingNamesAndCreatingSubjects()
    {
        var result = await ImportAsync(File);

        Assert.Equal(new ImportCounts(4 + 5 + 1, 0, 0, 0), result.Counts);
        Assert.Equal(10L, await CountAsync());
        Assert.Equal("Экскурсия,Русский язык,математика", await db.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id DESC) FROM subjects"));
        Assert.Equal(4L, await CountAsync("teacher_id = 1 AND room = '12' AND source = 'weekly' AND extract(isodow FROM day) = 1"));
        Assert.Equal(1L, await CountAsync("teacher_id = 1 AND source = 'once' AND starts_at = '2026-09-15 11:00:00+00'"));
        Assert.Equal(5L, await CountAsync("teacher_id IS NULL AND link = 'https://meet.example.org/5a' AND room IS NULL"));
        Assert.Equal(10L, await CountAsync("origin_starts_at = starts_at AND status = 'planned' AND NOT changed_by_hand"));
    }

    [Fact]
    public async Task ImportAsync_SameFileAgain_ChangesNothing()
    {
        await ImportAsync(File);
        var before = await db.ScalarAsync<string>("SELECT string_agg(id || ':' || xmin::text || ':' || updated_at::text, ',' ORDER BY id) FROM lessons");

        var result = await ImportAsync(File);

        Assert.Equal(new ImportCounts(0, 0, 0, 10), result.Counts);
        Assert.Equal(before, await db.ScalarAsync<string>("SELECT string_agg(id || ':' || xmin::text || ':' || updated_at::text, ',' ORDER BY id) FROM lessons"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM subjects"));
    }

    [Fact]
    public async Task ImportAsync_ChangedRowUpdates_RemovedRowDeletes()
    {
        await ImportAsync(File);

        var result = await ImportAsync(File.Replace("8:30;9:15;Математика;Иванова Анна;12;", "8:30;9:10;Математика;Иванова Анна;14;", StringComparison.Ordinal)
            .Replace("5Б;15.09.2026;14:00;14:45;Экскурсия;иванова анна;музей;", "5Б;ср;9:25;10:10;Русский язык;;;", StringComparison.Ordinal));

        Assert.Equal(new ImportCounts(5, 4, 1, 5), result.Counts);
        Assert.Equal(4L, await CountAsync("room = '14' AND ends_at - starts_at = interval '40 minutes'"));
        Assert.Equal(0L, await CountAsync("source = 'once'"));
    }

    [Fact]
    public async Task ImportAsync_KeepsLessonsChangedByHand_AndManualOnes()
    {
        await ImportAsync(File);
        await db.ExecuteAsync(
            """
            UPDATE lessons SET starts_at = starts_at + interval '3 hours', ends_at = ends_at + interval '3 hours', changed_by_hand = true
            WHERE day = '2026-09-07';
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, source)
            VALUES (1, '2026-09-08', '2026-09-08 12:00+03', '2026-09-08 12:45+03', '2026-09-08 12:00+03', 1, 'manual');
            """);

        var result = await ImportAsync("класс;день;начало;конец;предмет\n5А;пн;8:30;9:00;Математика\n5Б;вт;8:30;9:00;Математика\n");

        Assert.Equal(1L, await CountAsync("day = '2026-09-07' AND changed_by_hand AND starts_at = '2026-09-07 08:30:00+00'"));
        Assert.Equal(1L, await CountAsync("source = 'manual'"));
        Assert.Equal(new ImportCounts(5, 3, 5 + 1, 1), result.Counts);
    }

    [Fact]
    public async Task ImportAsync_RefusesOverlapWithLessonKeptInTheDatabase_StoringNothing()
    {
        await db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, source)
            VALUES (1, '2026-09-14', '2026-09-14 09:00+03', '2026-09-14 09:45+03', '2026-09-14 09:00+03', 1, 'manual');
            """);

        var result = await ImportAsync(File);

        Assert.Null(result.Counts);
        Assert.Equal(new TimetableError(2, TimetableErrorKind.OverlapsExisting), Assert.Single(result.Errors));
        Assert.Equal(1L, await CountAsync());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM subjects"));
    }

    [Fact]
    public async Task ImportAsync_NamesUnknownClassesAndTeachers_ByLine()
    {
        var result = await ImportAsync("класс;день;начало;конец;предмет;учитель\n9Я;пн;8:30;9:00;Математика;\n5А;вт;8:30;9:00;Математика;Никто\n5А;ср;8:30;9:00;Математика;Петров Пётр\n5А;чт;8:30;9:00;Математика;Сидоров Иван\n");

        Assert.Equal(
            [
                new TimetableError(2, TimetableErrorKind.UnknownClass, "9Я"),
                new TimetableError(3, TimetableErrorKind.UnknownTeacher, "Никто"),
                new TimetableError(4, TimetableErrorKind.AmbiguousTeacher, "Петров Пётр"),
                new TimetableError(5, TimetableErrorKind.UnknownTeacher, "Сидоров Иван"),
            ],
            result.Errors);
        Assert.Equal(0L, await CountAsync());
    }

    [Fact]
    public async Task Holidays_AreSkippedByTheImport_AndCancelPlannedWeeklyLessonsWhenAdded()
    {
        await db.ExecuteAsync("INSERT INTO holidays (day, name) VALUES ('2026-09-14', 'День школы')");
        var result = await ImportAsync(File);
        Assert.Equal(9, result.Counts!.Added);
        Assert.Equal(0L, await CountAsync("day = '2026-09-14'"));

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var repository = new PgTimetableRepository(connection, null);
        var added = await repository.AddHolidaysAsync(new(2026, 9, 15), new(2026, 9, 16), "Карантин", CancellationToken.None);

        Assert.Equal((2, 1), (added.Days, added.CancelledLessons));
        Assert.Single(added.Groups);
        Assert.Equal(1L, await CountAsync("day = '2026-09-16' AND status = 'cancelled' AND change_note = 'Карантин'"));
        Assert.Equal(1L, await CountAsync("day = '2026-09-15' AND status = 'planned' AND source = 'once'"));
        var holidays = await repository.HolidaysAsync(new(2026, 9, 1), CancellationToken.None);
        Assert.Equal([new(2026, 9, 14), new(2026, 9, 15), new(2026, 9, 16)], holidays.Select(h => h.Day));
        Assert.Equal(2, await repository.RemoveHolidaysAsync(new(2026, 9, 14), new(2026, 9, 15), CancellationToken.None));
        Assert.Equal([new(2026, 9, 16)], (await repository.HolidaysAsync(new(2026, 9, 1), CancellationToken.None)).Select(h => h.Day));
    }

    [Fact]
    public async Task ImportAsync_DoesNotTouchThePast()
    {
        await ImportAsync(File);

        var result = await ImportAsync("класс;день;начало;конец;предмет\n5А;пн;8:30;9:00;Математика\n", new DateTimeOffset(2026, 9, 20, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new ImportCounts(0, 2, 2, 0), result.Counts);
        Assert.Equal(6L, await CountAsync("day < '2026-09-20'"));
    }
}
