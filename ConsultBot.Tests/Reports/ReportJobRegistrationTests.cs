using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Reports;

/// <summary>The host registers the monthly report job with its cron in the school's time zone.</summary>
public sealed class ReportJobRegistrationTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Host_RegistersTheMonthlyReportJob_WithTheConfiguredCron_InTheSchoolsZone()
    {
        await using (var host = new BotHost(db.ConnectionString, new Dictionary<string, string?>
        {
            ["School:TimeZone"] = "Asia/Yekaterinburg",
            ["Reports:Cron"] = "30 7 1 * *",
        }))
        {
            host.Start();
        }

        Assert.Equal("30 7 1 * *", await db.ScalarAsync<string>(
            "SELECT value FROM hangfire.hash WHERE key = 'recurring-job:monthly-report' AND field = 'Cron'"));
        Assert.Equal("Asia/Yekaterinburg", await db.ScalarAsync<string>(
            "SELECT value FROM hangfire.hash WHERE key = 'recurring-job:monthly-report' AND field = 'TimeZoneId'"));
        // The same registration helper serves the questions' and the announcements' jobs.
        foreach (var job in new[] { "question-reminders", "announcement-reports" })
        {
            Assert.Equal("Asia/Yekaterinburg", await db.ScalarAsync<string>(
                "SELECT value FROM hangfire.hash WHERE key = @key AND field = 'TimeZoneId'", ("key", "recurring-job:" + job)));
        }
    }
}
