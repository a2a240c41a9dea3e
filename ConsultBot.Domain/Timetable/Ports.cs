namespace ConsultBot.Domain.Timetable;

/// <summary>Lessons, holidays and the timetable import. Implementations work inside the update's transaction.</summary>
public interface ITimetableRepository
{
}

/// <summary>Each person's daily-reminder choices, and which linked children a parent follows.</summary>
public interface IReminderSettingsRepository
{
}

/// <summary>Single lessons as the chat changes them: cancel, move, substitute teacher. Implementations work inside the update's transaction.</summary>
public interface ILessonRepository
{
}
