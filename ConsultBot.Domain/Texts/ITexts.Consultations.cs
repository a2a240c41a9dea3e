using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Texts;

/// <summary>Consultations: publishing, booking, /my, /slots, office hours, workload, reminders and the digest.</summary>
public partial interface ITexts
{
    // Menu and common pieces
    string MenuBook { get; }
    string MenuMyBookings { get; }
    string MenuPublish { get; }
    string MenuMySlots { get; }
    string MenuOfficeHours { get; }
    string MenuWorkload { get; }
    string Yes { get; }
    string No { get; }
    string UseTheButtons { get; }
    string TextTooLong(int max);
    string Minutes(int minutes);
    string DayName(DayOfWeek day);

    // How a slot reads
    string SlotWhen(DateTimeOffset localStart, DateTimeOffset localEnd);
    string SlotShort(DateTimeOffset localStart);
    string PlaceOnline(string link);
    string PlaceRoom(string room);
    string NoSubject { get; }
    string KindName(ConsultationKind kind);
    string Review { get; }
    string TopicButton { get; }
    string TopicNamed(string topic);
    string AttestationPrep { get; }
    string Seats(int booked, int capacity, int waiting);
    string FullMark { get; }
    string SlotCard(string when, string what, string teacher, string place, string? seats, string? note);

    // Publishing
    string AskSubject { get; }
    string SubjectNameInvalid(int max);
    string AskStart { get; }
    string DateInputError(DateInputError error);
    string DateInThePast { get; }
    string AskDuration { get; }
    string DurationInvalid(int min, int max);
    string AskKind { get; }
    string AskCapacity { get; }
    string CapacityInvalid(int max);
    string AskPurpose { get; }
    string AskTopicTitle { get; }
    string AskAttestationPrep { get; }
    string IndividualAttestationPrepRefused { get; }
    string MakeItGroup { get; }
    string NotForAttestation { get; }
    string AskFormat { get; }
    string FormatOnline { get; }
    string FormatInPerson { get; }
    string AskLink { get; }
    string LinkInvalid { get; }
    string AskRoom { get; }
    string AskNote { get; }
    string ConfirmPublish(string card);
    string Publish { get; }
    string Discard { get; }
    string Published(string card);
    string PublishAnother { get; }
    string SlotErrorText(SlotError error, ConsultationPolicy policy, double weeklyCapHours, int scheduledMinutes);
    string OverlapsAnotherSlot { get; }

    // Booking
    string NoChildrenLinked { get; }
    string ChooseChild { get; }
    string NotYourChild { get; }
    string BookingForStudentsAndParents { get; }
    string BookingNeedsParentConfirmation { get; }
    string ChildNeedsConfirmation(string child);
    string ChooseSubjectToBook { get; }
    string NearestSlots { get; }
    string NearestSlotsTitle { get; }
    string NoOpenSlots { get; }
    string ChooseTeacher { get; }
    string SlotsOfTeacher(string teacher, string subject);
    string Book { get; }
    string BookWithQuestion { get; }
    string JoinWaitlist { get; }
    string AskBookingTopic(int max);
    string BookedConfirmation(string card, string? forChild);
    string BookedByParent(string parent, string card);
    string SlotFull { get; }
    string SlotClosed(double noticeHours);
    string AlreadyBookedOrWaiting { get; }
    string BookingLimitReached(int max);
    string OverlapsAnotherBooking { get; }
    string Waitlisted(string when, int position);
    string PromotedFromWaitlist(string card, string? forChild);

    // My bookings
    string NoBookings { get; }
    string MyBookings(IReadOnlyList<string> lines);
    string BookingLine(int number, string when, string what, string teacher, string place, string? forChild, bool waiting);
    string CancelBookingButton(int number);
    string MoveBookingButton(int number);
    string BookingNotFound { get; }
    string ConfirmCancelBooking(string card);
    string YesCancelBooking { get; }
    string KeepBooking { get; }
    string BookingCancelled(string when);
    string CancelTooLate(double cutoffHours);
    string WriteToTeacher { get; }
    string AskMessageToTeacher(string teacher);
    string MessageSentToTeacher { get; }
    string ChooseNewTime(string currentWhen);
    string NoOtherSlots { get; }
    string BookingMoved(string card);

    // What the teacher hears
    string TeacherNewBooking(string student, string when, string what, string? seats);
    string TeacherWaitlisted(string student, string when);
    string TeacherBookingCancelled(string student, string when, bool wasWaiting);
    string TeacherPromoted(string student, string when);
    string TeacherBookingMoved(string student, string fromWhen, string toWhen);
    string MessageAboutBooking(string student, string when, string text);

    // The teacher's slots
    string UpcomingSlotsTitle { get; }
    string NoUpcomingSlots { get; }
    string PastSlotsTitle { get; }
    string NoPastSlots { get; }
    string UpcomingSlots { get; }
    string PastSlots { get; }
    string TeacherSlotCard(string card, IReadOnlyList<string> booked, IReadOnlyList<string> waiting);
    string CancelSlotButton { get; }
    string SlotNotFound { get; }
    string SlotAlreadyStarted { get; }
    string AskCancelReason(string when);
    string SlotCancelled(string when, int told);
    string SlotCancelledByTeacher(string card, string reason, string? forChild);
    string AttendanceName(Attendance attendance);
    string AttendanceMarked(Attendance attendance);
    string AttendanceNotPossible { get; }

    // Office hours
    string OfficeHoursList(IReadOnlyList<string> lines, int weeksAhead);
    string OfficeHoursLine(string day, string from, string to, int slotMinutes, string subject, string place);
    string AddOfficeHours { get; }
    string RemoveOfficeHours(int number);
    string OfficeHoursRemoved { get; }
    string AskOfficeHoursDay { get; }
    string AskOfficeHoursTime { get; }
    string AskSlotLength { get; }
    string OfficeHoursErrorText(OfficeHoursError error, ConsultationPolicy policy);
    string OfficeHoursOverCap(double capHours);
    string OfficeHoursSaved(string line, int slotsAdded, int weeksAhead);

    // Workload (administrators)
    string WorkloadTitle(double defaultHours);
    string NoTeachersYet { get; }
    string TeacherCapLabel(string name, double hours, bool ownCap);
    string AskWeeklyCap(string name, double currentHours, double maxHours);
    string WeeklyCapInvalid(double maxHours);
    string WeeklyCapSet(string name, double hours);

    // Reminders and the evening digest
    string ReminderToParticipant(string card, TimeSpan before, string? forChild);
    string ReminderToTeacher(string card, IReadOnlyList<string> students, TimeSpan before);
    string DigestDate(DateOnly day);
    string DigestEntry(string when, string what, string place, IReadOnlyList<string> students, int waiting);
    string TeacherDigest(string date, IReadOnlyList<string> entries);
}
