using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Scheduling;

namespace ConsultBot.Tests.Timetable;

public sealed class PgReminderSettingsRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly ConsultationSeed _seed = new(db);

    public async Task InitializeAsync() => await db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GetAsync_ReturnsWhatWasSaved_OrTheDefault()
    {
        var person = new PersonId(await _seed.PersonAsync("student", "Иванов Иван"));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var repo = new PgReminderSettingsRepository(connection, null);

        Assert.Equal(ReminderChoice.Default, await repo.GetAsync(person, CancellationToken.None));
        await repo.SaveAsync(person, new ReminderChoice(true, new TimeOnly(8, 0), false), CancellationToken.None);
        Assert.Equal(new ReminderChoice(true, new TimeOnly(8, 0), false), await repo.GetAsync(person, CancellationToken.None));
        await repo.SaveAsync(person, new ReminderChoice(false, null, true), CancellationToken.None);
        Assert.Equal(new ReminderChoice(false, null, true), await repo.GetAsync(person, CancellationToken.None));
    }

    [Fact]
    public async Task SetFollowsAsync_ChangesOnlyALinkedChild()
    {
        var parent = new PersonId(await _seed.PersonAsync("parent", "Иванова Елена"));
        var ivan = new PersonId(await _seed.PersonAsync("student", "Иванов Иван"));
        var stranger = new PersonId(await _seed.PersonAsync("student", "Орлова Ольга"));
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (@p, @c)", ("p", parent.Value), ("c", ivan.Value));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var repo = new PgReminderSettingsRepository(connection, null);

        Assert.Equal([new FollowedChild(ivan, "Иванов Иван", true)], await repo.ChildrenAsync(parent, CancellationToken.None));
        Assert.True(await repo.SetFollowsAsync(parent, ivan, false, CancellationToken.None));
        Assert.False(await repo.SetFollowsAsync(parent, stranger, false, CancellationToken.None));
        Assert.Equal([new FollowedChild(ivan, "Иванов Иван", false)], await repo.ChildrenAsync(parent, CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_DropsThePersonsPendingDailyReminders_WhenRemindersAreTurnedOff()
    {
        var ivan = new PersonId(await _seed.PersonAsync("student", "Иванов Иван"));
        var olga = new PersonId(await _seed.PersonAsync("student", "Орлова Ольга"));
        await PlanAsync($"daily:{ivan.Value}:0:2026-12-01", ivan, "pending");
        await PlanAsync($"daily:{ivan.Value}:0:2026-11-30", ivan, "sent");
        await PlanAsync($"consult:{ivan.Value}:1", ivan, "pending");
        await PlanAsync($"daily:{olga.Value}:0:2026-12-01", olga, "pending");
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var repo = new PgReminderSettingsRepository(connection, null);

        await repo.SaveAsync(ivan, new ReminderChoice(true, new TimeOnly(8, 0), false), CancellationToken.None);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        await repo.SaveAsync(ivan, ReminderChoice.Default.TurnedOff(), CancellationToken.None);

        // Only Ivan's daily reminder still waiting is gone: what was sent, his other notifications and Olga's stay.
        Assert.Equal(
            [$"consult:{ivan.Value}:1", $"daily:{ivan.Value}:0:2026-11-30", $"daily:{olga.Value}:0:2026-12-01"],
            await KeysAsync());
    }

    [Fact]
    public async Task SetFollowsAsync_DropsThatChildsPendingReminderForTheParent_WhenUnfollowed()
    {
        var parent = new PersonId(await _seed.PersonAsync("parent", "Иванова Елена"));
        var ivan = new PersonId(await _seed.PersonAsync("student", "Иванов Иван"));
        var anna = new PersonId(await _seed.PersonAsync("student", "Иванова Анна"));
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (@p, @c), (@p, @d)",
            ("p", parent.Value), ("c", ivan.Value), ("d", anna.Value));
        await PlanAsync($"daily:{parent.Value}:{ivan.Value}:2026-12-01", parent, "pending");
        await PlanAsync($"daily:{parent.Value}:{anna.Value}:2026-12-01", parent, "pending");
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var repo = new PgReminderSettingsRepository(connection, null);

        Assert.True(await repo.SetFollowsAsync(parent, ivan, true, CancellationToken.None));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.True(await repo.SetFollowsAsync(parent, ivan, false, CancellationToken.None));

        Assert.Equal([$"daily:{parent.Value}:{anna.Value}:2026-12-01"], await KeysAsync());
    }

    private Task PlanAsync(string key, PersonId person, string status) => db.ExecuteAsync(
        """
        INSERT INTO outbox (channel, chat_id, person_id, body, dedupe_key, status)
        VALUES ('telegram', @person::text, @person, '{"text":"x"}', @key, @status)
        """, ("person", person.Value), ("key", key), ("status", status));

    private async Task<List<string>> KeysAsync()
    {
        var keys = new List<string>();
        await using var command = db.DataSource.CreateCommand("SELECT dedupe_key FROM outbox ORDER BY dedupe_key");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
