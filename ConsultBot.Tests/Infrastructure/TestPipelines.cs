using ConsultBot.Host.Admin;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Reports;
using ConsultBot.Host.School;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Tests.Infrastructure;

/// <summary>The inbound pipeline as the host builds it, for tests that drive it directly against PostgreSQL.</summary>
internal static class TestPipelines
{
    public static UpdatePipeline Create(NpgsqlDataSource dataSource, TimeProvider? schoolTime = null, SchoolOptions? school = null,
        SenderThrottle? throttle = null, ActivityCounter? activity = null)
    {
        var schoolOptions = Options.Create(school ?? new SchoolOptions { Name = "Школа №5" });
        var clock = new SchoolClock(schoolTime ?? TimeProvider.System);
        var engines = new EngineProvider(schoolOptions, Options.Create(new AdminOptions()), Options.Create(new ConsultationsOptions()),
            Options.Create(new ConsultBot.Host.Timetable.TimetableOptions()), clock,
            Options.Create(new ConsultBot.Host.Questions.QuestionsOptions()));
        return new UpdatePipeline(dataSource, engines, new OutboxSignal(), new AttachmentReader([]),
            throttle ?? new SenderThrottle(Options.Create(new AbuseOptions()), TimeProvider.System), NullLogger<UpdatePipeline>.Instance,
            clock, schoolOptions, new ConsultBot.Host.Operations.BotMetrics(),
            activity ?? new ActivityCounter(dataSource, NullLogger<ActivityCounter>.Instance));
    }
}
