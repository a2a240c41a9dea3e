using System.Globalization;
using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    private static readonly string[] EnMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public string MenuBook => "📅 Book a consultation";
    public string MenuMyBookings => "My bookings";
    public string MenuPublish => "➕ New consultation";
    public string MenuMySlots => "My consultations";
    public string MenuOfficeHours => "Office hours";
    public string MenuWorkload => "Teachers' workload";
    public string Yes => "Yes";
    public string No => "No";
    public string UseTheButtons => "Please choose an answer with the buttons below.";
    public string TextTooLong(int max) => $"Too long or empty: 1 to {max} characters, please. Try again.";
    public string Minutes(int minutes) => $"{minutes} min";
    public string DayName(DayOfWeek day) => day.ToString();

    public string SlotWhen(DateTimeOffset s, DateTimeOffset e) => $"{s.DayOfWeek.ToString()[..3]} {s.Day} {EnMonths[s.Month - 1]}, {Hm(s)}–{Hm(e)}";
    public string SlotShort(DateTimeOffset s) => $"{s.DayOfWeek.ToString()[..3]} {s.Day} {EnMonths[s.Month - 1]} {Hm(s)}";
    public string PlaceOnline(string link) => $"online: {link}";
    public string PlaceRoom(string room) => $"room {room}";
    public string NoSubject => "no subject";
    public string KindName(ConsultationKind kind) => kind == ConsultationKind.Group ? "group" : "individual";
    public string Review => "review";
    public string TopicButton => "on a topic";
    public string TopicNamed(string topic) => $"topic \"{topic}\"";
    public string AttestationPrep => "attestation preparation";
    public string Seats(int booked, int capacity, int waiting) =>
        $"seats taken: {booked} of {capacity}" + (waiting > 0 ? $", waiting: {waiting}" : string.Empty);
    public string FullMark => "taken";

    public string SlotCard(string when, string what, string teacher, string place, string? seats, string? note) =>
        $"🗓 {when}\n📘 {what}\n👤 {teacher}\n📍 {place}" + (seats is null ? string.Empty : $"\n👥 {seats}")
        + (string.IsNullOrWhiteSpace(note) ? string.Empty : $"\n📝 {note}");

    public string AskSubject => "Which subject? Choose one or type its name.";
    public string SubjectNameInvalid(int max) => $"A subject name is 2 to {max} characters. For example: Mathematics";
    public string AskStart => "Start date and time? For example: 25.11 15:00 or tomorrow 15:30";

    public string DateInputError(DateInputError error) => error switch
    {
        Consultations.DateInputError.NoSuchDate => "There is no such date. Check the day and month, for example: 25.11 15:00",
        Consultations.DateInputError.NoSuchTime => "There is no such time: hours 0–23, minutes 0–59. For example: 15:30",
        Consultations.DateInputError.SkippedByClockChange => "The clocks change at that time, so it does not exist locally. Please choose another.",
        _ => "I could not read the date. Type it like this: 25.11 15:00, 25.11.2026 9:30 or tomorrow 15:30",
    };

    public string DateInThePast => "That time has passed. Please give a future date and time.";
    public string AskDuration => "How many minutes? Choose or type a number.";
    public string DurationInvalid(int min, int max) => $"The length is a whole number of minutes from {min} to {max}.";
    public string AskKind => "Individual or group?";
    public string AskCapacity => "How many seats? Choose or type a number.";
    public string CapacityInvalid(int max) => $"A group has 2 to {max} seats. Type a number.";
    public string AskPurpose => "Is it a review or on a specific topic?";
    public string AskTopicTitle => "Type the topic.";
    public string AskAttestationPrep => "Does it prepare for an attestation (interim or final)?";
    public string IndividualAttestationPrepRefused =>
        "By the school's order, attestation preparation consultations are group only. Make this one a group consultation?";
    public string MakeItGroup => "Make it a group one";
    public string NotForAttestation => "It is not attestation preparation";
    public string AskFormat => "How will it take place?";
    public string FormatOnline => "Online (link)";
    public string FormatInPerson => "In person (room)";
    public string AskLink => "Send the meeting link (starting with https:// or http://).";
    public string LinkInvalid => "That is not a meeting link: a full address starting with https:// or http:// is needed.";
    public string AskRoom => "Which room? For example: 214";
    public string AskNote => "A note for students (what to bring, how to join)? Or press \"Skip\".";
    public string ConfirmPublish(string card) => $"Check and publish:\n\n{card}";
    public string Publish => "✅ Publish";
    public string Discard => "Cancel";
    public string Published(string card) => $"The consultation is published ✅\n\n{card}";
    public string PublishAnother => "➕ Another one";

    public string SlotErrorText(SlotError error, ConsultationPolicy policy, double weeklyCapHours, int scheduledMinutes) => error switch
    {
        SlotError.InThePast => "The start time has passed; please choose another.",
        SlotError.TooShort or SlotError.TooLong => DurationInvalid(policy.MinDurationMinutes, policy.MaxDurationMinutes),
        SlotError.CapacityOutOfRange => CapacityInvalid(policy.MaxGroupCapacity),
        SlotError.IndividualAttestationPrep => IndividualAttestationPrepRefused,
        SlotError.TopicTitleMissing => "A consultation on a topic needs the topic.",
        SlotError.LinkNotHttp => LinkInvalid,
        SlotError.RoomMissing => "Give a room or a link.",
        SlotError.OverWorkload =>
            $"This exceeds your weekly consultation load: {Num(weeklyCapHours)} h a week, {Num(scheduledMinutes / 60.0)} h already planned that week. Choose another week or ask an administrator.",
        _ => "The consultation cannot be published.",
    };

    public string OverlapsAnotherSlot => "You already have a consultation at that time. Please choose another time.";

    public string NoChildrenLinked => "Link your child first: ask them for the code from /profile and press the button below.";
    public string ChooseChild => "Who is the booking for?";
    public string NotYourChild => "This student is not linked to your profile.";
    public string BookingForStudentsAndParents => "Students and parents can book consultations.";
    public string BookingNeedsParentConfirmation => "Booking opens once a parent confirms your registration (the code is in /profile).";
    public string ChildNeedsConfirmation(string child) => $"Please confirm the registration of {child} first.";
    public string ChooseSubjectToBook => "Choose a subject or see the nearest free times:";
    public string NearestSlots => "⏱ Nearest free";
    public string NearestSlotsTitle => "Nearest consultations:";
    public string NoOpenSlots => "There are no consultations open for booking right now. Please look again later.";
    public string ChooseTeacher => "Choose a teacher:";
    public string SlotsOfTeacher(string teacher, string subject) => $"{subject} — {teacher}. Choose a time:";
    public string Book => "✅ Book";
    public string BookWithQuestion => "✍️ Book with a question";
    public string JoinWaitlist => "Join the waitlist";
    public string AskBookingTopic(int max) => $"Type your question or topic for the teacher (up to {max} characters).";

    public string BookedConfirmation(string card, string? forChild) =>
        (forChild is null ? "You are booked ✅" : $"{forChild} is booked ✅") + $"\n\n{card}\n\nCancel or move it in \"My bookings\".";

    public string BookedByParent(string parent, string card) => $"{parent} booked a consultation for you:\n\n{card}";
    public string SlotFull => "All seats are taken. You can join the waitlist: when a seat frees up you are booked automatically and told.";
    public string SlotClosed(double noticeHours) =>
        $"This time cannot be booked: the consultation was cancelled, has started, or starts in less than {Num(noticeHours)} h.";
    public string AlreadyBookedOrWaiting => "You are already booked for this consultation (or on its waitlist).";
    public string BookingLimitReached(int max) => $"You can hold at most {max} active bookings at a time. Cancel one in \"My bookings\".";
    public string OverlapsAnotherBooking => "You already have another consultation at that time.";
    public string Waitlisted(string when, int position) =>
        $"You are on the waitlist for {when} (position {position}). When a seat frees up you are booked automatically and told.";

    public string PromotedFromWaitlist(string card, string? forChild) =>
        (forChild is null ? "A seat freed up — you are booked ✅" : $"A seat freed up — {forChild} is booked ✅") + $"\n\n{card}";

    public string NoBookings => "You have no upcoming bookings.";
    public string MyBookings(IReadOnlyList<string> lines) => "Your bookings:\n\n" + string.Join("\n\n", lines);

    public string BookingLine(int number, string when, string what, string teacher, string place, string? forChild, bool waiting) =>
        $"{number}. {when}\n{what}, {teacher}\n{place}" + (forChild is null ? string.Empty : $"\nfor: {forChild}")
        + (waiting ? "\n⏳ on the waitlist" : string.Empty);

    public string CancelBookingButton(int number) => $"✖ Cancel {number}";
    public string MoveBookingButton(int number) => $"↔ Move {number}";
    public string BookingNotFound => "This booking was not found or is already cancelled.";
    public string ConfirmCancelBooking(string card) => $"Cancel this booking?\n\n{card}";
    public string YesCancelBooking => "Yes, cancel";
    public string KeepBooking => "No, keep it";
    public string BookingCancelled(string when) => $"The booking for {when} is cancelled. The teacher was told.";
    public string CancelTooLate(double cutoffHours) =>
        $"A booking can be cancelled no later than {Num(cutoffHours)} h before the start. If you cannot come, write to the teacher.";
    public string WriteToTeacher => "✉️ Write to the teacher";
    public string AskMessageToTeacher(string teacher) => $"Type your message for the teacher ({teacher}).";
    public string MessageSentToTeacher => "Your message was sent to the teacher.";
    public string ChooseNewTime(string currentWhen) => $"Now: {currentWhen}. Choose the new time:";
    public string NoOtherSlots => "This teacher has no other free time in this subject.";
    public string BookingMoved(string card) => $"The booking was moved ✅\n\n{card}";

    public string TeacherNewBooking(string student, string when, string what, string? seats) =>
        $"New booking: {student}\n{when}\n{what}" + (seats is null ? string.Empty : $"\n{seats}");
    public string TeacherWaitlisted(string student, string when) => $"On the waitlist for {when}: {student}";
    public string TeacherBookingCancelled(string student, string when, bool wasWaiting) =>
        (wasWaiting ? "Left the waitlist" : "Booking cancelled") + $": {student}\n{when}";
    public string TeacherPromoted(string student, string when) => $"Booked from the waitlist: {student}\n{when}";
    public string TeacherBookingMoved(string student, string fromWhen, string toWhen) => $"Booking moved: {student}\nwas: {fromWhen}\nnow: {toWhen}";
    public string MessageAboutBooking(string student, string when, string text) => $"A message about the consultation {when}\nfrom: {student}\n\n{text}";

    public string UpcomingSlotsTitle => "Your upcoming consultations:";
    public string NoUpcomingSlots => "No consultations planned.";
    public string PastSlotsTitle => "Past consultations (mark attendance):";
    public string NoPastSlots => "No consultations with bookings in the last two weeks.";
    public string UpcomingSlots => "Upcoming";
    public string PastSlots => "Past";

    public string TeacherSlotCard(string card, IReadOnlyList<string> booked, IReadOnlyList<string> waiting) =>
        card + "\n\nBooked:" + (booked.Count == 0 ? " nobody yet" : "\n" + string.Join("\n", booked.Select((b, i) => $"{i + 1}. {b}")))
        + (waiting.Count == 0 ? string.Empty : "\n\nWaitlist:\n" + string.Join("\n", waiting.Select((w, i) => $"{i + 1}. {w}")));

    public string CancelSlotButton => "✖ Cancel the consultation";
    public string SlotNotFound => "The consultation was not found or is already cancelled.";
    public string SlotAlreadyStarted => "The consultation has started; it cannot be cancelled.";
    public string AskCancelReason(string when) => $"Cancelling the consultation {when}. Type the reason: everyone booked will see it.";
    public string SlotCancelled(string when, int told) => $"The consultation {when} is cancelled. Notified: {told}.";
    public string SlotCancelledByTeacher(string card, string reason, string? forChild) =>
        "The teacher cancelled the consultation" + (forChild is null ? string.Empty : $" (booking for {forChild})") + $".\nReason: {reason}\n\n{card}";

    public string AttendanceName(Attendance attendance) => attendance switch
    {
        Attendance.Present => "✅ present",
        Attendance.Absent => "❌ absent",
        _ => "⏰ late",
    };

    public string AttendanceMarked(Attendance attendance) => "Marked: " + AttendanceName(attendance);
    public string AttendanceNotPossible => "Attendance can be marked only after the consultation starts.";

    public string OfficeHoursList(IReadOnlyList<string> lines, int weeksAhead) =>
        (lines.Count == 0 ? "No office hours yet." : "Your office hours:\n" + string.Join("\n", lines))
        + $"\n\nThe bot publishes individual consultations from office hours {weeksAhead} weeks ahead.";
    public string OfficeHoursLine(string day, string from, string to, int slotMinutes, string subject, string place) =>
        $"{day}, {from}–{to}, {slotMinutes} min each — {subject}, {place}";
    public string AddOfficeHours => "➕ Add";
    public string RemoveOfficeHours(int number) => $"✖ Remove {number}";
    public string OfficeHoursRemoved => "Office hours removed; their free future consultations are cancelled, bookings are kept.";
    public string AskOfficeHoursDay => "Which day of the week?";
    public string AskOfficeHoursTime => "From what time to what time? For example: 15:00-16:00";
    public string AskSlotLength => "How many minutes per student?";

    public string OfficeHoursErrorText(OfficeHoursError error, ConsultationPolicy policy) => error switch
    {
        OfficeHoursError.EndBeforeStart => "The end must be after the start. For example: 15:00-16:00",
        OfficeHoursError.SlotTooShort or OfficeHoursError.SlotTooLong => DurationInvalid(policy.MinDurationMinutes, policy.MaxDurationMinutes),
        OfficeHoursError.NoWholeSlot => "Not a single consultation of that length fits in this time. Choose a shorter length.",
        OfficeHoursError.OverWorkload => OfficeHoursOverCap(policy.WeeklyWorkloadHours),
        _ => "I could not read the time. Type it like this: 15:00-16:00",
    };

    public string OfficeHoursOverCap(double capHours) => $"That many hours do not fit your weekly consultation load ({Num(capHours)} h).";
    public string OfficeHoursSaved(string line, int slotsAdded, int weeksAhead) =>
        $"Office hours saved ✅\n{line}\nConsultations published for the next {weeksAhead} weeks: {slotsAdded}.";

    public string WorkloadTitle(double defaultHours) => $"Weekly consultation load (default {Num(defaultHours)} h). Choose a teacher:";
    public string NoTeachersYet => "There are no teachers yet. Invite them from the menu.";
    public string TeacherCapLabel(string name, double hours, bool ownCap) => $"{name} · {Num(hours)} h" + (ownCap ? string.Empty : " (default)");
    public string AskWeeklyCap(string name, double currentHours, double maxHours) =>
        $"{name}: now {Num(currentHours)} h a week. Type the new number of hours (0 to {Num(maxHours)}).";
    public string WeeklyCapInvalid(double maxHours) => $"Type a number of hours from 0 to {Num(maxHours)}, for example 6 or 4.5.";
    public string WeeklyCapSet(string name, double hours) => $"Done: {name} — {Num(hours)} h of consultations a week.";

    public string ReminderToParticipant(string card, TimeSpan before, string? forChild) =>
        $"⏰ Reminder: consultation {Before(before)}" + (forChild is null ? string.Empty : $" ({forChild})") + $".\n\n{card}";
    public string ReminderToTeacher(string card, IReadOnlyList<string> students, TimeSpan before) =>
        $"⏰ Your consultation {Before(before)}.\n\n{card}\n\nBooked:\n" + string.Join("\n", students.Select((s, i) => $"{i + 1}. {s}"));
    public string DigestDate(DateOnly day) => $"{day.DayOfWeek}, {day.Day} {EnMonths[day.Month - 1]}";
    public string DigestEntry(string when, string what, string place, IReadOnlyList<string> students, int waiting) =>
        $"🗓 {when}\n{what}, {place}\n" + (students.Count == 0 ? "no bookings" : string.Join("\n", students.Select((s, i) => $"{i + 1}. {s}")))
        + (waiting > 0 ? $"\nwaiting: {waiting}" : string.Empty);
    public string TeacherDigest(string date, IReadOnlyList<string> entries) => $"Your consultations tomorrow, {date}:\n\n" + string.Join("\n\n", entries);

    private static string Hm(DateTimeOffset t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Before(TimeSpan span) => span.TotalMinutes switch
    {
        < 60 => $"in {(int)span.TotalMinutes} min",
        < 1440 when span.TotalMinutes % 60 == 0 => $"in {(int)span.TotalHours} h",
        < 1440 => $"in {(int)span.TotalHours} h {span.Minutes} min",
        _ when span.TotalMinutes % 1440 == 0 => span.TotalDays == 1 ? "tomorrow" : $"in {(int)span.TotalDays} days",
        _ => $"in {(int)span.TotalHours} h",
    };
}
