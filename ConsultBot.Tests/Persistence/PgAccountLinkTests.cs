using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Persistence;

/// <summary>Several messenger accounts of one person in PostgreSQL: attaching, the preferred one, detaching, link codes.</summary>
public sealed class PgAccountLinkTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<PersonId> PersonWithTelegramAsync()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var person = await new PgPeopleRepository(connection, null)
            .CreateAsync(Channel.Telegram, "100", "100", Language.Ru, DateTimeOffset.UtcNow, Ct);
        return person.Id;
    }

    private async Task<T> InTransactionAsync<T>(Func<PgPeopleRepository, NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await work(new PgPeopleRepository(connection, tx, deferSaves: true), connection, tx);
        await tx.CommitAsync();
        return result;
    }

    [Fact]
    public async Task AttachAccountAsync_AddsANotPreferredAccount_AndRefusesOneThatExists()
    {
        var id = await PersonWithTelegramAsync();

        var attached = await InTransactionAsync((r, _, _) => r.AttachAccountAsync(id, Channel.Web, "w1", "w1", Ct));
        var again = await InTransactionAsync((r, _, _) => r.AttachAccountAsync(id, Channel.Web, "w1", "w1", Ct));
        var taken = await InTransactionAsync((r, _, _) => r.AttachAccountAsync(id, Channel.Telegram, "100", "100", Ct));
        var accounts = await InTransactionAsync((r, _, _) => r.AccountsAsync(id, Ct));

        Assert.True(attached);
        Assert.False(again);
        Assert.False(taken);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
        Assert.Equal([(Channel.Telegram, true), (Channel.Web, false)], accounts.Select(a => (a.Channel, a.Preferred)));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(id, (await new PgPeopleRepository(connection, null).FindByAccountAsync(Channel.Web, "w1", Ct))!.Id);
    }

    [Fact]
    public async Task SetPreferredAsync_LeavesExactlyOnePreferred_AndTheOutboxFollowsIt()
    {
        var id = await PersonWithTelegramAsync();
        await InTransactionAsync((r, _, _) => r.AttachAccountAsync(id, Channel.Web, "w1", "w1", Ct));

        Assert.True(await InTransactionAsync((r, _, _) => r.SetPreferredAsync(id, Channel.Web, Ct)));
        await WriteToPersonAsync(id, "first");
        Assert.True(await InTransactionAsync((r, _, _) => r.SetPreferredAsync(id, Channel.Telegram, Ct)));
        await WriteToPersonAsync(id, "second");
        Assert.False(await InTransactionAsync((r, _, _) => r.SetPreferredAsync(id, Channel.Vk, Ct)));

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE preferred"));
        Assert.Equal("telegram", await db.ScalarAsync<string>("SELECT channel FROM accounts WHERE preferred"));
        Assert.Equal("web", await db.ScalarAsync<string>("SELECT channel FROM outbox WHERE body->>'text' = 'first'"));
        Assert.Equal("telegram", await db.ScalarAsync<string>("SELECT channel FROM outbox WHERE body->>'text' = 'second'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task SetPreferredAsync_SkipsAnUnreachablePreferredAccount()
    {
        var id = await PersonWithTelegramAsync();
        await InTransactionAsync((r, _, _) => r.AttachAccountAsync(id, Channel.Web, "w1", "w1", Ct));
        await InTransactionAsync((r, _, _) => r.SetPreferredAsync(id, Channel.Web, Ct));
        await db.ExecuteAsync("UPDATE accounts SET reachable = false WHERE channel = 'web'");

        await WriteToPersonAsync(id, "fallback");
        var accounts = await InTransactionAsync((r, _, _) => r.AccountsAsync(id, Ct));

        Assert.Equal("telegram", await db.ScalarAsync<string>("SELECT channel FROM outbox"));
        Assert.Equal(Channel.Telegram, accounts[0].Channel);
    }

    [Fact]
    public async Task DetachAccountAsync_DeletesTheAccount_ButKeepsTheLastOne()
    {
        var id = await PersonWithTelegramAsync();
        await InTransactionAsync((r, _, _) => r.AttachAccountAsync(id, Channel.Web, "w1", "w1", Ct));

        var detached = await InTransactionAsync((r, _, _) => r.DetachAccountAsync(id, Channel.Telegram, Ct));
        var last = await InTransactionAsync((r, _, _) => r.DetachAccountAsync(id, Channel.Web, Ct));
        var missing = await InTransactionAsync((r, _, _) => r.DetachAccountAsync(id, Channel.Vk, Ct));

        Assert.True(detached);
        Assert.False(last);
        Assert.False(missing);
        Assert.Equal("web", await db.ScalarAsync<string>("SELECT channel FROM accounts"));
        await WriteToPersonAsync(id, "still reachable");
        Assert.Equal("web", await db.ScalarAsync<string>("SELECT channel FROM outbox"));
    }

    [Fact]
    public async Task AccountsAsync_SeesADeferredSaveOfTheSameTransaction()
    {
        var id = await PersonWithTelegramAsync();

        var seenOutside = await InTransactionAsync(async (r, _, _) =>
        {
            var person = (await r.GetAsync(id, Ct))!;
            person.BeginStep("x");
            await r.SaveAsync(person, Ct);
            await r.AccountsAsync(id, Ct);
            return await db.ScalarAsync<long>("SELECT count(*) FROM persons WHERE dialog->>'step' = 'x'");
        });

        // Committed with the transaction: the save was sent before the accounts were read, not dropped.
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM persons WHERE dialog->>'step' = 'x'"));
        Assert.Equal(0L, seenOutside);
    }

    [Fact]
    public async Task LinkCodes_AreStoredHashed_FoundWithoutUse_AndWrongAttemptsCountedPerAccount()
    {
        var id = await PersonWithTelegramAsync();
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var codes = new PgCodeRepository(connection, null);
        await codes.CreateAsync(CodeKind.AccountLink, "ABCD2345", id, id, now.AddMinutes(10), Ct);

        var found = await codes.FindAsync(CodeKind.AccountLink, "ABCD2345", now, Ct);
        var otherKind = await codes.FindAsync(CodeKind.ChildLink, "ABCD2345", now, Ct);
        var expired = await codes.FindAsync(CodeKind.AccountLink, "ABCD2345", now.AddMinutes(11), Ct);
        await codes.RedeemAsync(CodeKind.AccountLink, "ABCD2345", id, now, Ct);
        var used = await codes.FindAsync(CodeKind.AccountLink, "ABCD2345", now, Ct);

        Assert.Equal(new FoundCode(id, false, false), found);
        Assert.Null(otherKind);
        Assert.Equal(new FoundCode(id, false, true), expired);
        Assert.Equal(new FoundCode(id, true, false), used);
        Assert.Equal("account-link", await db.ScalarAsync<string>("SELECT kind FROM one_time_codes"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes WHERE encode(code_hash, 'escape') LIKE '%ABCD%'"));

        await codes.RecordRejectedAsync(Channel.Web, "w1", now.AddHours(-2), Ct);
        await codes.RecordRejectedAsync(Channel.Web, "w1", now, Ct);
        await codes.RecordRejectedAsync(Channel.Web, "w2", now, Ct);
        Assert.Equal(1, await codes.CountRejectedSinceAsync(Channel.Web, "w1", now.AddHours(-1), Ct));
        Assert.Equal(0, await codes.CountRejectedSinceAsync(Channel.Vk, "w1", now.AddHours(-1), Ct));
    }

    private async Task WriteToPersonAsync(PersonId id, string text)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        OutboxWriter.AddTo(batch, [new OutgoingMessage(Recipient.ToPerson(id), text)]);
        await batch.ExecuteNonQueryAsync();
    }
}
