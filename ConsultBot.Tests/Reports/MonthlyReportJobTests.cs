using System.Text.Json;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.Reports;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Reports;

/// <summary>The monthly job: last month's report to every active administrator, once however often it runs.</summary>
public sealed class MonthlyReportJobTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly ReportSeed _seed = new(db);

    /// <summary>1 November 2026, 08:00 in Moscow: the job reports October.</summary>
    private FakeTimeProvider _clock = new(ReportSeed.Msk(11, 1, 8));

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await _seed.SeedAsync();
        await AccountAsync(_seed.Director, "telegram", "9001", reachable: true, preferred: true);
        await AccountAsync(_seed.IdleAdmin, "telegram", "9002", reachable: false, preferred: true);
        await AccountAsync(_seed.IdleAdmin, "vk", "3002", reachable: true, preferred: false);
        await db.ExecuteAsync("UPDATE persons SET language = 'en' WHERE id = @p", ("p", _seed.IdleAdmin));
        var gone = await db.ScalarAsync<long>("INSERT INTO persons (role, status, full_name) VALUES ('admin', 'deactivated', 'Бывший Завуч') RETURNING id");
        await AccountAsync(gone, "telegram", "9003", reachable: true, preferred: true);
        await AccountAsync(_seed.Petrova, "telegram", "9004", reachable: true, preferred: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task AccountAsync(long person, string channel, string chat, bool reachable, bool preferred) =>
        db.ExecuteAsync(
            "INSERT INTO accounts (channel, sender_id, chat_id, person_id, reachable, preferred) VALUES (@c, @s, @s, @p, @r, @pref)",
            ("c", channel), ("s", chat), ("p", person), ("r", reachable), ("pref", preferred));

    private MonthlyReportJob Job(ILogger<MonthlyReportJob>? logger = null) => new(db.DataSource,
        Options.Create(new SchoolOptions { TimeZone = "Europe/Moscow" }), new OutboxSignal(), new SchoolClock(_clock),
        logger ?? NullLogger<MonthlyReportJob>.Instance, new ActivityCounter(db.DataSource, NullLogger<ActivityCounter>.Instance));

    private sealed class LevelsLogger : ILogger<MonthlyReportJob>
    {
        public List<LogLevel> Levels { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Add(logLevel);
    }

    [Fact]
    public async Task RunAsync_LeavesTheMonthUndone_AndWarns_WhenNoAdministratorIsReachable()
    {
        await db.ExecuteAsync("UPDATE accounts SET reachable = false WHERE person_id IN (@d, @i)", ("d", _seed.Director), ("i", _seed.IdleAdmin));
        var logger = new LevelsLogger();

        Assert.Equal(0, await Job(logger).RunAsync(CancellationToken.None));

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM monthly_reports"));
        Assert.Empty(await OutboxAsync());
        Assert.Contains(LogLevel.Warning, logger.Levels);

        // Once an administrator can be reached again, the next run sends the month.
        await db.ExecuteAsync("UPDATE accounts SET reachable = true WHERE person_id = @d", ("d", _seed.Director));
        Assert.Equal(1, await Job().RunAsync(CancellationToken.None));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM monthly_reports WHERE month = '2026-10-01' AND recipients = 1"));
    }

    private async Task<List<(string Key, string Channel, string Chat, MessageBody Body)>> OutboxAsync()
    {
        await using var command = db.DataSource.CreateCommand("SELECT dedupe_key, channel, chat_id, body::text FROM outbox ORDER BY id");
        var rows = new List<(string, string, string, MessageBody)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2),
                JsonSerializer.Deserialize<MessageBody>(reader.GetString(3), HostJsonAccess.Options)!));
        }
        return rows;
    }

    [Fact]
    public async Task RunAsync_SendsLastMonthsCsvOnce_WhenItRunsTwice()
    {
        var first = await Job().RunAsync(CancellationToken.None);
        var second = await Job().RunAsync(CancellationToken.None);

        Assert.Equal(2, first);
        Assert.Equal(0, second);
        var rows = await OutboxAsync();
        // The administrator whose Telegram blocked the bot gets it in VK; a deactivated administrator and teachers get nothing.
        Assert.Equal(
            [($"report:2026-10:{_seed.Director}", "telegram", "9001"), ($"report:2026-10:{_seed.IdleAdmin}", "vk", "3002")],
            rows.Select(r => (r.Key, r.Channel, r.Chat)).OrderBy(r => r.Channel, StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("activity-2026-10.csv", r.Body.Document?.FileName));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM monthly_reports WHERE month = '2026-10-01' AND recipients = 2"));
    }

    [Fact]
    public async Task RunAsync_SendsOnce_WhenTwoInstancesRunAtTheSameTime()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Job().RunAsync(CancellationToken.None))));

        Assert.Equal(2, results.Sum());
        Assert.Equal(2, (await OutboxAsync()).Count);
    }

    [Fact]
    public async Task RunAsync_SendsEachAdministratorTheFileInTheirLanguage_WithTheMonthsFigures()
    {
        await Job().RunAsync(CancellationToken.None);

        var rows = await OutboxAsync();
        var russian = CsvRows.Parse(rows.Single(r => r.Channel == "telegram").Body.Document!.Content);
        var english = CsvRows.Parse(rows.Single(r => r.Channel == "vk").Body.Document!.Content);
        Assert.Equal("Роль", russian[0][0]);
        Assert.Equal("Role", english[0][0]);
        Assert.Equal(7, russian.Count);
        Assert.Equal(["учитель", "Петрова Анна Сергеевна", "МО естественных наук", "2", "11", "5", "4", "8,3", "4", "3", "2", "1", "2"], russian[4]);
        Assert.Equal("8.3", english[4][7]);
        Assert.StartsWith("Ежемесячный отчёт об активности за октябрь 2026", rows.Single(r => r.Channel == "telegram").Body.Text);
    }

    [Fact]
    public async Task RunAsync_ReportsTheMonthBefore_InTheSchoolsZone()
    {
        // 23:30 on 31 October in Moscow is still October there: the job reports September.
        _clock = new FakeTimeProvider(ReportSeed.Msk(10, 31, 23, 30));

        await Job().RunAsync(CancellationToken.None);

        Assert.All(await OutboxAsync(), r => Assert.Equal("activity-2026-09.csv", r.Body.Document?.FileName));
    }
}
