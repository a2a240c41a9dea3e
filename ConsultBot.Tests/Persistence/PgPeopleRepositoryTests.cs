using ConsultBot.Domain.People;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Persistence;

public sealed class PgPeopleRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PeekAsync_ReadsAPersonAnotherTransactionHoldsLocked_WhileGetAsyncWaitsForTheLock()
    {
        var id = new PersonId(await db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, language, consented_at) VALUES ('teacher', 'active', 'Петрова Анна', 'en', now()) RETURNING id"));
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var holding = await holder.BeginTransactionAsync();
        Assert.NotNull(await new PgPeopleRepository(holder, holding).GetAsync(id, CancellationToken.None));

        await using var other = await db.DataSource.OpenConnectionAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '300ms'", other, tx))
        {
            await timeout.ExecuteNonQueryAsync();
        }
        var repository = new PgPeopleRepository(other, tx);

        var peeked = await repository.PeekAsync(id, CancellationToken.None);
        var locked = await Assert.ThrowsAsync<PostgresException>(() => repository.GetAsync(id, CancellationToken.None));

        Assert.Equal("Петрова Анна", peeked!.FullName);
        Assert.Equal(Language.En, peeked.Language);
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, locked.SqlState);
    }
}
