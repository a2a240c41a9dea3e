using ConsultBot.Domain.Conversations;
using ConsultBot.Host.Admin;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Conversations;

/// <summary>
/// Holds the conversation engine. The Telegram username is learnt from getMe after start-up, so the engine is
/// rebuilt once it is known.
/// </summary>
public sealed class EngineProvider(IOptions<SchoolOptions> school, IOptions<AdminOptions> admin,
    IOptions<ConsultationsOptions> consultations, IOptions<Timetable.TimetableOptions> timetable, SchoolClock clock,
    IOptions<Questions.QuestionsOptions> questions)
{
    private volatile ConversationEngine? _engine;
    private volatile string? _telegramUsername;

    public ConversationEngine Engine => _engine ??= Build();

    public void UseTelegramUsername(string? username)
    {
        _telegramUsername = username;
        _engine = Build();
    }

    private ConversationEngine Build() => new(new EngineSettings
    {
        SchoolName = school.Value.Name,
        AdminTelegramIds = admin.Value.ParsedTelegramIds,
        TelegramBotUsername = _telegramUsername,
        TimeZone = school.Value.TimeZoneInfo,
        Consultations = consultations.Value.ToPolicy(),
        OfficeHoursWeeksAhead = consultations.Value.OfficeHoursWeeksAhead,
        Timetable = timetable.Value.ToSettings(),
        Questions = questions.Value.ToSettings(),
    }, clock.Time);
}
