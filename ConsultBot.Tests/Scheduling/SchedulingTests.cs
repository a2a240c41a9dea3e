using ConsultBot.Host.Outbox;
using ConsultBot.Host.Scheduling;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsultBot.Tests.Scheduling;

/// <summary>Hangfire on PostgreSQL in its own schema, and the nightly maintenance job.</summary>
public sealed class SchedulingTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Host_RegistersMaintenanceJobInSchoolTimeZone_InHangfireSchema()
    {
        await using (var host = new BotHost(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Scheduling:ServerEnabled"] = "true",
            ["School:TimeZone"] = "Asia/Yekaterinburg",
        }))
        {
            host.Start();
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.server") == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));
        }

        Assert.Equal("Asia/Yekaterinburg", await db.ScalarAsync<string>(
            "SELECT value FROM hangfire.hash WHERE key = 'recurring-job:maintenance' AND field = 'TimeZoneId'"));
        Assert.Equal("30 3 * * *", await db.ScalarAsync<string>(
            "SELECT value FROM hangfire.hash WHERE key = 'recurring-job:maintenance' AND field = 'Cron'"));
    }

    [Fact]
    public async Task Host_RegistersConsultationJobsWithConfiguredSchedules_InSchoolTimeZone()
    {
        await using (var host = new BotHost(db.ConnectionString, new Dictionary<string, string?>
        {
            ["School:TimeZone"] = "Asia/Yekaterinburg",
            ["Consultations:DigestTime"] = "19:45",
            ["Consultations:ReminderCron"] = "*/2 * * * *",
        }))
        {
            host.Start();
        }

        foreach (var (job, cron) in new[] { ("consultation-reminders", "*/2 * * * *"), ("teacher-digest", "45 19 * * *"), ("office-hours", "15 2 * * *") })
        {
            Assert.Equal("Asia/Yekaterinburg", await db.ScalarAsync<string>(
                "SELECT value FROM hangfire.hash WHERE key = @key AND field = 'TimeZoneId'", ("key", "recurring-job:" + job)));
            Assert.Equal(cron, await db.ScalarAsync<string>(
                "SELECT value FROM hangfire.hash WHERE key = @key AND field = 'Cron'", ("key", "recurring-job:" + job)));
        }
    }

    [Fact]
    public async Task Maintenance_DeletesOnlyOldFinishedRowsAndExpiredCodes()
    {
        await db.ResetAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO outbox (channel, chat_id, body, status, created_at) VALUES
                ('web', 'a', '{"text":"old sent"}', 'sent', now() - interval '30 days'),
                ('web', 'a', '{"text":"old failed"}', 'failed', now() - interval '30 days'),
                ('web', 'a', '{"text":"old pending"}', 'pending', now() - interval '30 days'),
                ('web', 'a', '{"text":"new sent"}', 'sent', now());
            INSERT INTO processed_updates (channel, update_id, processed_at) VALUES
                ('telegram', '1', now() - interval '8 days'), ('telegram', '2', now());
            INSERT INTO one_time_codes (kind, code_hash, expires_at) VALUES
                ('teacher-invite', '\x01', now() - interval '2 days'), ('teacher-invite', '\x02', now() + interval '2 days');
            """);
        var job = new MaintenanceJob(db.DataSource, Options.Create(new OutboxOptions { RetentionDays = 14 }),
            Options.Create(new SchedulingOptions()), NullLogger<MaintenanceJob>.Instance);

        await job.RunAsync(CancellationToken.None);

        Assert.Equal(["new sent", "old pending"], await TextsAsync());
        Assert.Equal("2", await db.ScalarAsync<string>("SELECT string_agg(update_id, ',') FROM processed_updates"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes"));
    }

    [Fact]
    public async Task Maintenance_ErasesUnder14StudentsNoParentConfirmedInTime()
    {
        await db.ResetAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO persons (role, status, full_name, under14, confirmed_by_parent, created_at) VALUES
                ('student', 'active', 'Старый без подтверждения', true, false, now() - interval '31 days'),
                ('student', 'active', 'Старый подтверждённый', true, true, now() - interval '31 days'),
                ('student', 'active', 'Новый без подтверждения', true, false, now() - interval '2 days'),
                ('student', 'active', 'Старшеклассник', false, false, now() - interval '90 days');
            INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', '11', '11', 1);
            INSERT INTO outbox (channel, chat_id, person_id, body) VALUES ('telegram', '11', 1, '{"text":"Старый без подтверждения"}');
            """);
        var job = new MaintenanceJob(db.DataSource, Options.Create(new OutboxOptions()),
            Options.Create(new SchedulingOptions { UnconfirmedChildDays = 30 }), NullLogger<MaintenanceJob>.Instance);

        await job.RunAsync(CancellationToken.None);

        Assert.Equal("forgotten", await db.ScalarAsync<string>("SELECT status FROM persons WHERE id = 1"));
        Assert.True(await db.ScalarAsync<bool>("SELECT full_name IS NULL FROM persons WHERE id = 1"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM persons WHERE status = 'active' AND full_name IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM accounts"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'unconfirmed-child-erased' AND subject_id = 1"));
    }

    private async Task<List<string>> TextsAsync()
    {
        var texts = await db.ScalarAsync<string[]>("SELECT array_agg(body->>'text' ORDER BY body->>'text') FROM outbox");
        return [.. texts];
    }
}
