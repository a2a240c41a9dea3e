using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Hosting;

/// <summary>Start-up validation, health endpoints and the Hangfire dashboard of the real host.</summary>
public sealed class HostConfigurationTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData("School__TimeZone", "Mars/Olympus_Mons", "School:TimeZone")]
    [InlineData("School__Name", "", "School:Name")]
    [InlineData("Telegram__ApiBaseUrl", "not a url", "Telegram:ApiBaseUrl")]
    [InlineData("Telegram__BotToken", "no-colon-token", "Telegram:BotToken")]
    [InlineData("Admin__TelegramIds", "12,abc", "Admin:TelegramIds")]
    [InlineData("Vk__GroupId", "-227000001", "Vk:GroupId")]
    [InlineData("Vk__AccessToken", "vk1.a.0123456789abcdef", "Vk:GroupId")]
    [InlineData("Vk__ApiVersion", "latest", "Vk:ApiVersion")]
    [InlineData("Vk__ApiBaseUrl", "not a url", "Vk:ApiBaseUrl")]
    [InlineData("Vk__CallbackSecret", "s3cret", "Vk:CallbackConfirmation")]
    [InlineData("Outbox__MaxAttempts", "0", "Outbox:MaxAttempts")]
    [InlineData("Consultations__MaxActiveBookings", "0", "Consultations:MaxActiveBookings")]
    [InlineData("Consultations__WeeklyWorkloadHours", "100", "Consultations:WeeklyWorkloadHours")]
    [InlineData("Consultations__MinDurationMinutes", "300", "Consultations:MinDurationMinutes")]
    [InlineData("Consultations__ReminderMinutesBefore", "1440,soon", "Consultations:ReminderMinutesBefore")]
    [InlineData("Consultations__DigestTime", "25:00", "Consultations:DigestTime")]
    [InlineData("Consultations__ReminderCron", "every minute", "Consultations:ReminderCron")]
    [InlineData("Consultations__OfficeHoursWeeksAhead", "0", "Consultations:OfficeHoursWeeksAhead")]
    [InlineData("Abuse__MessagesPerMinute", "0", "Abuse:MessagesPerMinute")]
    [InlineData("Abuse__Burst", "-1", "Abuse:Burst")]
    [InlineData("Announcements__ReportCron", "every minute", "Announcements:ReportCron")]
    [InlineData("Reports__Cron", "monthly", "Reports:Cron")]
    [InlineData("Questions__MaxPerHour", "0", "Questions:MaxPerHour")]
    [InlineData("Questions__ReminderCron", "daily", "Questions:ReminderCron")]
    [InlineData("ConnectionStrings__Postgres", "", "ConnectionStrings__Postgres")]
    [InlineData("ConnectionStrings__Postgres", "Hoost=x;;=", "ConnectionStrings__Postgres")]
    public async Task Process_ExitsWithMessageNamingTheKey_WhenSettingIsInvalid(string variable, string value, string named)
    {
        var (exitCode, stderr) = await RunHostProcessAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            [variable] = value,
        });

        Assert.Equal(2, exitCode);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ExitsNamingTheKey_WhenWebhookHasNoSecret()
    {
        var (exitCode, stderr) = await RunHostProcessAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Telegram__BotToken"] = "123:abc",
            ["Telegram__WebhookUrl"] = "https://bot.example.org/telegram/webhook",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Telegram:WebhookSecret", stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs the built host as its own process, the way a deployment does, and returns its exit code and stderr.</summary>
    private static async Task<(int ExitCode, string Stderr)> RunHostProcessAsync(Dictionary<string, string> environment)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "ConsultBot.Host.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "None";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stderr);
    }

    [Fact]
    public async Task Health_IsLiveAndReady_WhenDatabaseMigrated()
    {
        await using var host = new BotHost(db.ConnectionString);
        var http = host.Start();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dashboard_IsClosed_WhenNoCredentialsConfigured()
    {
        await using var host = new BotHost(db.ConnectionString);
        var http = host.Start();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_RequiresAdministratorCredentials_WhenConfigured()
    {
        await using var host = new BotHost(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Admin:DashboardUser"] = "director",
            ["Admin:DashboardPassword"] = "correct-horse-battery",
        });
        var http = host.Start();

        var anonymous = await http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithBasicAsync(http, "director", "wrong-password-here")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithBasicAsync(http, "director", "correct-horse-battery")).StatusCode);
    }

    [Fact]
    public async Task Playground_IsNotServed_ByDefault()
    {
        await using var host = new BotHost(db.ConnectionString);
        var http = host.Start();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/playground/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/telegram/webhook", new StringContent("{}"))).StatusCode);
    }

    [Fact]
    public async Task BootstrapCode_IsCreatedOnce_WhileNoAdministratorExists()
    {
        await db.ResetAsync();
        await using (var first = new BotHost(db.ConnectionString))
        {
            first.Start();
        }
        await using (var second = new BotHost(db.ConnectionString))
        {
            second.Start();
        }

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes WHERE kind = 'admin-bootstrap' AND used_at IS NULL"));

        await db.ExecuteAsync("INSERT INTO persons (role, status, full_name) VALUES ('admin', 'active', 'Анна')");
        await db.ExecuteAsync("DELETE FROM one_time_codes");
        await using (var third = new BotHost(db.ConnectionString))
        {
            third.Start();
        }
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes"));
    }

    [Fact]
    public async Task BootstrapCode_IsNotCreated_WhenThePlaygroundsDemoSchoolSeedsItsAdministrator()
    {
        await db.ResetAsync();
        await using (var host = new BotHost(db.ConnectionString,
            new Dictionary<string, string?> { ["Playground:Enabled"] = "true", ["Playground:SeedDemo"] = "true" }))
        {
            host.Start();
        }

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM persons WHERE role = 'admin'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes WHERE kind = 'admin-bootstrap'"));
    }

    private static Task<HttpResponseMessage> GetWithBasicAsync(HttpClient http, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http.SendAsync(request);
    }
}
