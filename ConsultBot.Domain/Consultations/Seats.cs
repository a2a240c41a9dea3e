using System.Globalization;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Consultations;

public readonly record struct SlotId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public static SlotId? TryParse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? new SlotId(v) : null;
}

public readonly record struct BookingId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public static BookingId? TryParse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? new BookingId(v) : null;
}

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

public enum BookingStatus
{
    Active,
    Waiting,
    Cancelled,
}

public enum Attendance
{
    Present,
    Absent,
    Late,
}

/// <summary>A waitlisted booking that got the freed seat.</summary>
public sealed record Promotion(BookingId Booking, PersonId Student);

/// <summary>Moving a booking: the old one is cancelled and the new seat taken together, or neither happens.</summary>
public sealed record RescheduleResult(CancelOutcome Cancel, SeatOutcome? Seat, BookingId? NewBooking, Promotion? Promoted)
{
    public bool Moved => Cancel == CancelOutcome.Cancelled && Seat == SeatOutcome.Booked;
}

public sealed record Subject(long Id, string Name);

/// <summary>A slot as people see it.</summary>
public sealed record SlotView(
    SlotId Id,
    PersonId TeacherId,
    string TeacherName,
    long? SubjectId,
    string? SubjectName,
    DateTimeOffset Start,
    DateTimeOffset End,
    ConsultationKind Kind,
    int Capacity,
    int Booked,
    int Waiting,
    ConsultationPurpose Purpose,
    string? TopicTitle,
    bool AttestationPrep,
    string? Link,
    string? Room,
    string? Note,
    bool Cancelled)
{
    public bool Full => Booked >= Capacity;
}

/// <summary>A booking with its slot and the student it is for.</summary>
public sealed record BookingView(
    BookingId Id,
    SlotView Slot,
    PersonId StudentId,
    string StudentName,
    string? StudentGroup,
    PersonId BookedBy,
    BookingStatus Status,
    string? Topic,
    Attendance? Attendance);

/// <summary>A teacher (or other consulting staff) and their weekly consultation cap, if an administrator set one.</summary>
public sealed record TeacherSummary(PersonId Id, string Name, double? WeeklyCapHours);

/// <summary>Which open, bookable slots to list.</summary>
public sealed record SlotQuery(DateTimeOffset BookableAfter, int Limit)
{
    public long? SubjectId { get; init; }
    public PersonId? TeacherId { get; init; }
    public SlotId? Except { get; init; }
}

/// <summary>Slots and seats. Implementations make the database the last word on overlaps and capacity.</summary>
public interface IConsultationRepository
{
    // Subjects
    Task<IReadOnlyList<Subject>> SubjectsAsync(CancellationToken cancellationToken);

    /// <summary>The subject with that name (case-insensitive), created if new.</summary>
    Task<Subject> AddSubjectAsync(string name, CancellationToken cancellationToken);

    Task<Subject?> GetSubjectAsync(long id, CancellationToken cancellationToken);

    // Publishing
    Task<(PublishOutcome Outcome, SlotId? Slot)> PublishAsync(PersonId teacher, long? subjectId, SlotDraft draft, CancellationToken cancellationToken);

