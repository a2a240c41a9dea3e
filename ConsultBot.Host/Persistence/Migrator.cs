using System.Reflection;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// Applies the embedded SQL migrations in name order, each in its own transaction, under a session advisory
/// lock: instances starting together migrate once, the others wait and find nothing to do.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long LockKey = 0x436F_6E73_756C_7401; // "Consult" + 1

    private static readonly Lazy<IReadOnlyList<(string Version, string Sql)>> Embedded = new(LoadEmbedded);

    public static IReadOnlyList<(string Version, string Sql)> Migrations => Embedded.Value;

    public static string LatestVersion => Migrations[^1].Version;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await using (var create = new NpgsqlCommand(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     text PRIMARY KEY,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var count = 0;
            foreach (var (version, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(sql, connection, tx))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@v)", connection, tx))
                {
                    record.Parameters.AddWithValue("v", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version}", version);
                count++;
            }
            return count;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>True when the database has every migration this build knows.</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM schema_migrations WHERE version = ANY(@versions)");
        command.Parameters.AddWithValue("versions", Migrations.Select(m => m.Version).ToArray());
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken))! == Migrations.Count;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
    }

    private static IReadOnlyList<(string, string)> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "ConsultBot.Host.Persistence.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (n[prefix.Length..^4], reader.ReadToEnd());
            })
            .ToList();
    }
}

/// <summary>Runs the migrations before any other hosted service starts (hosted services start in order).</summary>
public sealed class MigrationHostedService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
