using ConsultBot.Domain.Timetable;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Lessons, holidays and the timetable import on PostgreSQL, inside the caller's transaction.</summary>
public sealed partial class PgTimetableRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ITimetableRepository
{
    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;
}
