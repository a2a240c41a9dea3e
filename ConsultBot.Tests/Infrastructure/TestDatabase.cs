using ConsultBot.Host.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ConsultBot.Tests.Infrastructure;

/// <summary>
/// Real PostgreSQL for tests. The server comes from ConsultBot__TestPostgres (scripts/test.sh starts a private one);
/// without it every database test fails loudly, never skips. Once per run a template database is migrated; each
/// test class then gets its own copy (CREATE DATABASE … TEMPLATE), which takes a few hundred milliseconds.
/// </summary>
public static class TestDatabase
{
    public const string EnvironmentVariable = "ConsultBot__TestPostgres";
    private static readonly int Pid = Environment.ProcessId;
    private static readonly string Template = $"cb_test_{Pid}_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _templateReady;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: run the tests with scripts/test.sh, which starts a private PostgreSQL, " +
                "or point it at a server (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres).");

    /// <summary>Creates a fresh, migrated database and returns its connection string.</summary>
    public static async Task<string> CreateAsync()
    {
        await EnsureTemplateAsync();
        var name = $"cb_test_{Pid}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var server = new NpgsqlConnection(ServerConnectionString))
        {
            await server.OpenAsync();
            await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE {Template}");
        }
        return ConnectionStringFor(name);
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, MaxPoolSize = 100 }.ConnectionString;

    private static async Task EnsureTemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }
            await using (var server = new NpgsqlConnection(ServerConnectionString))
            {
                await server.OpenAsync();
                // Databases of earlier runs (whose test process is gone) are dropped at the start of the next run.
                var stale = new List<string>();
                await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'cb\\_test\\_%'", server))
                {
                    await using var reader = await list.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        var db = reader.GetString(0);
                        var parts = db.Split('_');
                        if (parts.Length < 4 || !int.TryParse(parts[2], out var owner) || !IsRunning(owner))
                        {
                            stale.Add(db);
                        }
                    }
                }
                foreach (var db in stale)
                {
                    await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)");
                }
                await ExecuteAsync(server, $"CREATE DATABASE {Template}");
            }
            await using (var dataSource = NpgsqlDataSource.Create(ConnectionStringFor(Template)))
            {
                await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
            }
            NpgsqlConnection.ClearAllPools();
            _templateReady = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A migrated database of its own for one test class. Tests call <see cref="ResetAsync"/> to start clean.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>
    /// Empties every table of the bot (not the migrations record). The previous test's host may still be writing its
    /// last activity counts as it stops; the TRUNCATE can then lose a deadlock to that upsert, and is simply run again.
    /// </summary>
    public async Task ResetAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TruncateAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(50 * attempt);
            }
        }
    }

    private async Task TruncateAsync()
    {
        await using var command = DataSource.CreateCommand(
            """
            TRUNCATE school_groups, persons, accounts, parent_links, one_time_codes, processed_updates, chat_notices,
                     outbox, audit_log, web_messages, subjects, consultation_slots, consultation_bookings, teacher_settings,
                     office_hours, holidays, lessons, reminder_settings, materials, material_groups, code_attempts, associations,
                     teacher_profiles, teacher_subjects, school_contacts, questions, question_messages, person_activity,
                     monthly_reports, announcements RESTART IDENTITY CASCADE
            """);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }
}
