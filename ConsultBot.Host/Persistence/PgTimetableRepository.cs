using ConsultBot.Domain.Timetable;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Lessons, holidays and the timetable import on PostgreSQL, inside the caller's transaction.</summary>
public sealed partial class PgTimetableRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ITimetableRepository
{
    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;
}

/// <summary>Daily-reminder settings on PostgreSQL, inside the caller's transaction.</summary>
public sealed class PgReminderSettingsRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IReminderSettingsRepository
{
    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;
}
