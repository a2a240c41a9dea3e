using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ConsultBot.Tests.Persistence;

public sealed class MigratorTests
{
    [Fact]
    public async Task MigrateAsync_AppliesOnce_WhenRunTwice()
    {
        await using var dataSource = NpgsqlDataSource.Create(await EmptyDatabaseAsync());
        var migrator = new Migrator(dataSource, NullLogger<Migrator>.Instance);

        var first = await migrator.MigrateAsync(CancellationToken.None);
        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrator.Migrations.Count, first);
        Assert.Equal(0, second);
        Assert.True(await migrator.IsUpToDateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MigrateAsync_MigratesOnce_WhenInstancesStartTogether()
    {
        await using var dataSource = NpgsqlDataSource.Create(await EmptyDatabaseAsync());

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None))));

        Assert.Equal(Migrator.Migrations.Count, results.Sum());
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)Migrator.Migrations.Count, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task IsUpToDateAsync_IsFalse_WhenNothingApplied()
    {
        await using var dataSource = NpgsqlDataSource.Create(await EmptyDatabaseAsync());

        Assert.False(await new Migrator(dataSource, NullLogger<Migrator>.Instance).IsUpToDateAsync(CancellationToken.None));
    }

    private static async Task<string> EmptyDatabaseAsync()
    {
        var name = $"cb_test_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..12]}";
        await using var server = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        await server.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", server);
        await command.ExecuteNonQueryAsync();
        return TestDatabase.ConnectionStringFor(name);
    }
}
