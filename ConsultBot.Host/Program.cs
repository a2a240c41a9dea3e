using ConsultBot.Host.Admin;
using ConsultBot.Host.Announcements;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Health;
using ConsultBot.Host.Operations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.Playground;
using ConsultBot.Host.Reports;
using ConsultBot.Host.Questions;
using ConsultBot.Host.Scheduling;
using ConsultBot.Host.School;
using ConsultBot.Host.Telegram;
using ConsultBot.Host.Timetable;
using ConsultBot.Host.Vk;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.AddPersistence();      // PostgreSQL data source, migrations at start-up
builder.AddOperations();       // /metrics, shutdown timeout, correlation ids
builder.AddSchool();           // school name, time zone, clock
builder.AddAdministration();   // administrator ids, dashboard credentials, bootstrap code
builder.AddConsultations();    // consultation rules, reminders, teachers' evening digest, office hours
builder.AddTimetable();        // timetable, daily lesson reminders, materials
builder.AddQuestions();        // questions to teachers: limits, the daily reminder of unanswered ones
builder.AddConversations();    // conversation engine + inbound pipeline (per-person rate limit, dedupe, transaction, outbox)
builder.AddAnnouncements();    // announcements: the report to the author when one has gone out
builder.AddOutbox();           // outbound dispatcher with rate limits and retries
builder.AddTelegram();         // Telegram channel: polling or webhook, sendMessage
builder.AddVk();               // VK channel: Bots Long Poll or Callback API, messages.send
builder.AddPlayground();       // web channel for trying the bot without a messenger
builder.AddScheduling();       // Hangfire on PostgreSQL, recurring jobs
builder.AddReports();          // monthly activity report: Hangfire job to administrators, CSV endpoint
builder.AddHealth();           // /health/live and /health/ready

try
{
    var app = builder.Build();
    if (TimetableCommand.Matches(args)) return await TimetableCommand.RunAsync(app.Services, args);   // import-timetable FILE.csv, then exit

    app.UseOperations();            // 503 while stopping or without PostgreSQL, HTTP metrics, GET /metrics (loopback or configured networks)
    app.MapHealth();                // /health/live, /health/ready
    app.MapTelegramWebhook();       // POST /telegram/webhook (webhook mode only)
    app.MapVkCallback();            // POST /vk/callback (Callback API mode only)
    app.MapPlayground();            // /playground (when enabled, loopback only)
    app.MapSchedulingDashboard();   // /hangfire (with administrator credentials only)
    app.MapReports();               // GET /reports/activity/{yyyy-MM}.csv (with administrator credentials only)

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e.FindInvalidConfiguration() is { } invalid)
{
    // A bad setting stops the host with the key's name, not a stack trace.
    Console.Error.WriteLine("ConsultBot cannot start, configuration is invalid:");
    foreach (var failure in invalid.Failures ?? [invalid.Message])
    {
        Console.Error.WriteLine("  - " + failure);
    }
    return 2;
}

/// <summary>Entry point, visible to the end-to-end tests' WebApplicationFactory.</summary>
public partial class Program;
