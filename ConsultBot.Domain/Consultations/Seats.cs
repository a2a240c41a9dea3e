using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Consultations;

public readonly record struct SlotId(long Value);

public readonly record struct BookingId(long Value);

public enum PublishOutcome
{
    Published,
    /// <summary>Overlaps another open slot of the same teacher (the database's exclusion constraint said so).</summary>
    OverlapsAnotherSlot,
}

public enum SeatOutcome
{
    Booked,
    /// <summary>Every seat is taken; the person may join the waitlist.</summary>
    Full,
    /// <summary>Cancelled, gone, started, or inside the minimum notice.</summary>
    Closed,
    AlreadyBooked,
}

/// <summary>Slots and seats. Implementations make the database the last word on overlaps and capacity.</summary>
public interface IConsultationRepository
{
    Task<(PublishOutcome Outcome, SlotId? Slot)> PublishAsync(PersonId teacher, long? subjectId, SlotDraft draft, CancellationToken cancellationToken);

    /// <summary>Takes a seat in one conditional update: never more bookings than seats, whatever runs concurrently.</summary>
    Task<(SeatOutcome Outcome, BookingId? Booking)> TakeSeatAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        DateTimeOffset bookableUntil, CancellationToken cancellationToken);
}
