using System.Net;
using ConsultBot.Tests.EndToEnd;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ConsultBot.Tests.Operations;

/// <summary>
/// A PostgreSQL that refuses connections, for real: the host logs in as a role of its own, and the test sets that role's
/// CONNECTION LIMIT to 0 and ends its sessions, so every new connection gets 53300 "too many connections" (what a full
/// max_connections gives). The host must keep running, answer the webhook 503 (Telegram retries), report not ready,
/// and recover by itself once connections are allowed again.
/// </summary>
public sealed class DatabaseRefusalTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly string _role = "cb_refusal_" + Guid.NewGuid().ToString("N")[..10];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var database = new NpgsqlConnectionStringBuilder(Db.ConnectionString).Database!;
        await Db.ExecuteAsync($"CREATE ROLE {_role} LOGIN");
        await Db.ExecuteAsync($"ALTER DATABASE \"{database}\" OWNER TO {_role}");
        await Db.ExecuteAsync(
            $$"""
            DO $$
            DECLARE t record;
            BEGIN
                FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'hangfire') LOOP
                    EXECUTE format('ALTER TABLE %I.%I OWNER TO {{_role}}', t.schemaname, t.tablename);
                END LOOP;
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'hangfire') THEN
                    ALTER SCHEMA hangfire OWNER TO {{_role}};
                END IF;
            END $$;
            GRANT ALL ON SCHEMA public TO {{_role}};
            """);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Db.ExecuteAsync($"ALTER ROLE {_role} CONNECTION LIMIT -1");
        var database = new NpgsqlConnectionStringBuilder(Db.ConnectionString).Database!;
        await Db.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{_role}'");
        await Db.ExecuteAsync($"ALTER DATABASE \"{database}\" OWNER TO CURRENT_USER; REASSIGN OWNED BY {_role} TO CURRENT_USER; DROP OWNED BY {_role}");
        await Db.ExecuteAsync($"DROP ROLE IF EXISTS {_role}");
    }

    [Fact]
    public async Task Webhook_Answers503AndReadinessRecovers_WhenPostgresRefusesConnections()
    {
        var hostConnection = new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Username = _role, Timeout = 3 }.ConnectionString;
        await StartWebhookAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = hostConnection,
            ["Scheduling:ServerEnabled"] = "true",
        });
        var user = new TelegramUser(6101);
        using (var ready = await HostClient.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await Db.ExecuteAsync($"ALTER ROLE {_role} CONNECTION LIMIT 0");
        await Db.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{_role}'");
        await EventuallyAsync(() => StatusAsync("/health/ready"), s => s == HttpStatusCode.ServiceUnavailable, "readiness to fail");
        var update = TelegramUpdates.Text(user.Id, "/start").WithUpdateId(910_001).ToJsonString();
        // The first request may meet a pooled connection the server has just ended: also 503, never 500.
        var refused = await EventuallyAsync(async () =>
        {
            using var response = await PostWebhookAsync(update, WebhookSecret);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode == HttpStatusCode.ServiceUnavailable && r.Item3.Length == 0, "the webhook to answer 503");
        var live = await StatusAsync("/health/live");
        var metrics = await HostClient.GetStringAsync("/metrics");

        await Db.ExecuteAsync($"ALTER ROLE {_role} CONNECTION LIMIT -1");
        await EventuallyAsync(() => StatusAsync("/health/ready"), s => s == HttpStatusCode.OK, "readiness to recover");
        using (var retried = await PostWebhookAsync(update, WebhookSecret)) // what Telegram does after a 503
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }
        var consent = await NextMessageAsync(user);

        Assert.Equal(TimeSpan.FromSeconds(5), refused.Delta);
        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal(0, MetricsText.Value(metrics, "consultbot_database_up"));
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE update_id = '910001'"));
        Assert.Single(Telegram.MessagesTo(user.Id));
        Assert.False(Host!.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await HostClient.GetAsync(path);
        return response.StatusCode;
    }
}
