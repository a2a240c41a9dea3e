using ConsultBot.Domain.People;
using ConsultBot.Host.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Admin;

/// <summary>
/// While the school has no administrator and none is configured, writes a one-time bootstrap code to the log
/// (a new one at every start; older unused ones stop working). It looks once every other service has started, so an
/// administrator the playground's demo school seeds at start-up counts and no code is logged for nothing.
/// </summary>
public sealed partial class AdminBootstrap(NpgsqlDataSource dataSource, IOptions<AdminOptions> options, School.SchoolClock clock,
    ILogger<AdminBootstrap> logger) : IHostedLifecycleService
{
    private const long LockKey = 0x436F_6E73_756C_7402;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ParsedTelegramIds.Count > 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, tx))
        {
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM persons WHERE role = 'admin' AND status <> 'forgotten')
                OR EXISTS (SELECT 1 FROM one_time_codes WHERE kind = 'admin-bootstrap' AND used_at IS NOT NULL)
            """, connection, tx))
        {
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }
        await using (var command = new NpgsqlCommand("DELETE FROM one_time_codes WHERE kind = 'admin-bootstrap'", connection, tx))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var code = OneTimeCode.Generate();
        await new PgCodeRepository(connection, tx).CreateAsync(CodeKind.AdminBootstrap, code, null, null,
            clock.Now.AddDays(7), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        LogCode(logger, OneTimeCode.Display(code), OneTimeCode.DeepLinkPrefix(CodeKind.AdminBootstrap) + code);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The one secret the design asks to log: it is single-use and only matters until the first administrator exists.
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No administrator yet. One-time administrator code: {Code}. Register with /start, choose \"Teacher\" and type the code, or open the deep link ?start={DeepLink}")]
    private static partial void LogCode(ILogger logger, string code, string deepLink);
}

public static class AdminExtensions
{
    public static IHostApplicationBuilder AddAdministration(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.Services.AddHostedService<AdminBootstrap>();
        return builder;
    }
}
