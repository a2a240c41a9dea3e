using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Playground;

/// <summary>
/// A demo school for the playground: classes, subjects, a teacher (teacher1) with a few consultations in the coming
/// days, the school psychologist (psych1, the confidential subject «Психология») and an administrator (admin1), all
/// already registered. Idempotent: running it again changes nothing.
/// </summary>
public sealed partial class DemoSeeder(NpgsqlDataSource dataSource, IOptions<PlaygroundOptions> options, IOptions<School.SchoolOptions> school,
    ILogger<DemoSeeder> logger)
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
                VALUES ('teacher1', 'Мария Ивановна Петрова', 'teacher'), ('admin1', 'Анна Сергеевна Смирнова', 'admin'),
                       ('psych1', 'Ольга Николаевна Лебедева', 'teacher')
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

            INSERT INTO subjects (name) SELECT unnest(ARRAY['Математика', 'Физика', 'Русский язык', 'Психология'])
            ON CONFLICT (lower(name)) DO NOTHING;

            -- Who can be asked: teacher1 teaches mathematics and physics; psych1 is the school psychologist, whose
            -- subject is confidential (questions only she reads, anonymous if the asker wishes).
            UPDATE subjects SET confidential = true WHERE lower(name) = lower('Психология') AND NOT confidential;
            INSERT INTO teacher_subjects (teacher_id, subject_id)
            SELECT a.person_id, s.id
            FROM (VALUES ('teacher1', 'Математика'), ('teacher1', 'Физика'), ('psych1', 'Психология')) AS d (sender, subject)
            JOIN accounts a ON a.channel = 'web' AND a.sender_id = d.sender
            JOIN subjects s ON lower(s.name) = lower(d.subject)
            ON CONFLICT DO NOTHING;

            -- Consultations in the school's time zone, from tomorrow on; only while teacher1 has none.
            WITH teacher AS (
                SELECT a.person_id AS id FROM accounts a WHERE a.channel = 'web' AND a.sender_id = 'teacher1'
            ), demo (days, at, minutes, subject, kind, capacity, purpose, topic, prep, link, room) AS (
                VALUES (1, time '15:00', 20, 'Математика', 'individual', 1, 'review', NULL, false, NULL, '214'),
                       (1, time '15:30', 20, 'Математика', 'individual', 1, 'review', NULL, false, NULL, '214'),
                       (2, time '16:00', 45, 'Математика', 'group', 3, 'topic', 'Квадратные уравнения', false, 'https://meet.example.org/math', NULL),
                       (3, time '17:00', 60, 'Физика', 'group', 10, 'review', NULL, true, NULL, '301')
            ), starts AS (
                SELECT d.*, ((date_trunc('day', now() AT TIME ZONE @zone) + make_interval(days => d.days) + d.at) AT TIME ZONE @zone) AS starts_at
                FROM demo d
            )
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose, topic_title,
                attestation_prep, link, room)
            SELECT t.id, s.id, st.starts_at, st.starts_at + make_interval(mins => st.minutes), st.kind, st.capacity, st.purpose,
                st.topic, st.prep, st.link, st.room
            FROM teacher t CROSS JOIN starts st JOIN subjects s ON lower(s.name) = lower(st.subject)
            WHERE NOT EXISTS (SELECT 1 FROM consultation_slots x WHERE x.teacher_id = t.id);

            -- The directory: teacher1's association and office-hours note, and whom to ask about consultations.
            INSERT INTO associations (name) VALUES ('МО учителей математики и физики') ON CONFLICT (lower(name)) DO NOTHING;
            INSERT INTO teacher_profiles (person_id, association_id, office_hours_note)
            SELECT a.person_id, (SELECT id FROM associations WHERE lower(name) = lower('МО учителей математики и физики')),
                   'Кабинет 214, вторник и четверг после 7-го урока'
            FROM accounts a WHERE a.channel = 'web' AND a.sender_id = 'teacher1'
            ON CONFLICT (person_id) DO NOTHING;
            INSERT INTO school_contacts (duty, name, how_to_reach, position)
            SELECT 'Ответственный за консультации', 'Заместитель директора Ольга Николаевна Кузнецова', 'кабинет 101, пн–пт 9:00–16:00', 1
            WHERE NOT EXISTS (SELECT 1 FROM school_contacts WHERE duty = 'Ответственный за консультации');
            """);
        command.Parameters.AddWithValue("zone", school.Value.TimeZone);
        await command.ExecuteNonQueryAsync(cancellationToken);
        LogSeeded(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo school ready: classes, subjects, teacher1 with consultations and a directory entry, psych1 and admin1 in the playground")]
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