    /// <summary>Minutes of the teacher's open slots starting in [from, to).</summary>
    Task<int> ScheduledMinutesAsync(PersonId teacher, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The teacher's own weekly cap in hours; null when the school default applies.</summary>
    Task<double?> WeeklyCapAsync(PersonId teacher, CancellationToken cancellationToken);

    Task SetWeeklyCapAsync(PersonId teacher, double hours, CancellationToken cancellationToken);

    /// <summary>Active teachers and administrators (who may consult too), by name.</summary>
    Task<IReadOnlyList<TeacherSummary>> TeachersAsync(CancellationToken cancellationToken);

    // Browsing
    Task<IReadOnlyList<Subject>> SubjectsWithOpenSlotsAsync(DateTimeOffset bookableAfter, CancellationToken cancellationToken);

    Task<IReadOnlyList<TeacherSummary>> TeachersWithOpenSlotsAsync(long subjectId, DateTimeOffset bookableAfter, CancellationToken cancellationToken);

    /// <summary>Open slots starting after <see cref="SlotQuery.BookableAfter"/>, earliest first (full ones included).</summary>
    Task<IReadOnlyList<SlotView>> OpenSlotsAsync(SlotQuery query, CancellationToken cancellationToken);

    Task<SlotView?> GetSlotAsync(SlotId slot, CancellationToken cancellationToken);

    /// <summary>The teacher's open slots that end after <paramref name="from"/> and start before <paramref name="to"/>, earliest first.</summary>
    Task<IReadOnlyList<SlotView>> TeacherSlotsAsync(PersonId teacher, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Active bookings, then the waitlist in its order.</summary>
    Task<IReadOnlyList<BookingView>> BookingsOfSlotAsync(SlotId slot, CancellationToken cancellationToken);

    /// <summary>
    /// Active and waiting bookings on open slots ending after <paramref name="endsAfter"/> that <paramref name="person"/>
    /// holds, made, or holds as a parent of the student; earliest first.
    /// </summary>
    Task<IReadOnlyList<BookingView>> BookingsOfAsync(PersonId person, DateTimeOffset endsAfter, CancellationToken cancellationToken);

    Task<BookingView?> GetBookingAsync(BookingId booking, CancellationToken cancellationToken);

    // Seats
    /// <summary>Takes a seat in one conditional update: never more bookings than seats, whatever runs concurrently.</summary>
    Task<(SeatOutcome Outcome, BookingId? Booking)> TakeSeatAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        DateTimeOffset bookableUntil, int maxActiveBookings, CancellationToken cancellationToken);

    /// <summary>Puts the student on the slot's waitlist (first come, first served); null if already booked or waiting.</summary>
    Task<BookingId?> JoinWaitlistAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a booking of <paramref name="requester"/> (the student, who booked it, or the student's parent) unless the
    /// slot starts before <paramref name="cancellableUntil"/>; a freed seat goes at once to the first waiting booking.
    /// </summary>
    Task<(CancelOutcome Outcome, Promotion? Promoted)> CancelAsync(BookingId booking, PersonId requester, DateTimeOffset cancellableUntil,
        CancellationToken cancellationToken);

    /// <summary>Cancel + take a seat in another slot atomically (a savepoint): both happen or neither.</summary>
    Task<RescheduleResult> RescheduleAsync(BookingId booking, PersonId requester, SlotId to, DateTimeOffset cancellableUntil,
        DateTimeOffset bookableUntil, int maxActiveBookings, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels the teacher's open slot with a reason; returns the bookings (active and waiting) that were cancelled with it,
    /// or null when it is not an open slot of this teacher.
    /// </summary>
    Task<IReadOnlyList<BookingView>?> CancelSlotAsync(SlotId slot, PersonId teacher, string reason, CancellationToken cancellationToken);

    /// <summary>Marks attendance of an active booking on the teacher's slot that has started; false otherwise.</summary>
    Task<bool> MarkAttendanceAsync(BookingId booking, PersonId teacher, Attendance attendance, DateTimeOffset now, CancellationToken cancellationToken);

    // Office hours
    Task<OfficeHours> AddOfficeHoursAsync(OfficeHours template, CancellationToken cancellationToken);

    Task<IReadOnlyList<OfficeHours>> OfficeHoursOfAsync(PersonId teacher, CancellationToken cancellationToken);

    /// <summary>Stops a template; its future slots nobody booked or waits for are cancelled. False when not the teacher's.</summary>
    Task<bool> RemoveOfficeHoursAsync(long templateId, PersonId teacher, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Starts of the template's slots (any status) in [from, to).</summary>
    Task<IReadOnlySet<DateTimeOffset>> TemplateStartsAsync(long templateId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts generated slots of a template; a start the template already has, or one overlapping another open slot of
    /// the teacher, is skipped. Returns how many were inserted.
    /// </summary>
    Task<int> InsertTemplateSlotsAsync(OfficeHours template, IReadOnlyList<DateTimeOffset> starts, CancellationToken cancellationToken);
}
