namespace ConsultBot.Domain.Consultations;

/// <summary>The school's rules for consultations (values from configuration).</summary>
public sealed record ConsultationPolicy
{
    public int MinDurationMinutes { get; init; } = 10;
    public int MaxDurationMinutes { get; init; } = 240;
    public int MaxGroupCapacity { get; init; } = 100;
    /// <summary>Bookings close this long before the start.</summary>
    public TimeSpan MinimumNotice { get; init; } = TimeSpan.FromHours(2);
    /// <summary>A booking cannot be cancelled later than this before the start.</summary>
    public TimeSpan CancellationCutoff { get; init; } = TimeSpan.FromHours(3);
    public int MaxActiveBookingsPerStudent { get; init; } = 3;
    /// <summary>Default weekly consultation load of a teacher, hours; an administrator may set another per teacher.</summary>
    public double WeeklyWorkloadHours { get; init; } = 6;
    /// <summary>By the usual school order attestation preparation is group-only; some organisations allow individual.</summary>
    public bool IndividualAttestationPrepAllowed { get; init; }
}
