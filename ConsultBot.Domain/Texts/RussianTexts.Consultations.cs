using System.Globalization;
using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    private static readonly string[] RuDays = ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"];
    private static readonly string[] RuDaysShort = ["вс", "пн", "вт", "ср", "чт", "пт", "сб"];
    private static readonly string[] RuMonthsGenitive =
        ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];

    public string MenuBook => "📅 Записаться на консультацию";
    public string MenuMyBookings => "Мои записи";
    public string MenuPublish => "➕ Новая консультация";
    public string MenuMySlots => "Мои консультации";
    public string MenuOfficeHours => "Приёмные часы";
    public string MenuWorkload => "Нагрузка учителей";
    public string Yes => "Да";
    public string No => "Нет";
    public string UseTheButtons => "Пожалуйста, выберите ответ кнопкой ниже.";
    public string TextTooLong(int max) => $"Слишком длинно или пусто: нужно от 1 до {max} символов. Попробуйте ещё раз.";
    public string Minutes(int minutes) => $"{minutes} мин";
    public string DayName(DayOfWeek day) => RuDays[(int)day];

    public string SlotWhen(DateTimeOffset s, DateTimeOffset e) =>
        $"{RuDaysShort[(int)s.DayOfWeek]}, {s.Day} {RuMonthsGenitive[s.Month - 1]}, {Hm(s)}–{Hm(e)}";

    public string SlotShort(DateTimeOffset s) => $"{RuDaysShort[(int)s.DayOfWeek]} {s:dd.MM} {Hm(s)}";
    public string PlaceOnline(string link) => $"онлайн: {link}";
    public string PlaceRoom(string room) => $"кабинет {room}";
    public string NoSubject => "без предмета";
    public string KindName(ConsultationKind kind) => kind == ConsultationKind.Group ? "групповая" : "индивидуальная";
    public string Review => "обзорная";
    public string TopicButton => "тематическая";
    public string TopicNamed(string topic) => $"тема «{topic}»";
    public string AttestationPrep => "подготовка к аттестации";
    public string Seats(int booked, int capacity, int waiting) =>
        $"мест занято: {booked} из {capacity}" + (waiting > 0 ? $", в листе ожидания: {waiting}" : string.Empty);
    public string FullMark => "занято";

    public string SlotCard(string when, string what, string teacher, string place, string? seats, string? note) =>
        $"🗓 {when}\n📘 {what}\n👤 {teacher}\n📍 {place}" + (seats is null ? string.Empty : $"\n👥 {seats}")
        + (string.IsNullOrWhiteSpace(note) ? string.Empty : $"\n📝 {note}");

    public string AskSubject => "Предмет консультации? Выберите из списка или напишите название.";
    public string SubjectNameInvalid(int max) => $"Название предмета — от 2 до {max} символов. Например: Математика";
    public string AskStart => "Дата и время начала? Например: 25.11 15:00 или завтра 15:30";

    public string DateInputError(DateInputError error) => error switch
    {
        Consultations.DateInputError.NoSuchDate => "Такой даты нет в календаре. Проверьте число и месяц, например: 25.11 15:00",
        Consultations.DateInputError.NoSuchTime => "Такого времени нет: часы от 0 до 23, минуты от 0 до 59. Например: 15:30",
        Consultations.DateInputError.SkippedByClockChange => "В это время переводятся часы, такого местного времени нет. Выберите другое.",
        _ => "Не понял дату. Напишите так: 25.11 15:00, 25.11.2026 9:30 или завтра 15:30",
    };

    public string DateInThePast => "Это время уже прошло. Укажите будущие дату и время.";
    public string AskDuration => "Сколько минут? Выберите или напишите число.";
    public string DurationInvalid(int min, int max) => $"Длительность — целое число минут от {min} до {max}.";
    public string AskKind => "Индивидуальная или групповая?";
    public string AskCapacity => "Сколько мест в группе? Выберите или напишите число.";
    public string CapacityInvalid(int max) => $"В группе может быть от 2 до {max} мест. Напишите число.";
    public string AskPurpose => "Консультация обзорная или по конкретной теме?";
    public string AskTopicTitle => "Напишите тему консультации.";
    public string AskAttestationPrep => "Это подготовка к промежуточной или итоговой аттестации?";
    public string IndividualAttestationPrepRefused =>
        "По приказу школы консультации для подготовки к аттестации проводятся только в группе. Сделать консультацию групповой?";
    public string MakeItGroup => "Сделать групповой";
    public string NotForAttestation => "Это не подготовка к аттестации";
    public string AskFormat => "Как пройдёт консультация?";
    public string FormatOnline => "Онлайн (ссылка)";
    public string FormatInPerson => "Очно (кабинет)";
    public string AskLink => "Пришлите ссылку на встречу (начинается с https:// или http://).";
    public string LinkInvalid => "Это не ссылка для встречи: нужен полный адрес, начинающийся с https:// или http://.";
    public string AskRoom => "В каком кабинете? Например: 214";
    public string AskNote => "Комментарий для учеников (что взять, как подключиться)? Или нажмите «Пропустить».";
    public string ConfirmPublish(string card) => $"Проверьте и опубликуйте:\n\n{card}";
    public string Publish => "✅ Опубликовать";
    public string Discard => "Отменить";
    public string Published(string card) => $"Консультация опубликована ✅\n\n{card}";
    public string PublishAnother => "➕ Ещё одну";

    public string SlotErrorText(SlotError error, ConsultationPolicy policy, double weeklyCapHours, int scheduledMinutes) => error switch
    {
        SlotError.InThePast => "Время начала уже прошло — укажите другое.",
        SlotError.TooShort or SlotError.TooLong => DurationInvalid(policy.MinDurationMinutes, policy.MaxDurationMinutes),
        SlotError.CapacityOutOfRange => CapacityInvalid(policy.MaxGroupCapacity),
        SlotError.IndividualAttestationPrep => IndividualAttestationPrepRefused,
        SlotError.TopicTitleMissing => "У тематической консультации должна быть тема.",
        SlotError.LinkNotHttp => LinkInvalid,
        SlotError.RoomMissing => "Укажите кабинет или ссылку.",
        SlotError.OverWorkload =>
            $"Превышена недельная нагрузка по консультациям: {Num(weeklyCapHours)} ч в неделю, на эту неделю уже запланировано {Num(scheduledMinutes / 60.0)} ч. Выберите другую неделю или обратитесь к администратору.",
        _ => "Консультацию нельзя опубликовать.",
    };

    public string OverlapsAnotherSlot => "В это время у вас уже есть консультация. Выберите другое время.";

    public string NoChildrenLinked => "Сначала привяжите ребёнка: попросите у него код из /profile и нажмите кнопку ниже.";
    public string ChooseChild => "Для кого запись?";
    public string NotYourChild => "Этот ученик не привязан к вашему профилю.";
    public string BookingForStudentsAndParents => "Записываться на консультации могут ученики и родители.";
    public string BookingNeedsParentConfirmation => "Запись откроется, когда родитель подтвердит вашу регистрацию (код — в /profile).";
    public string ChildNeedsConfirmation(string child) => $"Сначала подтвердите регистрацию: {child}.";
    public string ChooseSubjectToBook => "Выберите предмет или посмотрите ближайшее свободное время:";
    public string NearestSlots => "⏱ Ближайшие свободные";
    public string NearestSlotsTitle => "Ближайшие консультации:";
    public string NoOpenSlots => "Сейчас нет консультаций, на которые можно записаться. Загляните позже.";
    public string ChooseTeacher => "Выберите учителя:";
    public string SlotsOfTeacher(string teacher, string subject) => $"{subject} — {teacher}. Выберите время:";
    public string Book => "✅ Записаться";
    public string BookWithQuestion => "✍️ Записаться с вопросом";
    public string JoinWaitlist => "Встать в лист ожидания";
    public string AskBookingTopic(int max) => $"Напишите вопрос или тему для учителя (до {max} символов).";

    public string BookedConfirmation(string card, string? forChild) =>
        (forChild is null ? "Вы записаны ✅" : $"{forChild} записан(а) ✅") + $"\n\n{card}\n\nОтменить или перенести — в «Мои записи».";

    public string BookedByParent(string parent, string card) => $"{parent} записал(а) вас на консультацию:\n\n{card}";
    public string SlotFull => "Все места заняты. Можно встать в лист ожидания: освободится место — запишем автоматически и сообщим.";
    public string SlotClosed(double noticeHours) =>
        $"На это время записаться нельзя: консультация отменена, уже началась или до неё меньше {Num(noticeHours)} ч.";
    public string AlreadyBookedOrWaiting => "Вы уже записаны на эту консультацию (или стоите в листе ожидания).";
    public string BookingLimitReached(int max) => $"Одновременно можно иметь не больше {max} активных записей. Отмените одну из них в «Мои записи».";
    public string OverlapsAnotherBooking => "В это время у вас уже есть другая консультация.";
    public string Waitlisted(string when, int position) =>
        $"Вы в листе ожидания на {when} (место в очереди: {position}). Освободится место — запишем автоматически и сообщим.";

    public string PromotedFromWaitlist(string card, string? forChild) =>
        (forChild is null ? "Освободилось место — вы записаны ✅" : $"Освободилось место — {forChild} записан(а) ✅") + $"\n\n{card}";

    public string NoBookings => "У вас нет предстоящих записей.";
    public string MyBookings(IReadOnlyList<string> lines) => "Ваши записи:\n\n" + string.Join("\n\n", lines);

    public string BookingLine(int number, string when, string what, string teacher, string place, string? forChild, bool waiting) =>
        $"{number}. {when}\n{what}, {teacher}\n{place}" + (forChild is null ? string.Empty : $"\nдля: {forChild}")
        + (waiting ? "\n⏳ в листе ожидания" : string.Empty);

    public string CancelBookingButton(int number) => $"✖ Отменить {number}";
    public string MoveBookingButton(int number) => $"↔ Перенести {number}";
    public string BookingNotFound => "Эта запись не найдена или уже отменена.";
    public string ConfirmCancelBooking(string card) => $"Отменить запись?\n\n{card}";
    public string YesCancelBooking => "Да, отменить";
    public string KeepBooking => "Нет, оставить";
    public string BookingCancelled(string when) => $"Запись на {when} отменена. Учитель получил уведомление.";
    public string CancelTooLate(double cutoffHours) =>
        $"Отменить запись можно не позже чем за {Num(cutoffHours)} ч до начала. Если не получается прийти, напишите учителю.";
    public string WriteToTeacher => "✉️ Написать учителю";
    public string AskMessageToTeacher(string teacher) => $"Напишите сообщение для учителя ({teacher}).";
    public string MessageSentToTeacher => "Сообщение отправлено учителю.";
    public string ChooseNewTime(string currentWhen) => $"Сейчас: {currentWhen}. Выберите новое время:";
    public string NoOtherSlots => "У этого учителя нет другого свободного времени по этому предмету.";
    public string BookingMoved(string card) => $"Запись перенесена ✅\n\n{card}";

    public string TeacherNewBooking(string student, string when, string what, string? seats) =>
        $"Новая запись: {student}\n{when}\n{what}" + (seats is null ? string.Empty : $"\n{seats}");
    public string TeacherWaitlisted(string student, string when) => $"В листе ожидания на {when}: {student}";
    public string TeacherBookingCancelled(string student, string when, bool wasWaiting) =>
        (wasWaiting ? "Ушёл(ушла) из листа ожидания" : "Запись отменена") + $": {student}\n{when}";
    public string TeacherPromoted(string student, string when) => $"Из листа ожидания записан(а): {student}\n{when}";
    public string TeacherBookingMoved(string student, string fromWhen, string toWhen) => $"Запись перенесена: {student}\nбыло: {fromWhen}\nстало: {toWhen}";
    public string MessageAboutBooking(string student, string when, string text) => $"Сообщение о консультации {when}\nот: {student}\n\n{text}";

    public string UpcomingSlotsTitle => "Ваши ближайшие консультации:";
    public string NoUpcomingSlots => "Запланированных консультаций нет.";
    public string PastSlotsTitle => "Прошедшие консультации (отметьте посещаемость):";
    public string NoPastSlots => "За последние две недели не было консультаций с записями.";
    public string UpcomingSlots => "Предстоящие";
    public string PastSlots => "Прошедшие";

    public string TeacherSlotCard(string card, IReadOnlyList<string> booked, IReadOnlyList<string> waiting) =>
        card + "\n\nЗаписаны:" + (booked.Count == 0 ? " пока никого" : "\n" + string.Join("\n", booked.Select((b, i) => $"{i + 1}. {b}")))
        + (waiting.Count == 0 ? string.Empty : "\n\nЛист ожидания:\n" + string.Join("\n", waiting.Select((w, i) => $"{i + 1}. {w}")));

    public string CancelSlotButton => "✖ Отменить консультацию";
    public string SlotNotFound => "Консультация не найдена или уже отменена.";
    public string SlotAlreadyStarted => "Консультация уже началась — её нельзя отменить.";
    public string AskCancelReason(string when) => $"Отмена консультации {when}. Напишите причину — её увидят все записавшиеся.";
    public string SlotCancelled(string when, int told) => $"Консультация {when} отменена. Уведомлено: {told}.";
    public string SlotCancelledByTeacher(string card, string reason, string? forChild) =>
        "Учитель отменил консультацию" + (forChild is null ? string.Empty : $" (запись: {forChild})") + $".\nПричина: {reason}\n\n{card}";

    public string AttendanceName(Attendance attendance) => attendance switch
    {
        Attendance.Present => "✅ был(а)",
        Attendance.Absent => "❌ не был(а)",
        _ => "⏰ опоздал(а)",
    };

    public string AttendanceMarked(Attendance attendance) => "Отмечено: " + AttendanceName(attendance);
    public string AttendanceNotPossible => "Отметить можно только после начала консультации.";

    public string OfficeHoursList(IReadOnlyList<string> lines, int weeksAhead) =>
        (lines.Count == 0 ? "Приёмных часов пока нет." : "Ваши приёмные часы:\n" + string.Join("\n", lines))
        + $"\n\nПо приёмным часам бот сам публикует индивидуальные консультации на {weeksAhead} нед. вперёд.";
    public string OfficeHoursLine(string day, string from, string to, int slotMinutes, string subject, string place) =>
        $"{day}, {from}–{to}, по {slotMinutes} мин — {subject}, {place}";
    public string AddOfficeHours => "➕ Добавить";
    public string RemoveOfficeHours(int number) => $"✖ Убрать {number}";
    public string OfficeHoursRemoved => "Приёмные часы убраны; свободные будущие консультации по ним отменены, записи сохранены.";
    public string AskOfficeHoursDay => "В какой день недели?";
    public string AskOfficeHoursTime => "С какого и до какого времени? Например: 15:00-16:00";
    public string AskSlotLength => "Сколько минут на одного ученика?";

    public string OfficeHoursErrorText(OfficeHoursError error, ConsultationPolicy policy) => error switch
    {
        OfficeHoursError.EndBeforeStart => "Конец должен быть позже начала. Например: 15:00-16:00",
        OfficeHoursError.SlotTooShort or OfficeHoursError.SlotTooLong => DurationInvalid(policy.MinDurationMinutes, policy.MaxDurationMinutes),
        OfficeHoursError.NoWholeSlot => "В этот промежуток не помещается ни одна консультация такой длины. Выберите длительность меньше.",
        OfficeHoursError.OverWorkload => OfficeHoursOverCap(policy.WeeklyWorkloadHours),
        _ => "Не понял время. Напишите так: 15:00-16:00",
    };

    public string OfficeHoursOverCap(double capHours) => $"Столько часов не помещается в вашу недельную нагрузку по консультациям ({Num(capHours)} ч).";
    public string OfficeHoursSaved(string line, int slotsAdded, int weeksAhead) =>
        $"Приёмные часы сохранены ✅\n{line}\nОпубликовано консультаций на {weeksAhead} нед. вперёд: {slotsAdded}.";

    public string WorkloadTitle(double defaultHours) => $"Недельная нагрузка по консультациям (по умолчанию {Num(defaultHours)} ч). Выберите учителя:";
    public string NoTeachersYet => "Учителей пока нет. Пригласите их из меню.";
    public string TeacherCapLabel(string name, double hours, bool ownCap) => $"{name} · {Num(hours)} ч" + (ownCap ? string.Empty : " (по умолч.)");
    public string AskWeeklyCap(string name, double currentHours, double maxHours) =>
        $"{name}: сейчас {Num(currentHours)} ч в неделю. Напишите новое число часов (от 0 до {Num(maxHours)}).";
    public string WeeklyCapInvalid(double maxHours) => $"Напишите число часов от 0 до {Num(maxHours)}, например 6 или 4,5.";
    public string WeeklyCapSet(string name, double hours) => $"Готово: {name} — {Num(hours)} ч консультаций в неделю.";

    public string ReminderToParticipant(string card, TimeSpan before, string? forChild) =>
        $"⏰ Напоминание: {Before(before)} консультация" + (forChild is null ? string.Empty : $" ({forChild})") + $".\n\n{card}";
    public string ReminderToTeacher(string card, IReadOnlyList<string> students, TimeSpan before) =>
        $"⏰ {Before(before)} ваша консультация.\n\n{card}\n\nЗаписаны:\n" + string.Join("\n", students.Select((s, i) => $"{i + 1}. {s}"));
    public string DigestDate(DateOnly day) => $"{RuDays[(int)day.DayOfWeek]}, {day.Day} {RuMonthsGenitive[day.Month - 1]}";
    public string DigestEntry(string when, string what, string place, IReadOnlyList<string> students, int waiting) =>
        $"🗓 {when}\n{what}, {place}\n" + (students.Count == 0 ? "записей нет" : string.Join("\n", students.Select((s, i) => $"{i + 1}. {s}")))
        + (waiting > 0 ? $"\nв листе ожидания: {waiting}" : string.Empty);
    public string TeacherDigest(string date, IReadOnlyList<string> entries) => $"Ваши консультации завтра, {date}:\n\n" + string.Join("\n\n", entries);

    private static string Hm(DateTimeOffset t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', ',');

    private static string Before(TimeSpan span) => span.TotalMinutes switch
    {
        < 60 => $"через {(int)span.TotalMinutes} мин",
        < 1440 when span.TotalMinutes % 60 == 0 => $"через {(int)span.TotalHours} ч",
        < 1440 => $"через {(int)span.TotalHours} ч {span.Minutes} мин",
        _ when span.TotalMinutes % 1440 == 0 => span.TotalDays == 1 ? "завтра" : $"через {(int)span.TotalDays} дн.",
        _ => $"через {(int)span.TotalHours} ч",
    };
}
