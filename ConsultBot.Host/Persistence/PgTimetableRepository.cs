using ConsultBot.Domain.Timetable;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Lessons, holidays and the timetable import on PostgreSQL, inside the caller's transaction.</summary>
public sealed class PgTimetableRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ITimetableRepository
{
    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;
}

/// <summary>Single-lesson changes on PostgreSQL, inside the caller's transaction.</summary>
public sealed class PgLessonRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ILessonRepository
{
    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;
}
