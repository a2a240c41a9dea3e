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
    /// <summary>The student already holds the allowed number of active bookings.</summary>
    LimitReached,
    /// <summary>The student holds another active booking at an overlapping time.</summary>
    OverlapsAnotherBooking,
}

public enum CancelOutcome
{
    Cancelled,
    /// <summary>Past the cancellation cut-off: the booking stays (the teacher can still be written to).</summary>
    TooLate,
    /// <summary>No such active or waiting booking of this person (or of a child they booked for).</summary>
    NotFound,
}

/// <summary>A waitlisted booking that got the freed seat.</summary>
public sealed record Promotion(BookingId Booking, PersonId Student);

/// <summary>Slots and seats. Implementations make the database the last word on overlaps and capacity.</summary>
public interface IConsultationRepository
{
    Task<(PublishOutcome Outcome, SlotId? Slot)> PublishAsync(PersonId teacher, long? subjectId, SlotDraft draft, CancellationToken cancellationToken);

    /// <summary>Takes a seat in one conditional update: never more bookings than seats, whatever runs concurrently.</summary>
    Task<(SeatOutcome Outcome, BookingId? Booking)> TakeSeatAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        DateTimeOffset bookableUntil, int maxActiveBookings, CancellationToken cancellationToken);

    /// <summary>Puts the student on the slot's waitlist (first come, first served); null if already booked or waiting.</summary>
    Task<BookingId?> JoinWaitlistAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a booking of <paramref name="requester"/> (the student, or who booked for them) unless the slot starts
    /// before <paramref name="cancellableUntil"/>; a freed seat goes at once to the first waiting booking.
    /// </summary>
    Task<(CancelOutcome Outcome, Promotion? Promoted)> CancelAsync(BookingId booking, PersonId requester, DateTimeOffset cancellableUntil,
        CancellationToken cancellationToken);
}
