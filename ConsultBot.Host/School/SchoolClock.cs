namespace ConsultBot.Host.School;

/// <summary>
/// The clock of the school's business: what "now" is for bookings, notice periods, reminders and digests. Kept apart
/// from the <see cref="TimeProvider"/> the infrastructure uses (dispatcher pacing and leases, polling back-off), so a
/// test can move the school's time by days without stalling delivery. In production both are the system clock.
/// </summary>
public sealed class SchoolClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow().ToUniversalTime();
}
