using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using Moq;

namespace ConsultBot.Tests.Domain.Consultations;

public sealed class OfficeHoursTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static OfficeHours Template(DayOfWeek day, int fromHour, int toHour, int minutes) => new()
    {
        Id = 3,
        TeacherId = new PersonId(5),
        Day = day,
        From = new TimeOnly(fromHour, 0),
        To = new TimeOnly(toHour, 0),
        SlotMinutes = minutes,
        Room = "214",
    };

    [Fact]
    public void Starts_KeepTheLocalTimeAcrossADaylightSavingChange()
    {
        // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
        var starts = Template(DayOfWeek.Tuesday, 15, 16, 20).Starts(new DateOnly(2026, 3, 20), 2, Berlin);

        Assert.Equal(6, starts.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 24, 14, 0, 0, TimeSpan.Zero), starts[0].ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 13, 0, 0, TimeSpan.Zero), starts[3].ToUniversalTime());
        Assert.All(starts, s => Assert.Equal(15, TimeZoneInfo.ConvertTime(s, Berlin).Hour));
    }

    [Fact]
    public void Starts_LeaveOutALocalTimeTheClocksSkip()
    {
        // 02:00–03:00 does not exist in Berlin on 29 March 2026.
        var starts = Template(DayOfWeek.Sunday, 1, 4, 60).Starts(new DateOnly(2026, 3, 29), 1, Berlin);

        Assert.Equal([1, 3], starts.Select(s => TimeZoneInfo.ConvertTime(s, Berlin).Hour));
    }

    [Fact]
    public void SlotsPerDay_CountsWholeSlotsOnly() => Assert.Equal(2, Template(DayOfWeek.Monday, 15, 16, 25).SlotsPerDay);

    [Fact]
    public void WeekOf_RunsFromMondayToMondayInTheSchoolsZone()
    {
        // Sunday 23:30 in Moscow is still the old week, though it is Sunday 20:30 UTC.
        var (from, to) = SchoolTime.WeekOf(new DateTimeOffset(2026, 11, 29, 20, 30, 0, TimeSpan.Zero), Moscow);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(3)), from);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.FromHours(3)), to);
    }

    [Fact]
    public async Task Generator_SkipsExistingStarts_AndStopsAtTheWeeklyCap()
    {
        var now = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var template = Template(DayOfWeek.Tuesday, 15, 17, 30); // 4 slots, 120 min a week
        var repo = new Mock<IConsultationRepository>();
        var firstTuesday = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.FromHours(3));
        repo.Setup(r => r.WeeklyCapAsync(template.TeacherId, It.IsAny<CancellationToken>())).ReturnsAsync(4.0);
        repo.Setup(r => r.TemplateStartsAsync(3, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((long _, DateTimeOffset from, DateTimeOffset to, CancellationToken _) =>
                from <= firstTuesday && firstTuesday < to ? new HashSet<DateTimeOffset> { firstTuesday } : new HashSet<DateTimeOffset>());
        // The first week already holds 3.5 h of consultations (the existing 15:00 slot among them).
        repo.Setup(r => r.ScheduledMinutesAsync(template.TeacherId, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId _, DateTimeOffset from, DateTimeOffset to, CancellationToken _) => from <= firstTuesday && firstTuesday < to ? 210 : 0);
        var inserted = new List<DateTimeOffset>();
        repo.Setup(r => r.InsertTemplateSlotsAsync(template, It.IsAny<IReadOnlyList<DateTimeOffset>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OfficeHours _, IReadOnlyList<DateTimeOffset> s, CancellationToken _) =>
            {
                inserted.AddRange(s);
                return s.Count;
            });

        var added = await OfficeHoursGenerator.GenerateAsync(repo.Object, template, now, Moscow, 2, new ConsultationPolicy(), CancellationToken.None);

        // Week 1: 15:00 exists, 30 min left under the 4 h cap → only 15:30. Week 2: all four.
        Assert.Equal(5, added);
        Assert.Equal(firstTuesday.AddMinutes(30), inserted[0]);
        Assert.DoesNotContain(firstTuesday, inserted);
        Assert.Equal(4, inserted.Count(s => s > firstTuesday.AddDays(6)));
    }
}

public sealed class ConsultationFormatTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static SlotView At(DateTimeOffset start) => new(new SlotId(1), new ConsultBot.Domain.People.PersonId(1), "Петрова Анна Сергеевна", 1,
        "Математика", start, start.AddMinutes(30), ConsultationKind.Group, 10, 4, 2, ConsultationPurpose.Topic, "Дроби", true, null, "214", null, false);

    [Fact]
    public void When_ShowsTheSameLocalTimeOnBothSidesOfADaylightSavingChange()
    {
        var ru = ConsultBot.Domain.Texts.TextCatalog.For(ConsultBot.Domain.People.Language.Ru);

        Assert.Equal("вт, 24 марта, 15:00–15:30", ConsultationFormat.When(ru, At(new DateTimeOffset(2026, 3, 24, 14, 0, 0, TimeSpan.Zero)), Berlin));
        Assert.Equal("вт, 31 марта, 15:00–15:30", ConsultationFormat.When(ru, At(new DateTimeOffset(2026, 3, 31, 13, 0, 0, TimeSpan.Zero)), Berlin));
    }

    [Fact]
    public void Card_SaysWhatWhoWhereAndHowManySeats()
    {
        var en = ConsultBot.Domain.Texts.TextCatalog.For(ConsultBot.Domain.People.Language.En);

        var card = ConsultationFormat.Card(en, At(new DateTimeOffset(2026, 3, 24, 14, 0, 0, TimeSpan.Zero)), Berlin);

        Assert.Equal("🗓 Tue 24 Mar, 15:00–15:30\n📘 Математика · group · topic \"Дроби\" · attestation preparation\n👤 Петрова Анна Сергеевна\n"
            + "📍 room 214\n👥 seats taken: 4 of 10, waiting: 2", card);
        Assert.Equal("Петрова А. С.", ConsultationFormat.ShortName("Петрова Анна Сергеевна"));
    }
}
