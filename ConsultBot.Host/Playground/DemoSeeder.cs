using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Playground;

/// <summary>
/// A demo school for the playground: classes, a teacher (teacher1) and an administrator (admin1), both already
/// registered. Idempotent: running it again changes nothing.
/// </summary>
public sealed partial class DemoSeeder(NpgsqlDataSource dataSource, IOptions<PlaygroundOptions> options, ILogger<DemoSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedDemo)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO school_groups (name)
            SELECT unnest(ARRAY['5А', '6Б', '7А', '7Б', '8В', '9А', '10Б', '11А'])
            ON CONFLICT (lower(name)) WHERE NOT archived DO NOTHING;

            WITH demo (sender, name, role) AS (
                VALUES ('teacher1', 'Мария Ивановна Петрова', 'teacher'), ('admin1', 'Анна Сергеевна Смирнова', 'admin')
            ), missing AS (
                SELECT d.* FROM demo d
                WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.channel = 'web' AND a.sender_id = d.sender)
            ), created AS (
                INSERT INTO persons (role, status, full_name, consented_at, dialog)
                SELECT role, 'active', name, now(), '{"version":1}'::jsonb FROM missing
                RETURNING id, full_name
            )
            INSERT INTO accounts (channel, sender_id, chat_id, person_id)
            SELECT 'web', m.sender, m.sender, c.id FROM created c JOIN missing m ON m.name = c.full_name;
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
        LogSeeded(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo school ready: classes, teacher1 and admin1 in the playground")]
    private static partial void LogSeeded(ILogger logger);
}

public static class PlaygroundExtensions
{
    public static IHostApplicationBuilder AddPlayground(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PlaygroundOptions>().BindConfiguration(PlaygroundOptions.SectionName)
            .PostConfigure(o => o.People = o.People.Length == 0 ? [.. PlaygroundOptions.DefaultPeople] : o.People)
            .Validate(o => o.People.Length is > 0 and <= 20 && o.People.All(p => p.Length is > 0 and <= 32 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')),
                "Playground:People must list 1-20 keys of letters, digits, _ or - (at most 32 characters each)")
            .ValidateOnStart();
        builder.Services.AddSingleton<Outbox.IChannelSender, PlaygroundSender>();
        builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}
