using ConsultBot.Domain.People;
using ConsultBot.Domain.Reports;
using ConsultBot.Host.Reports;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Reports;

/// <summary>The report's SQL on the real PostgreSQL, against a seeded month whose figures were worked out by hand.</summary>
public sealed class PgActivityReportTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly ReportMonth October = new(2026, 10);
    private readonly ReportSeed _seed = new(db);

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await _seed.SeedAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<IReadOnlyList<ActivityRow>> BuildAsync(DateTimeOffset now)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await new PgActivityReport(connection).BuildAsync(October, ReportSeed.Moscow, now, CancellationToken.None);
    }

    [Fact]
    public async Task BuildAsync_GivesTheHandComputedFigures_ForASeededMonth()
    {
        var rows = await BuildAsync(ReportSeed.Msk(11, 5, 12));

        ActivityRow[] expected =
        [
            // Students by class, then name; the forgotten student last, without a name or a class, with their counts.
            new(ReportRole.Student, "Антонов Пётр", "5А", 0, 0, 0, 0, null, Booked: 2, Held: null, Attended: 1, Missed: 1, Materials: null),
            new(ReportRole.Student, "Белова Анна", "7Б", 3, 6, 3, 2, 4.0, Booked: 2, Held: null, Attended: 1, Missed: 0, Materials: null),
            new(ReportRole.Student, null, null, 1, 2, 1, 0, null, Booked: 0, Held: null, Attended: 0, Missed: 0, Materials: null),
            // Staff by association, then name: Petrova's median is of 2, 6, 10.5 and 20 hours.
            new(ReportRole.Teacher, "Петрова Анна Сергеевна", "МО естественных наук", 2, 11, 5, 4, 8.25, Booked: 4, Held: 3, Attended: 2, Missed: 1,
                Materials: 2),
            new(ReportRole.Admin, "Директор Школы", null, 0, 0, 0, 0, null, Booked: 0, Held: 0, Attended: 0, Missed: 0, Materials: 1),
            new(ReportRole.Teacher, "Сидоров Иван", null, 0, 0, 0, 0, null, Booked: 0, Held: 0, Attended: 0, Missed: 0, Materials: 0),
        ];
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task BuildAsync_ListsAnAdministrator_WhenTheyWereSentAQuestionAndAnsweredNone()
    {
        // The administrator who taught nothing in the seeded month is sent one question in October and leaves it open.
        await db.ExecuteAsync(
            """
            INSERT INTO questions (asker_id, subject_id, teacher_id, status, waiting_since, created_at)
            SELECT @asker, id, @admin, 'open', @at, @at FROM subjects WHERE name = 'Математика'
            """,
            ("asker", _seed.Belova), ("admin", _seed.IdleAdmin), ("at", ReportSeed.Msk(10, 8, 10)));

        var rows = await BuildAsync(ReportSeed.Msk(11, 5, 12));

        Assert.Equal(
            new ActivityRow(ReportRole.Admin, "Завуч Без Уроков", null, 0, 0, 1, 0, null, Booked: 0, Held: 0, Attended: 0, Missed: 0, Materials: 0),
            rows.Single(r => r.FullName == "Завуч Без Уроков"));
    }

    [Fact]
    public async Task BuildAsync_CountsOnlyConsultationsThatStarted_AsHeld_WhileTheMonthIsGoingOn()
    {
        var rows = await BuildAsync(ReportSeed.Msk(10, 20, 12));

        var petrova = rows.Single(r => r.FullName == "Петрова Анна Сергеевна");
        Assert.Equal(2, petrova.Held);
        Assert.Equal(4, petrova.Booked);
    }

    [Fact]
    public async Task BuildAsync_RendersTheSeededMonth_AsTheCsvAdministratorsGet()
    {
        var rows = CsvRows.Parse(ActivityCsv.Render(await BuildAsync(ReportSeed.Msk(11, 5, 12)), Language.Ru));

        Assert.Equal(7, rows.Count);
        Assert.Equal(["ученик", "Белова Анна", "7Б", "3", "6", "3", "2", "4,0", "2", "", "1", "0", ""], rows[2]);
        Assert.Equal(["ученик", "(данные удалены)", "", "1", "2", "1", "0", "", "0", "", "0", "0", ""], rows[3]);
        Assert.Equal(["учитель", "Петрова Анна Сергеевна", "МО естественных наук", "2", "11", "5", "4", "8,3", "4", "3", "2", "1", "2"], rows[4]);
    }

    [Fact]
    public async Task BuildAsync_GivesNoFigures_ForAMonthWithNothingInIt()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var rows = await new PgActivityReport(connection).BuildAsync(new ReportMonth(2026, 8), ReportSeed.Moscow, ReportSeed.Msk(11, 5, 12),
            CancellationToken.None);

        Assert.Empty(rows); // everyone registered on 1 September
    }
}
