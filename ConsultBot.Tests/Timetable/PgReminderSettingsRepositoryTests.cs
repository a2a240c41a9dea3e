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
}
