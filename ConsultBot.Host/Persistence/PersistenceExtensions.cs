using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Persistence;

public static class PersistenceExtensions
{
    /// <summary>One <see cref="NpgsqlDataSource"/> for the process, and migrations applied at start-up.</summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Configure<IConfiguration>((o, c) => o.ConnectionString = c.GetConnectionString("Postgres"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                "ConnectionStrings:Postgres (ConnectionStrings__Postgres) is not set: give the bot a PostgreSQL connection string, or start it with scripts/run.sh, which starts a private PostgreSQL")
            .Validate(o => IsValidConnectionString(o.ConnectionString),
                "ConnectionStrings:Postgres (ConnectionStrings__Postgres) is not a valid PostgreSQL connection string")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);
            // The same few statements run for every update: let Npgsql prepare them unless configured otherwise.
            var settings = dataSource.ConnectionStringBuilder;
            if (settings.MaxAutoPrepare == 0)
            {
                settings.MaxAutoPrepare = 64;
                settings.AutoPrepareMinUsages = 2;
            }
            // The bot keeps no session state on pooled connections (transaction-scoped locks only; the outbox
            // listener UNLISTENs before it lets its connection go), so skip the seven-statement reset per checkout.
            settings.NoResetOnClose = true;
            dataSource.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            dataSource.Name = "consultbot";
            return dataSource.Build();
        });
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }

    private static bool IsValidConnectionString(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return true; // reported by the rule above
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
