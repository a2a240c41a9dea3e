using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Admin;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Reports;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ConsultBot.Tests.Reports;

/// <summary>
/// The pipeline counts a registered sender's messages per school-local day once the update commits; the counter writes
/// them to <c>person_activity</c> in one upsert per flush.
/// </summary>
public sealed class PersonActivityTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    /// <summary>23:30 on 31 October at school (Moscow, 20:30 UTC).</summary>
    private readonly FakeTimeProvider _clock = new(ReportSeed.Msk(10, 31, 23, 30));
    private UpdatePipeline _pipeline = null!;
    private ActivityCounter _counter = null!;
    private long _person;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _counter = new ActivityCounter(db.DataSource, NullLogger<ActivityCounter>.Instance);
        _pipeline = TestPipelines.Create(db.DataSource, _clock, new SchoolOptions { Name = "Школа №5", TimeZone = "Europe/Moscow" },
            activity: _counter);
        _person = await db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('teacher', 'active', 'Петрова Анна', now()) RETURNING id");
        await db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('web', 'u1', 'u1', @p)", ("p", _person));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static IncomingEvent Event(string id, EventKind kind, string sender = "u1") => new()
    {
        Channel = Channel.Web, UpdateId = id, Kind = kind, SenderId = sender, ChatId = sender,
        Text = kind == EventKind.Text ? "/help" : null, CallbackData = kind == EventKind.Callback ? "m:0:h" : null,
        CallbackId = kind == EventKind.Callback ? id : null,
    };

    private async Task<List<(DateOnly Day, int Messages)>> ActivityAsync()
    {
        await _counter.FlushAsync(CancellationToken.None);
        await using var command = db.DataSource.CreateCommand("SELECT day, messages FROM person_activity WHERE person_id = @p ORDER BY day");
        command.Parameters.AddWithValue("p", _person);
        var rows = new List<(DateOnly, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1)));
        }
        return rows;
    }

    [Fact]
    public async Task ProcessAsync_CountsTextsAndPresses_OnTheSchoolsLocalDay()
    {
        await _pipeline.ProcessAsync(Event("1", EventKind.Text), CancellationToken.None);
        await _pipeline.ProcessAsync(Event("2", EventKind.Callback), CancellationToken.None);
        _clock.SetUtcNow(ReportSeed.Msk(11, 1, 0, 30)); // 21:30 UTC on 31 October, but 1 November at school
        await _pipeline.ProcessAsync(Event("3", EventKind.Text), CancellationToken.None);

        Assert.Equal([(new DateOnly(2026, 10, 31), 2), (new DateOnly(2026, 11, 1), 1)], await ActivityAsync());
    }

    [Fact]
    public async Task ProcessAsync_DoesNotCount_ADuplicateAnEditOrASticker()
    {
        await _pipeline.ProcessAsync(Event("1", EventKind.Text), CancellationToken.None);
        await _pipeline.ProcessAsync(Event("1", EventKind.Text), CancellationToken.None);
        await _pipeline.ProcessAsync(Event("2", EventKind.Edited), CancellationToken.None);
        await _pipeline.ProcessAsync(Event("3", EventKind.Unsupported), CancellationToken.None);

        Assert.Equal([(new DateOnly(2026, 10, 31), 1)], await ActivityAsync());
    }

    [Fact]
    public async Task ProcessAsync_CountsNobody_BeforeConsent()
    {
        await _pipeline.ProcessAsync(Event("1", EventKind.Text, sender: "stranger"), CancellationToken.None);

        Assert.Equal(0, await _counter.FlushAsync(CancellationToken.None));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM person_activity"));
    }

    [Fact]
    public async Task FlushAsync_AddsToTheDaysAlreadyWritten_AndWritesNothingTwice()
    {
        await _pipeline.ProcessAsync(Event("1", EventKind.Text), CancellationToken.None);
        Assert.Equal([(new DateOnly(2026, 10, 31), 1)], await ActivityAsync());
        await _pipeline.ProcessAsync(Event("2", EventKind.Text), CancellationToken.None);
        await _pipeline.ProcessAsync(Event("3", EventKind.Callback), CancellationToken.None);

        Assert.Equal([(new DateOnly(2026, 10, 31), 3)], await ActivityAsync());
        Assert.Equal([(new DateOnly(2026, 10, 31), 3)], await ActivityAsync());
    }

    [Fact]
    public async Task Count_FromManyThreadsWhileFlushing_LosesNoMessage()
    {
        var person = new ConsultBot.Domain.People.PersonId(_person);
        var day = new DateOnly(2026, 10, 31);
        var counting = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                _counter.Count(person, day);
            }
        })));
        while (!counting.IsCompleted)
        {
            await _counter.FlushAsync(CancellationToken.None);
        }
        await counting;

        Assert.Equal([(day, 20_000)], await ActivityAsync());
    }

    [Fact]
    public async Task FlushAsync_WhenPostgreSqlCannotTakeTheCounts_KeepsThemForTheNextFlush()
    {
        var person = new ConsultBot.Domain.People.PersonId(_person);
        var day = new DateOnly(2026, 10, 31);
        // The counter's connections give up on a lock after 200 ms; another transaction holds person_activity meanwhile.
        var impatient = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Options = "-c lock_timeout=200" };
        await using var source = NpgsqlDataSource.Create(impatient.ConnectionString);
        var counter = new ActivityCounter(source, NullLogger<ActivityCounter>.Instance);
        counter.Count(person, day);
        counter.Count(person, day);
        await using (var blocker = await db.DataSource.OpenConnectionAsync())
        {
            await using var tx = await blocker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE person_activity IN ACCESS EXCLUSIVE MODE", blocker, tx))
            {
                await lockTable.ExecuteNonQueryAsync();
            }
            Assert.Equal(0, await counter.FlushAsync(CancellationToken.None));
            counter.Count(person, day);
            await tx.RollbackAsync();
        }

        Assert.Equal(1, await counter.FlushAsync(CancellationToken.None));
        Assert.Equal([(day, 3)], await ActivityAsync());
    }

    [Fact]
    public async Task FlushAsync_DropsTheCountsOfAPersonErasedMeanwhile()
    {
        await _pipeline.ProcessAsync(Event("1", EventKind.Text), CancellationToken.None);
        await db.ExecuteAsync("SELECT forget_person(@p)", ("p", _person));

        Assert.Equal(0, await _counter.FlushAsync(CancellationToken.None));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM person_activity"));
    }
}
