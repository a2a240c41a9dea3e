using System.Text;
using ConsultBot.Domain.Timetable;
using Moq;

namespace ConsultBot.Tests.Domain.Timetable;

public sealed class TimetableImporterTests
{
    private static readonly TimetableSettings Term = new() { TermStart = new(2026, 10, 1), TermEnd = new(2026, 11, 30) };
    private readonly Mock<ITimetableRepository> _repository = new();
    private TimetablePlan? _plan;

    public TimetableImporterTests()
    {
        _repository.Setup(r => r.HolidayDaysAsync(It.IsAny<DateOnly>(), It.IsAny<DateOnly>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HashSet<DateOnly> { new(2026, 11, 2) });
        _repository.Setup(r => r.ImportAsync(It.IsAny<TimetablePlan>(), It.IsAny<CancellationToken>()))
            .Callback((TimetablePlan plan, CancellationToken _) => _plan = plan)
            .ReturnsAsync(TimetableImportResult.Stored(new ImportCounts(0, 0, 0, 0)));
    }

    private Task<TimetableImportResult> ImportAsync(string csv, string zone = "Europe/Berlin", DateTimeOffset? now = null) =>
        TimetableImporter.ImportAsync(Encoding.UTF8.GetBytes(csv), _repository.Object, Term, TimeZoneInfo.FindSystemTimeZoneById(zone),
            now ?? new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);

    [Fact]
    public async Task ImportAsync_KeepsLocalTimeAcrossDaylightSavingChange()
    {
        await ImportAsync("class;day;start;end;subject\n5A;Mon;8:30;9:15;Maths\n");

        var lessons = _plan!.Lessons;
        var october = lessons.Single(l => l.Day == new DateOnly(2026, 10, 19));
        var november = lessons.Single(l => l.Day == new DateOnly(2026, 11, 9));
        Assert.Equal(new DateTimeOffset(2026, 10, 19, 6, 30, 0, TimeSpan.Zero), october.StartsAt.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 7, 30, 0, TimeSpan.Zero), november.StartsAt.ToUniversalTime());
        Assert.All(lessons, l => Assert.True(l.Weekly));
    }

    [Fact]
    public async Task ImportAsync_SkipsHolidaysForWeeklyRowsOnly()
    {
        await ImportAsync("class;day;start;end;subject\n5A;Mon;8:30;9:15;Maths\n5A;02.11.2026;10:00;10:45;Trip\n");

        var onHoliday = _plan!.Lessons.Where(l => l.Day == new DateOnly(2026, 11, 2)).ToList();
        Assert.Equal("Trip", Assert.Single(onHoliday).Subject);
        Assert.False(onHoliday[0].Weekly);
        Assert.Equal(9 - 1 + 1, _plan.Lessons.Count);
    }

    [Fact]
    public async Task ImportAsync_LeavesThePastAlone()
    {
        await ImportAsync("class;day;start;end;subject\n5A;Mon;8:30;9:15;Maths\n", now: new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 30)], _plan!.Lessons.Select(l => l.Day));
        Assert.Equal(new DateOnly(2026, 11, 20), _plan.Today);
    }

    [Fact]
    public async Task ImportAsync_RefusesOverlaps_WithoutTouchingTheRepository()
    {
        var result = await ImportAsync("class;day;start;end;subject\n5A;Mon;8:30;9:15;Maths\n5A;Mon;9:00;9:45;Physics\n");

        Assert.Null(result.Counts);
        Assert.Equal(TimetableErrorKind.Overlap, Assert.Single(result.Errors).Kind);
        _repository.Verify(r => r.ImportAsync(It.IsAny<TimetablePlan>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ImportAsync_RefusesRangeWithoutSuchDay()
    {
        var result = await ImportAsync("class;day;start;end;subject;from;to\n5A;Mon;8:30;9:15;Maths;06.10.2026;09.10.2026\n");

        Assert.Equal(new TimetableError(2, TimetableErrorKind.NoDaysInRange), Assert.Single(result.Errors));
    }
}
