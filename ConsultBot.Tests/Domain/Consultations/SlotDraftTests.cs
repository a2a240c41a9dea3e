using ConsultBot.Domain.Consultations;

namespace ConsultBot.Tests.Domain.Consultations;

public sealed class SlotDraftTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly ConsultationPolicy Policy = new();

    private static SlotDraft Valid => new()
    {
        Start = Now.AddDays(1),
        DurationMinutes = 40,
        Kind = ConsultationKind.Group,
        Capacity = 10,
        Purpose = ConsultationPurpose.Topic,
        TopicTitle = "Квадратные уравнения",
        Link = "https://meet.school.example/room-7",
    };

    [Fact]
    public void Validate_AcceptsAGoodSlot() => Assert.Empty(Valid.Validate(Policy, Now, 0, Policy.WeeklyWorkloadHours));

    [Theory]
    [InlineData(0, SlotError.TooShort)]
    [InlineData(-30, SlotError.TooShort)]
    [InlineData(1000, SlotError.TooLong)]
    public void Validate_RefusesDuration(int minutes, SlotError expected) =>
        Assert.Contains(expected, (Valid with { DurationMinutes = minutes }).Validate(Policy, Now, 0, 100));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10_000)]
    public void Validate_RefusesGroupCapacity(int capacity) =>
        Assert.Contains(SlotError.CapacityOutOfRange, (Valid with { Capacity = capacity }).Validate(Policy, Now, 0, 100));

    [Fact]
    public void Validate_RefusesPastStart() =>
        Assert.Contains(SlotError.InThePast, (Valid with { Start = Now.AddMinutes(-1) }).Validate(Policy, Now, 0, 100));

    [Fact]
    public void Validate_RefusesIndividualAttestationPrep_UnlessTheSchoolAllowsIt()
    {
        var draft = Valid with { Kind = ConsultationKind.Individual, Capacity = 1, PreparesForAttestation = true };

        Assert.Contains(SlotError.IndividualAttestationPrep, draft.Validate(Policy, Now, 0, 100));
        Assert.Empty(draft.Validate(Policy with { IndividualAttestationPrepAllowed = true }, Now, 0, 100));
        Assert.Empty((draft with { Kind = ConsultationKind.Group, Capacity = 12 }).Validate(Policy, Now, 0, 100));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("meet.school.example/room")]
    [InlineData("ftp://files.school.example/x")]
    public void Validate_RefusesLinkThatIsNotHttp(string link) =>
        Assert.Contains(SlotError.LinkNotHttp, (Valid with { Link = link }).Validate(Policy, Now, 0, 100));

    [Fact]
    public void Validate_NeedsRoom_ForInPersonSlot()
    {
        Assert.Contains(SlotError.RoomMissing, (Valid with { Link = null }).Validate(Policy, Now, 0, 100));
        Assert.Empty((Valid with { Link = null, Room = "каб. 214" }).Validate(Policy, Now, 0, 100));
    }

    [Fact]
    public void Validate_NeedsTitle_ForTopicConsultation() =>
        Assert.Contains(SlotError.TopicTitleMissing, (Valid with { TopicTitle = " " }).Validate(Policy, Now, 0, 100));

    [Fact]
    public void Validate_RefusesSlotOverTheWeeklyWorkload()
    {
        Assert.Contains(SlotError.OverWorkload, Valid.Validate(Policy, Now, scheduledMinutesThatWeek: 330, weeklyCapHours: 6));
        Assert.Empty(Valid.Validate(Policy, Now, scheduledMinutesThatWeek: 320, weeklyCapHours: 6));
    }

    [Fact]
    public void SafeLink_KeepsHttpsLinks_AndRefusesOverlongOnes()
    {
        Assert.Equal("https://school.example/a?b=1", SafeLink.TryCreate(" https://school.example/a?b=1 ")!.ToString());
        Assert.Null(SafeLink.TryCreate("https://school.example/" + new string('a', 5000)));
    }
}
