using System.Globalization;
using ConsultBot.Domain.Timetable;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string MenuTimetable => "🗓 Расписание";

    public string TimetableHelp(int maxKilobytes) =>
        "Чтобы загрузить расписание, пришлите мне файл CSV (Excel: «Сохранить как» → «CSV (разделители — точка с запятой)»).\n"
        + "Столбцы (первая строка — заголовок): класс;день;начало;конец;предмет;учитель;кабинет;ссылка, по желанию ещё с;по.\n"
        + "• день — день недели (пн, вт… вс или 1–7): урок каждую неделю четверти (или между датами «с» и «по»), кроме каникул; "
        + "или дата 15.09.2026 — разовый урок.\n"
        + "• начало и конец — 8:30 или 08:30.\n"
        + "• кабинет и ссылка (http/https) — по желанию.\n"
        + $"Файл проверяется целиком: при ошибке не загружается ничего, а я перечислю строки с ошибками. Размер — до {maxKilobytes} КБ. "
        + "Повторная загрузка того же файла ничего не меняет; уроки, изменённые вручную, остаются как есть.\n\n"
        + "Пример:\n" + TimetableExample;

    public string TimetableExample =>
        "класс;день;начало;конец;предмет;учитель;кабинет;ссылка\n"
        + "5А;пн;8:30;9:15;Математика;Иванова Анна Петровна;12;\n"
        + "5А;пн;9:25;10:10;Русский язык;Петров Пётр;;https://meet.example.org/5a\n"
        + "5А;15.09.2026;14:00;14:45;Экскурсия;;музей;";

    public string TimetableError(TimetableError e)
    {
        var at = e.Line > 0 ? $"Строка {e.Line}: " : string.Empty;
        return at + e.Kind switch
        {
            TimetableErrorKind.Empty => "файл пустой.",
            TimetableErrorKind.TooLarge => $"файл слишком большой: не больше {e.Detail} КБ.",
            TimetableErrorKind.NotCsv => "это не похоже на CSV: нужен текстовый файл со столбцами через «;» или «,».",
            TimetableErrorKind.UnknownColumn => $"неизвестный столбец «{e.Detail}».",
            TimetableErrorKind.MissingColumn => $"нет столбца «{RuColumn(e.Detail)}».",
            TimetableErrorKind.DuplicateColumn => $"столбец «{e.Detail}» повторяется.",
            TimetableErrorKind.HeaderOnly => "в файле только заголовок, уроков нет.",
            TimetableErrorKind.FieldCount => $"неверное число столбцов (нужно {e.Detail?.Split('/')[0]}, а здесь {e.Detail?.Split('/')[^1]}).",
            TimetableErrorKind.ClassMissing => "не указан класс.",
            TimetableErrorKind.ClassTooLong => $"слишком длинное название класса (не больше {TimetableCsv.MaxNameLength}).",
            TimetableErrorKind.SubjectMissing => "не указан предмет.",
            TimetableErrorKind.SubjectTooLong => $"слишком длинное название предмета (не больше {TimetableCsv.MaxNameLength}).",
            TimetableErrorKind.TeacherTooLong => $"слишком длинное имя учителя (не больше {TimetableCsv.MaxNameLength}).",
            TimetableErrorKind.RoomTooLong => $"слишком длинный кабинет (не больше {TimetableCsv.MaxRoomLength}).",
            TimetableErrorKind.DayInvalid => $"непонятный день «{e.Detail}»: нужен день недели (пн…вс, 1–7) или дата ДД.ММ.ГГГГ.",
            TimetableErrorKind.TimeInvalid => $"непонятное время «{e.Detail}»: нужно ЧЧ:ММ, например 8:30 или 14:05.",
            TimetableErrorKind.EndBeforeStart => "урок заканчивается раньше, чем начинается.",
            TimetableErrorKind.LinkInvalid => "ссылка должна начинаться с http:// или https:// и быть не длиннее 2048 символов.",
            TimetableErrorKind.DateRangeInvalid => "даты «с» и «по» нужны в виде ДД.ММ.ГГГГ, и «по» не раньше «с».",
            TimetableErrorKind.DateRangeOnDatedRow => "«с» и «по» бывают только у строк с днём недели, а здесь дата.",
            TimetableErrorKind.NoDaysInRange => "в этих датах нет ни одного такого дня.",
            TimetableErrorKind.DuplicateRow => $"повторяет строку {e.Detail}.",
            TimetableErrorKind.Overlap => $"пересекается с уроком из строки {DetailPart(e.Detail, 0)} ({DetailPart(e.Detail, 1)}).",
            TimetableErrorKind.UnknownClass => $"нет такого класса «{e.Detail}» (классы — в меню «Классы и группы»).",
            TimetableErrorKind.UnknownTeacher => $"нет учителя «{e.Detail}» (нужно полное имя, как в профиле учителя).",
            TimetableErrorKind.AmbiguousTeacher => $"учителей с именем «{e.Detail}» несколько — уточните имя в профиле.",
            TimetableErrorKind.OverlapsExisting => "урок пересекается с уроком, который уже есть в расписании (добавлен или перенесён вручную)"
                + (e.Detail is null ? "." : $": {e.Detail}."),
            _ => "ошибка.",
        };
    }

    public string TimetableRejected(IReadOnlyList<string> lines, int more) =>
        "Расписание не загружено — исправьте файл и пришлите его снова:\n" + string.Join('\n', lines)
        + (more > 0 ? $"\n…и ещё {more}." : string.Empty);

    public string TimetableImported(ImportCounts c) =>
        $"Расписание загружено. Добавлено уроков: {c.Added}, изменено: {c.Changed}, удалено: {c.Removed}, без изменений: {c.Unchanged}.";

    public string TimetableTooLarge(int maxKilobytes) => $"Файл слишком большой: расписание — не больше {maxKilobytes} КБ.";

    public string TimetableCannotRead(int maxKilobytes) =>
        $"Не получилось прочитать файл. Пришлите расписание файлом CSV до {maxKilobytes} КБ в Telegram.";

    public string Holidays => "Каникулы и праздники";

    public string HolidayList(IReadOnlyList<Holiday> holidays) => holidays.Count == 0
        ? "Впереди нет каникул и праздников."
        : "Каникулы и праздники:\n" + string.Join('\n', Ranges(holidays).Select(r => $"• {RangeText(r.From, r.To)} {r.Name}".TrimEnd()));

    public string AddHoliday => "➕ Добавить";
    public string RemoveHoliday => "Удалить";
    public string AskHoliday => "Напишите день или период и название, например: 30.12.2026-08.01.2027 Зимние каникулы";
    public string AskHolidayToRemove => "Напишите день или период, которые больше не выходные, например: 04.11.2026 или 30.12.2026-08.01.2027";
    public string HolidayInvalid => "Не понял даты. Нужно ДД.ММ.ГГГГ или ДД.ММ.ГГГГ-ДД.ММ.ГГГГ (не больше года), потом название.";

    public string HolidayAdded(DateOnly from, DateOnly to, int cancelledLessons) =>
        $"Добавлено: {RangeText(from, to)}. Отменено уроков в эти дни: {cancelledLessons}.";

    public string HolidaysRemoved(int days) => days == 0 ? "В эти дни каникул не было." : $"Удалено выходных дней: {days}. Уроки вернутся после следующей загрузки расписания.";

    private static string RuColumn(string? column) => column switch
    {
        "class" => "класс",
        "day" => "день",
        "start" => "начало",
        "end" => "конец",
        "subject" => "предмет",
        _ => column ?? string.Empty,
    };

    internal static string DetailPart(string? detail, int index) => detail?.Split(' ') is { } parts && parts.Length > index ? parts[index] : string.Empty;

    internal static string RangeText(DateOnly from, DateOnly to) =>
        from == to ? from.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)
            : from.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) + "–" + to.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>Consecutive days with one name shown as one range.</summary>
    internal static IEnumerable<(DateOnly From, DateOnly To, string Name)> Ranges(IReadOnlyList<Holiday> holidays)
    {
        var list = new List<(DateOnly From, DateOnly To, string Name)>();
        foreach (var h in holidays.OrderBy(h => h.Day))
        {
            if (list.Count > 0 && list[^1].To.AddDays(1) == h.Day && list[^1].Name == h.Name)
            {
                list[^1] = (list[^1].From, h.Day, h.Name);
            }
            else
            {
                list.Add((h.Day, h.Day, h.Name));
            }
        }
        return list;
    }
}
