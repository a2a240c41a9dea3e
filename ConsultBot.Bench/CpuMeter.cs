using System.Diagnostics;
using System.Globalization;
using Npgsql;

/// <summary>
/// CPU time spent by the host process and by the benchmark database's PostgreSQL processes (every process in
/// <c>pg_stat_activity</c>: backends and the server's own workers) over a phase, read from <c>/proc</c>. Per update it
/// says where the time of the inbound path goes, and it holds steadier than a rate when the machine is shared.
/// </summary>
internal sealed class CpuMeter
{
    private readonly Process _host;
    private readonly string _connection;
    private TimeSpan _hostStart;
    private Dictionary<int, long> _pgStart = [];

    public CpuMeter(Process host, string connection)
    {
        _host = host;
        _connection = connection;
    }

    public async Task StartAsync()
    {
        _pgStart = await PostgresTicksAsync();
        _host.Refresh();
        _hostStart = _host.TotalProcessorTime;
    }

    /// <summary>Host and PostgreSQL CPU seconds since <see cref="StartAsync"/> (PostgreSQL: processes present at both ends).</summary>
    public async Task<CpuUse> StopAsync()
    {
        _host.Refresh();
        var host = _host.TotalProcessorTime - _hostStart;
        var end = await PostgresTicksAsync();
        var ticks = end.Where(e => _pgStart.ContainsKey(e.Key)).Sum(e => e.Value - _pgStart[e.Key]);
        return new CpuUse(host.TotalSeconds, ticks / (double)TicksPerSecond);
    }

    /// <summary>USER_HZ: the unit of utime and stime in /proc/PID/stat (100 on Linux).</summary>
    private const int TicksPerSecond = 100;

    private async Task<Dictionary<int, long>> PostgresTicksAsync()
    {
        var pids = new List<int>();
        await using (var db = NpgsqlDataSource.Create(_connection))
        await using (var command = db.CreateCommand("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }
        }
        var ticks = new Dictionary<int, long>();
        foreach (var pid in pids)
        {
            if (ReadTicks(pid) is { } t)
            {
                ticks[pid] = t;
            }
        }
        return ticks;
    }

    private static long? ReadTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // not on this machine (PostgreSQL elsewhere) or gone
        }
    }
}

/// <summary>CPU seconds over a phase; NaN-free even when PostgreSQL runs elsewhere (then its share reads 0).</summary>
internal sealed record CpuUse(double HostSeconds, double PostgresSeconds);
