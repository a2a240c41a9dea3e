using ConsultBot.Domain.Materials;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Materials on PostgreSQL, inside the caller's transaction.</summary>
public sealed class PgMaterialRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IMaterialRepository
{
    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;
}
