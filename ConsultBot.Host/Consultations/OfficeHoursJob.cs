using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Consultations;

/// <summary>
/// Keeps every active office-hours template turned into slots the configured number of weeks ahead. Each template
/// runs in its own transaction holding the teacher's person row, the lock the teacher's own dialog takes, so a slot
/// the teacher publishes or a template they remove meanwhile is seen, and the weekly cap holds.
/// </summary>
public sealed partial class OfficeHoursJob(NpgsqlDataSource dataSource, IOptions<SchoolOptions> school, IOptions<ConsultationsOptions> options,
    SchoolClock clock, ILogger<OfficeHoursJob> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var zone = school.Value.TimeZoneInfo;
        var policy = options.Value.ToPolicy();
        var weeks = options.Value.OfficeHoursWeeksAhead;
        var ids = new List<long>();
        await using (var command = dataSource.CreateCommand(
            """
            SELECT oh.id FROM office_hours oh JOIN persons p ON p.id = oh.teacher_id
            WHERE oh.active AND p.status = 'active' AND p.role IN ('teacher', 'admin')
            ORDER BY oh.id
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var added = 0;
        var failed = new List<Exception>();
        foreach (var id in ids)
        {
            try
            {
                added += await GenerateAsync(id, zone, weeks, policy, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken template must not keep the others' slots from being made.
                LogTemplateFailed(logger, e, id);
                failed.Add(e);
            }
        }
        LogDone(logger, ids.Count, added);
        if (failed.Count > 0)
        {
            // Visible as a failed job in the dashboard; a retry is harmless, generation is idempotent.
            throw new AggregateException("Office hours could not be turned into slots for some templates", failed);
        }
    }

    private async Task<int> GenerateAsync(long id, TimeZoneInfo zone, int weeks, ConsultationPolicy policy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        OfficeHours? template = null;
        // The template is read again under the teacher's lock: it may have been removed since the list was taken.
        // day_of_week % 7 reads both 0–6 (Sunday first) and ISO 1–7 (Sunday last) as .NET's DayOfWeek.
        await using (var command = new NpgsqlCommand(
            """
            SELECT oh.id, oh.teacher_id, oh.subject_id, sub.name, oh.day_of_week::int % 7, oh.from_time, oh.to_time, oh.slot_minutes::int,
                   oh.link, oh.room
            FROM office_hours oh
            JOIN persons p ON p.id = oh.teacher_id
            LEFT JOIN subjects sub ON sub.id = oh.subject_id
            WHERE oh.id = @id AND oh.active AND p.status = 'active'
            FOR UPDATE OF p
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                template = new OfficeHours
                {
                    Id = reader.GetInt64(0),
                    TeacherId = new PersonId(reader.GetInt64(1)),
                    SubjectId = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    SubjectName = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Day = (DayOfWeek)reader.GetInt32(4),
                    From = reader.GetFieldValue<TimeOnly>(5),
                    To = reader.GetFieldValue<TimeOnly>(6),
                    SlotMinutes = reader.GetInt32(7),
                    Link = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Room = reader.IsDBNull(9) ? null : reader.GetString(9),
                };
            }
        }
        if (template is null)
        {
            return 0;
        }
        var added = await OfficeHoursGenerator.GenerateAsync(new PgConsultationRepository(connection, transaction), template, clock.Now,
            zone, weeks, policy, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Office hours template {Template} could not be turned into slots")]
    private static partial void LogTemplateFailed(ILogger logger, Exception exception, long template);

    [LoggerMessage(Level = LogLevel.Information, Message = "Office hours: {Templates} templates, {Slots} slots added")]
    private static partial void LogDone(ILogger logger, int templates, int slots);
}
