namespace ConsultBot.Domain.Consultations;

public enum ConsultationKind
{
    Individual,
    Group,
}

/// <summary>What a consultation is for: a review of a subject or part of it, or a named topic.</summary>
public enum ConsultationPurpose
{
    Review,
    Topic,
}

public enum SlotError
{
    InThePast,
    TooShort,
    TooLong,
    CapacityOutOfRange,
    IndividualAttestationPrep,
    TopicTitleMissing,
    LinkNotHttp,
    RoomMissing,
    OverWorkload,
}

/// <summary>
/// A consultation a teacher is about to publish, before it is stored. <see cref="Validate"/> lists every rule it
/// breaks, so the dialog can say all of it at once; overlapping another slot of the teacher is refused by the
/// database (an exclusion constraint) and reported the same way.
/// </summary>
public sealed record SlotDraft
{
    public required DateTimeOffset Start { get; init; }
    public required int DurationMinutes { get; init; }
    public required ConsultationKind Kind { get; init; }
    /// <summary>Seats of a group consultation; an individual one has one.</summary>
    public int Capacity { get; init; } = 1;
    public required ConsultationPurpose Purpose { get; init; }
    public string? TopicTitle { get; init; }
    public bool PreparesForAttestation { get; init; }
    /// <summary>Online: the meeting link. In person: null, and <see cref="Room"/> is set.</summary>
    public string? Link { get; init; }
    public string? Room { get; init; }
    /// <summary>The teacher's note to students (what to bring, how to join).</summary>
    public string? Note { get; init; }

    public DateTimeOffset End => Start.AddMinutes(DurationMinutes);

    /// <param name="scheduledMinutesThatWeek">The teacher's consultation minutes already published in the slot's week.</param>
    /// <param name="weeklyCapHours">The teacher's cap (the policy's default unless an administrator set another).</param>
    public IReadOnlyList<SlotError> Validate(ConsultationPolicy policy, DateTimeOffset now, int scheduledMinutesThatWeek, double weeklyCapHours)
    {
        var errors = new List<SlotError>();
        if (Start <= now)
        {
            errors.Add(SlotError.InThePast);
        }
        if (DurationMinutes < policy.MinDurationMinutes)
        {
            errors.Add(SlotError.TooShort);
        }
        else if (DurationMinutes > policy.MaxDurationMinutes)
        {
            errors.Add(SlotError.TooLong);
        }
        if (Kind == ConsultationKind.Group ? Capacity is < 2 || Capacity > policy.MaxGroupCapacity : Capacity != 1)
        {
            errors.Add(SlotError.CapacityOutOfRange);
        }
        if (PreparesForAttestation && Kind == ConsultationKind.Individual && !policy.IndividualAttestationPrepAllowed)
        {
            errors.Add(SlotError.IndividualAttestationPrep);
        }
        if (Purpose == ConsultationPurpose.Topic && string.IsNullOrWhiteSpace(TopicTitle))
        {
            errors.Add(SlotError.TopicTitleMissing);
        }
        if (Link is not null && SafeLink.TryCreate(Link) is null)
        {
            errors.Add(SlotError.LinkNotHttp);
        }
        if (Link is null && string.IsNullOrWhiteSpace(Room))
        {
            errors.Add(SlotError.RoomMissing);
        }
        if (DurationMinutes > 0 && scheduledMinutesThatWeek + DurationMinutes > weeklyCapHours * 60)
        {
            errors.Add(SlotError.OverWorkload);
        }
        return errors;
    }
}
