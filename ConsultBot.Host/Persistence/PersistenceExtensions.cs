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
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
                dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
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
