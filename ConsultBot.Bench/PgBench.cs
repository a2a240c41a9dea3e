using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

/// <summary>
/// The bare PostgreSQL ceiling of the inbound path: pgbench runs the transaction <c>UpdatePipeline</c> commits for an
/// update, in the same two round trips, against the benchmark's database with the benchmark's concurrency. Round trip 1:
/// BEGIN, the chat's advisory lock, the dedupe mark, the sender's person and account read FOR UPDATE. Round trip 2: one
/// outbox row (the unnest INSERT of <c>OutboxWriter</c>) and COMMIT (the messages counted for the report are written
/// apart, in one upsert every few seconds, and are left out here as they are left out of the update's transaction). Senders are the
/// measured registration users, chosen at random. pgbench needs the simple protocol to send several statements in one
/// round trip (Npgsql sends its batches over the extended protocol, unprepared, also one round trip each).
/// </summary>
internal static partial class PgBench
{
    /// <summary>The text of the outbox rows pgbench writes; they are deleted afterwards so the host never sends them.</summary>
    private const string Marker = "pgbench: the ceiling of the inbound transaction";

    /// <summary>The pgbench executable next to the PostgreSQL server the benchmark uses, or null.</summary>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).Where(File.Exists).Order().LastOrDefault()
            : null;
    }

    public static async Task<PgBenchRun> RunAsync(string pgbench, string connection, int clients, int seconds, long senderBase, int senders,
        CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection);
        var work = Directory.CreateTempSubdirectory("consultbot-pgbench-");
        try
        {
            var script = Path.Combine(work.FullName, "inbound.sql");
            await File.WriteAllTextAsync(script, Script(senderBase, senders), cancellationToken);
            var start = new ProcessStartInfo(pgbench)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
                     {
                         "-h", builder.Host ?? "127.0.0.1", "-p", builder.Port.ToString(CultureInfo.InvariantCulture),
                         "-U", builder.Username ?? "postgres", "-n", "-M", "simple",
                         "-c", clients.ToString(CultureInfo.InvariantCulture),
                         "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                         "-T", seconds.ToString(CultureInfo.InvariantCulture),
                         "-f", script, "-l", "--log-prefix=" + Path.Combine(work.FullName, "tx"),
                         builder.Database ?? "postgres",
                     })
            {
                start.ArgumentList.Add(argument);
            }
            if (!string.IsNullOrEmpty(builder.Password))
            {
                start.Environment["PGPASSWORD"] = builder.Password;
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var output = await stdout + "\n" + await stderr;
            var tps = Match(TpsPattern(), output);
            if (process.ExitCode != 0 || tps is null)
            {
                return PgBenchRun.Failed($"pgbench exited with {process.ExitCode}: {output.Trim().Split('\n').LastOrDefault()}");
            }
            // Per-transaction log lines: client, transaction, latency in µs, script, epoch s, µs.
            var latencies = new List<double>();
            foreach (var log in work.GetFiles("tx*"))
            {
                foreach (var line in File.ReadLines(log.FullName))
                {
                    var fields = line.Split(' ');
                    if (fields.Length > 2 && long.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
                    {
                        latencies.Add(micros / 1000.0);
                    }
                }
            }
            latencies.Sort();
            await DeleteMarkedRowsAsync(connection, cancellationToken);
            return new PgBenchRun(null, clients, seconds, tps.Value,
                (long)(Match(ProcessedPattern(), output) ?? latencies.Count), (long)(Match(FailedPattern(), output) ?? 0),
                Match(LatencyPattern(), output) ?? double.NaN, At(latencies, 0.50), At(latencies, 0.95), At(latencies, 0.99));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The statements of <c>UpdatePipeline.BeginAsync</c> and of its commit batch, with an update's typical reply. The
    /// update id is random over 2^62 (a collision would make pgbench's transaction a "duplicate", as in the pipeline).
    /// </summary>
    private static string Script(long senderBase, int senders) =>
        $$"""
        \set sender {{senderBase.ToString(CultureInfo.InvariantCulture)}} + random(0, {{(senders - 1).ToString(CultureInfo.InvariantCulture)}})
        \set upd random(1, 4611686018427387904)
        BEGIN \; SELECT pg_advisory_xact_lock(hashtextextended('telegram:' || :sender, 0)) \; INSERT INTO processed_updates (channel, update_id) VALUES ('telegram', 'pgbench-' || :upd) ON CONFLICT DO NOTHING \; SELECT p.id, p.role, p.status, p.full_name, p.group_id, p.language, p.under14, p.confirmed_by_parent, p.consented_at, p.dialog::text FROM accounts a JOIN persons p ON p.id = a.person_id WHERE a.channel = 'telegram' AND a.sender_id = :sender::text AND p.status <> 'forgotten' FOR UPDATE OF p
        \gset p_
        INSERT INTO outbox (channel, chat_id, person_id, body) SELECT * FROM unnest(ARRAY['telegram'], ARRAY[:sender::text], ARRAY[:p_id::bigint], ARRAY['{"text":"{{Marker}}","keyboard":null}']::jsonb[]) \; COMMIT

        """;

    private static async Task DeleteMarkedRowsAsync(string connection, CancellationToken cancellationToken)
    {
        await using var db = NpgsqlDataSource.Create(connection);
        await using var command = db.CreateCommand("DELETE FROM outbox WHERE status = 'pending' AND body->>'text' = @marker");
        command.Parameters.AddWithValue("marker", Marker);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static double? Match(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static double At(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex ProcessedPattern();

    [GeneratedRegex(@"number of failed transactions: ([0-9]+)")]
    private static partial Regex FailedPattern();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyPattern();
}

/// <summary>A pgbench run: <see cref="Problem"/> is set (and the figures are NaN) when it could not run.</summary>
internal sealed record PgBenchRun(string? Problem, int Clients, int Seconds, double Tps, long Transactions, long FailedTransactions,
    double LatencyAverage, double P50, double P95, double P99)
{
    public static PgBenchRun Failed(string problem) => new(problem, 0, 0, double.NaN, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN);
}
