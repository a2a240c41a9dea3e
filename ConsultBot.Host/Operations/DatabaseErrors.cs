using System.Net.Sockets;
using Npgsql;

namespace ConsultBot.Host.Operations;

/// <summary>PostgreSQL refusing or losing connections: worth a retry later, never a 500 or a crash.</summary>
public static class DatabaseErrors
{
    public static bool IsUnavailable(Exception e) => e switch
    {
        // 53300 too_many_connections (max_connections or a role's or database's CONNECTION LIMIT), 53xxx out of
        // resources, 57P01-57P03 the server shutting down or starting, 08xxx connection failures.
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException or SocketException => true,
        _ => false,
    };
}
