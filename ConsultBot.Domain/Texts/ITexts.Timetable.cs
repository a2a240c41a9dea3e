using ConsultBot.Domain.Timetable;

namespace ConsultBot.Domain.Texts;

/// <summary>Timetable: the CSV import, its errors and holidays.</summary>
public partial interface ITexts
{
    string MenuTimetable { get; }
    string TimetableHelp(int maxKilobytes);
    string TimetableExample { get; }
    string TimetableError(TimetableError error);
    string TimetableRejected(IReadOnlyList<string> lines, int more);
    string TimetableImported(ImportCounts counts);
    string TimetableTooLarge(int maxKilobytes);
    string TimetableCannotRead(int maxKilobytes);

    string Holidays { get; }
    string HolidayList(IReadOnlyList<Holiday> holidays);
    string AddHoliday { get; }
    string RemoveHoliday { get; }
    string AskHoliday { get; }
    string AskHolidayToRemove { get; }
    string HolidayInvalid { get; }
    string HolidayAdded(DateOnly from, DateOnly to, int cancelledLessons);
    string HolidaysRemoved(int days);
}
