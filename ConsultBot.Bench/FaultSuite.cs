extern alias host;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConsultBot.Tests.Fakes;
using Npgsql;

/// <summary>
/// The fault-injection suite (<c>scripts/faults.sh [SCENARIO…]</c>): each scenario runs the real host (its own process,
/// the Release build) on a fresh database of the private PostgreSQL against the fake Bot API (and, for <c>vk-down</c>,
/// the fake VK API with the host's VK channel in Callback API mode), injects one fault, prints
/// what it did and counted, and ends with PASS or FAIL and the reason. Durations come from FAULTS_* environment variables.
/// </summary>
internal static class FaultSuite
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The subject of the seeded lessons: a daily reminder is a message that names it.</summary>
    private const string Subject = "Фаултология";

    private static readonly (string Name, Func<Suite, Task<string?>> Run)[] Scenarios =
    [
        ("kill", s => s.KillMidRemindersAsync()),
        ("pg-restart", s => s.PostgresRestartAsync()),
        ("two-hosts", s => s.TwoHostsAsync()),
        ("api-down", s => s.ApiDownAsync()),
        ("vk-down", s => s.VkDownAsync()),
        ("blocked", s => s.BlockedRecipientAsync()),
        ("soak", s => s.SoakAsync()),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var hostDll = Get("host-dll", "ConsultBot.Host/bin/Release/net10.0/ConsultBot.Host.dll");
        var server = Get("server-connection", "");
        var pgCtl = Get("pg-ctl", "");
        var pgStart = Get("pg-start", "start -w");
        var chosen = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);
        var unknown = chosen.Where(c => Scenarios.All(s => s.Name != c)).ToList();
        if (unknown.Count > 0 || server.Length == 0)
        {
            Console.Error.WriteLine($"usage: faults --server-connection CS --pg-ctl CMD [{string.Join('|', Scenarios.Select(s => s.Name))}]…; unknown: {string.Join(", ", unknown)}");
            return 2;
        }
        Directory.CreateDirectory("faults-results");
        await using var log = new StreamWriter(Path.Combine("faults-results", "hosts.log"), append: false) { AutoFlush = true };
        var summary = new List<string>();
        var failed = 0;
        foreach (var (name, run) in Scenarios.Where(s => chosen.Count == 0 || chosen.Contains(s.Name)))
        {
            Console.WriteLine($"== {name} ({DateTime.UtcNow:HH:mm:ss} UTC)");
            var suite = new Suite(name, hostDll, server, pgCtl, pgStart, log);
            var sw = Stopwatch.StartNew();
            string? failure;
            try
            {
                failure = await run(suite);
            }
            catch (Exception e)
            {
                failure = "exception: " + e.Message;
            }
            finally
            {
                await suite.DisposeAsync();
            }
            var line = failure is null ? $"PASS {name} ({sw.Elapsed.TotalSeconds:F0} s)" : $"FAIL {name} ({sw.Elapsed.TotalSeconds:F0} s): {failure}";
            failed += failure is null ? 0 : 1;
            Console.WriteLine(line);
            summary.Add(line);
        }
        Console.WriteLine();
        Console.WriteLine($"Fault-injection suite — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        summary.ForEach(Console.WriteLine);
        await File.WriteAllLinesAsync(Path.Combine("faults-results", "latest.txt"), summary);
        return failed == 0 ? 0 : 1;
    }

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, Inv, out var v) ? v : fallback;

    private static double EnvD(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, Inv, out var v) ? v : fallback;

    private static void Say(string text) => Console.WriteLine("   " + text);

    /// <summary>One scenario's world: a fresh database, the fake Bot API (and the fake VK API when asked), the hosts it started.</summary>
    private sealed class Suite(string name, string hostDll, string server, string pgCtl, string pgStart, TextWriter log) : IAsyncDisposable
    {
        private readonly List<(Process Process, HttpClient Http)> _hosts = [];
        private FakeTelegramApi? _fake;
        private FakeVkApi? _vk;
        private NpgsqlDataSource? _db;
        private long _updateId;
        private readonly double _rate = EnvD("FAULTS_RATE", 30);

        private string Database => "faults_" + name.Replace('-', '_');

        private string Connection => new NpgsqlConnectionStringBuilder(server) { Database = Database, MaxPoolSize = 20 }.ConnectionString;

        private FakeTelegramApi Fake => _fake!;

        private NpgsqlDataSource Db => _db!;

        /// <summary>A fresh database and the fakes; with <paramref name="vk"/> the hosts also get the VK channel.</summary>
        private async Task PrepareAsync(FakeVkApiOptions? vk = null)
        {
            await using (var admin = NpgsqlDataSource.Create(server))
            {
                await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
                await drop.ExecuteNonQueryAsync();
                await using var create = admin.CreateCommand($"CREATE DATABASE {Database}");
                await create.ExecuteNonQueryAsync();
            }
            _db = NpgsqlDataSource.Create(Connection);
            _fake = await FakeTelegramApi.StartAsync(new FakeTelegramApiOptions
            {
                Token = BenchHost.Token,
                RateLimits = new FakeRateLimits(_rate, 1, 3),
            });
            if (vk is not null)
            {
                _vk = await FakeVkApi.StartAsync(vk);
            }
        }

        /// <summary>Starts a host; recurring jobs every minute, the daily reminder due at any hour of the school day.</summary>
        private (Process Process, HttpClient Http) StartHost(IReadOnlyDictionary<string, string>? extra = null)
        {
            var url = $"http://127.0.0.1:{BenchHost.FreePort()}";
            var settings = new Dictionary<string, string>
            {
                ["Timetable__ReminderCron"] = "* * * * *",
                ["Timetable__ReminderTime"] = "00:00",
                ["Scheduling__MaintenanceCron"] = "* * * * *",
            };
            foreach (var (k, v) in extra ?? new Dictionary<string, string>())
            {
                settings[k] = v;
            }
            var process = BenchHost.Start(hostDll, Connection, url, Fake.BaseUrl, _rate, _vk, log, settings);
            var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Add("X-Telegram-Bot-Api-Secret-Token", BenchHost.Secret);
            _hosts.Add((process, http));
            return (process, http);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (process, http) in _hosts)
            {
                http.Dispose();
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
                process.Dispose();
            }
            if (_fake is not null)
            {
                await _fake.DisposeAsync();
            }
            if (_vk is not null)
            {
                await _vk.DisposeAsync();
            }
            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
        }

        private async Task<long> ScalarAsync(string sql)
        {
            await using var command = Db.CreateCommand(sql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), Inv);
        }

        private async Task ExecAsync(string sql, params (string Name, object Value)[] parameters)
        {
            await using var command = Db.CreateCommand(sql);
            foreach (var (n, v) in parameters)
            {
                command.Parameters.AddWithValue(n, v);
            }
            command.CommandTimeout = 300;
            await command.ExecuteNonQueryAsync();
        }

        private static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, int everyMs = 500)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout)
            {
                try
                {
                    if (await condition())
                    {
                        return true;
                    }
                }
                catch (NpgsqlException)
                {
                    // the server is coming back
                }
                await Task.Delay(everyMs);
            }
            return await condition();
        }

        /// <summary>Active students with a Telegram account each (sender = chat = base + n), in groups of 33, one lesson of <see cref="Subject"/> today per group.</summary>
        private async Task SeedStudentsWithLessonsAsync(int count, long chatBase)
        {
            var school = new host::ConsultBot.Host.School.SchoolOptions();
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, school.TimeZoneInfo).DateTime);
            await ExecAsync(
                """
                WITH g AS (
                    INSERT INTO school_groups (name) SELECT 'Поток ' || n FROM generate_series(1, (@count + 32) / 33) n RETURNING id
                ), s AS (
                    INSERT INTO subjects (name) VALUES (@subject) RETURNING id
                ), l AS (
                    INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, room)
                    SELECT g.id, @day, (@day + time '10:00') AT TIME ZONE @zone, (@day + time '10:45') AT TIME ZONE @zone,
                           (@day + time '10:00') AT TIME ZONE @zone, s.id, '101'
                    FROM g CROSS JOIN s
                ), gs AS (SELECT array_agg(id ORDER BY id) AS ids FROM g), p AS (
                    INSERT INTO persons (role, status, full_name, group_id, consented_at)
                    SELECT 'student', 'active', 'Ученик ' || n, gs.ids[1 + n / 33], now() FROM generate_series(0, @count - 1) n CROSS JOIN gs
                    RETURNING id
                )
                INSERT INTO accounts (channel, sender_id, chat_id, person_id)
                SELECT 'telegram', (@base + n - 1)::text, (@base + n - 1)::text, id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM p) numbered
                """,
                ("count", count), ("subject", Subject), ("day", today), ("zone", school.TimeZone), ("base", chatBase));
            await ExecAsync("ANALYZE persons, accounts, lessons");
        }

        /// <summary>Active students with an account each (of <paramref name="channel"/>) and no lessons (recipients of a broadcast).</summary>
        private async Task SeedStudentsAsync(int count, long chatBase, string channel = "telegram")
        {
            await ExecAsync(
                """
                WITH p AS (
                    INSERT INTO persons (role, status, full_name, consented_at)
                    SELECT 'student', 'active', 'Ученик ' || n, now() FROM generate_series(0, @count - 1) n RETURNING id
                )
                INSERT INTO accounts (channel, sender_id, chat_id, person_id)
                SELECT @channel, (@base + n - 1)::text, (@base + n - 1)::text, id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM p) numbered
                """, ("count", count), ("base", chatBase), ("channel", channel));
        }

        /// <summary>One outbox row per seeded chat from <paramref name="from"/> (a broadcast, as an announcement writes it).</summary>
        private Task BroadcastAsync(long chatBase, int from, int count, string text, string channel = "telegram") => ExecAsync(
            """
            INSERT INTO outbox (channel, chat_id, person_id, body)
            SELECT a.channel, a.chat_id, a.person_id, jsonb_build_object('text', @text || ' ' || a.chat_id)
            FROM accounts a WHERE a.channel = @channel AND a.chat_id::bigint BETWEEN @from AND @to ORDER BY a.chat_id::bigint;
            NOTIFY consultbot_outbox
            """, ("text", text), ("from", chatBase + from), ("to", chatBase + from + count - 1), ("channel", channel));

        private int Delivered(Func<FakeSentMessage, bool> which) => Fake.SentMessages.Count(which);

        private static bool IsReminder(FakeSentMessage m) => m.Text.Contains(Subject, StringComparison.Ordinal);

        private async Task<HttpResponseMessage?> PostAsync(HttpClient http, string body)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                return await http.PostAsync("/telegram/webhook", content);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }

        /// <summary>Posts an update until it is answered 2xx, as Telegram does (bounded); returns the tries.</summary>
        private async Task<int> DeliverLikeTelegramAsync(HttpClient http, string body, TimeSpan within)
        {
            var sw = Stopwatch.StartNew();
            for (var tries = 1; ; tries++)
            {
                using var response = await PostAsync(http, body);
                if (response is { IsSuccessStatusCode: true })
                {
                    return tries;
                }
                if (sw.Elapsed > within)
                {
                    throw new InvalidOperationException($"an update was not accepted within {within.TotalSeconds:F0} s");
                }
                await Task.Delay(1000);
            }
        }

        private long NextUpdateId() => Interlocked.Increment(ref _updateId);

        // ---------------------------------------------------------------- scenario 1
        public async Task<string?> KillMidRemindersAsync()
        {
            var students = Env("FAULTS_REMINDER_STUDENTS", 2000);
            var killShare = EnvD("FAULTS_KILL_AT", 0.3);
            var optOuts = Env("FAULTS_OPT_OUTS", 5);
            const long Base = 80_000_000;
            await PrepareAsync();
            var (first, http) = StartHost();
            await BenchHost.WaitReadyAsync(http, first);
            await SeedStudentsWithLessonsAsync(students, Base);
            Say($"seeded {students} students with a lesson today; the host's daily-reminders job runs every minute");
            var planning = Stopwatch.StartNew();
            if (!await UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'") >= students,
                    TimeSpan.FromSeconds(150)))
            {
                return "the host did not plan the reminders within 150 s";
            }
            Say($"the host planned {await ScalarAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'")} reminders ({planning.Elapsed.TotalSeconds:F0} s after seeding)");
            var killAt = (int)(students * killShare);
            if (!await UntilAsync(() => Task.FromResult(Delivered(IsReminder) >= killAt), TimeSpan.FromSeconds(killAt / _rate * 3 + 30), 50))
            {
                return $"fewer than {killAt} reminders delivered before the kill";
            }
            // Students whose reminder is still waiting turn reminders off through the bot (/settings → off), then the host dies.
            var waiting = new List<long>();
            await using (var command = Db.CreateCommand(
                $"SELECT chat_id::bigint FROM outbox WHERE dedupe_key LIKE 'daily:%' AND status = 'pending' ORDER BY id DESC LIMIT {optOuts}"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    waiting.Add(reader.GetInt64(0));
                }
            }
            foreach (var chat in waiting)
            {
                using var response = await PostAsync(http, BenchHost.CallbackUpdate(NextUpdateId(), chat, "st:0:off"));
                if (response is not { IsSuccessStatusCode: true })
                {
                    return $"/settings off for {chat} was not accepted";
                }
            }
            first.Kill(entireProcessTree: false); // SIGKILL
            await first.WaitForExitAsync();
            var deliveredAtKill = Delivered(IsReminder);
            var sendingAtKill = await ScalarAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND status = 'sending'");
            Say($"opted out {waiting.Count} students whose reminder was pending, then SIGKILL: {deliveredAtKill} reminders delivered, {sendingAtKill} rows left 'sending' (leased)");
            var (second, http2) = StartHost();
            await BenchHost.WaitReadyAsync(http2, second);
            var drain = Stopwatch.StartNew();
            var open = "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND status IN ('pending', 'sending')";
            if (!await UntilAsync(async () => await ScalarAsync(open) == 0, TimeSpan.FromSeconds(students / _rate * 2 + 120)))
            {
                return $"{await ScalarAsync(open)} reminders still open after the restart";
            }
            Say($"restarted: the rest drained in {drain.Elapsed.TotalSeconds:F0} s");
            var perChat = Fake.SentMessages.Where(IsReminder).GroupBy(m => long.Parse(m.ChatId, Inv)).ToDictionary(g => g.Key, g => g.Count());
            var optedOut = waiting.ToHashSet();
            var missing = Enumerable.Range(0, students).Select(n => Base + n).Count(c => !optedOut.Contains(c) && !perChat.ContainsKey(c));
            var duplicated = perChat.Count(p => p.Value > 1);
            var worst = perChat.Count == 0 ? 0 : perChat.Values.Max();
            var toOptedOut = waiting.Sum(c => perChat.GetValueOrDefault(c));
            var failedRows = await ScalarAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND status NOT IN ('sent')");
            Say($"counted at the fake: {perChat.Values.Sum()} reminders to {perChat.Count} chats; missing {missing}; chats with a duplicate {duplicated} (most to one chat: {worst}); to the opted-out {toOptedOut}; rows not 'sent' {failedRows}");
            return missing > 0 ? $"{missing} opted-in students got no reminder"
                : worst > 2 ? $"a chat got {worst} reminders (at most one duplicate allowed)"
                : toOptedOut > 0 ? $"{toOptedOut} reminders reached students who had opted out"
                : null;
        }

        // ---------------------------------------------------------------- scenario 2
        public async Task<string?> PostgresRestartAsync()
        {
            var downSeconds = Env("FAULTS_PG_DOWN_SECONDS", 10);
            var updates = Env("FAULTS_PG_UPDATES", 400);
            var perSecond = EnvD("FAULTS_PG_UPDATES_PER_SECOND", 20);
            const long Base = 81_000_000;
            await PrepareAsync();
            var (host, http) = StartHost();
            await BenchHost.WaitReadyAsync(http, host);
            // Readiness sampled every 250 ms for the whole scenario.
            var readiness = new List<(TimeSpan At, int Status)>();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            var poller = Task.Run(async () =>
            {
                using var probe = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
                while (!stop.IsCancellationRequested)
                {
                    int status;
                    try
                    {
                        using var r = await probe.GetAsync("/health/ready");
                        status = (int)r.StatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        status = 0;
                    }
                    lock (readiness)
                    {
                        if (readiness.Count == 0 || readiness[^1].Status != status)
                        {
                            readiness.Add((clock.Elapsed, status));
                        }
                    }
                    await Task.Delay(250);
                }
            });
            // Updates from distinct users at a steady rate, each retried until accepted (Telegram's behaviour).
            var retried = 0;
            var senders = new List<Task>();
            var traffic = Task.Run(async () =>
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < updates; i++)
                {
                    var due = TimeSpan.FromSeconds(i / perSecond) - sw.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due);
                    }
                    var body = BenchHost.TextUpdate(NextUpdateId(), Base + i, "/help");
                    senders.Add(Task.Run(async () =>
                    {
                        if (await DeliverLikeTelegramAsync(http, body, TimeSpan.FromSeconds(downSeconds + 90)) > 1)
                        {
                            Interlocked.Increment(ref retried);
                        }
                    }));
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(updates / perSecond / 3));
            var jobsBefore = await ScalarAsync("SELECT count(*) FROM hangfire.job");
            var stopAt = clock.Elapsed;
            Pg("stop -m fast -w");
            await Task.Delay(TimeSpan.FromSeconds(downSeconds));
            Pg(pgStart);
            Db.Clear(); // this process's pooled connections died with the server
            var startedAt = clock.Elapsed;
            Say($"PostgreSQL stopped (-m fast) at {stopAt.TotalSeconds:F1} s, started again at {startedAt.TotalSeconds:F1} s; {jobsBefore} Hangfire jobs before");
            await traffic;
            await Task.WhenAll(senders);
            if (host.HasExited)
            {
                return "the host process exited";
            }
            // Recurring jobs run every minute: one must be created and succeed after the outage; nothing stays enqueued.
            var ran = await UntilAsync(async () => await ScalarAsync(
                $"SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded' AND createdat > now() - interval '{(int)(clock.Elapsed - startedAt).TotalSeconds + 1} seconds'") > 0,
                TimeSpan.FromSeconds(90), 1000);
            var open = await UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM hangfire.job WHERE statename NOT IN ('Succeeded', 'Deleted')") == 0,
                TimeSpan.FromSeconds(60), 1000);
            stop.Cancel();
            await poller;
            var states = new StringBuilder();
            await using (var command = Db.CreateCommand("SELECT s || ' ' || n FROM (SELECT coalesce(statename, '?') AS s, count(*) AS n FROM hangfire.job GROUP BY 1) c ORDER BY 1"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    states.Append(reader.GetString(0)).Append("; ");
                }
            }
            var processed = await ScalarAsync($"SELECT count(*) FROM processed_updates WHERE channel = 'telegram'");
            var rowsPerChat = await ScalarAsync($"SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM outbox WHERE chat_id::bigint >= {Base} GROUP BY chat_id) c");
            var chats = await ScalarAsync($"SELECT count(DISTINCT chat_id) FROM outbox WHERE chat_id::bigint >= {Base}");
            var timeline = string.Join(", ", readiness.Select(r => $"{r.At.TotalSeconds:F1} s → {r.Status}"));
            Say($"/health/ready: {timeline}");
            Say($"{updates} updates at {perSecond}/s; {retried} needed a retry; processed_updates {processed}; chats with replies {chats}, most reply rows to one chat {rowsPerChat}");
            Say($"Hangfire jobs by state: {states}");
            var sawOutage = readiness.Any(r => r.Status != 200 && r.At >= stopAt);
            var recovered = readiness.Count > 0 && readiness[^1].Status == 200;
            return !sawOutage ? "/health/ready never reported the outage"
                : !recovered ? "/health/ready did not report the recovery"
                : retried == 0 ? "no update was refused during the outage (nothing was retried)"
                : processed != updates ? $"{processed} updates processed, {updates} sent"
                : chats != updates || rowsPerChat != 1 ? $"replies: {chats} chats, up to {rowsPerChat} rows to one (expected {updates} chats, one reply each)"
                : !ran ? "no recurring job succeeded after the outage"
                : !open ? "Hangfire jobs left unfinished after the outage"
                : null;
        }

        private void Pg(string action)
        {
            var start = new ProcessStartInfo("bash", ["-c", $"cd / && {pgCtl} {action} >/dev/null"]);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pg_ctl {action} failed ({process.ExitCode})");
            }
        }

        // ---------------------------------------------------------------- scenario 3
        public async Task<string?> TwoHostsAsync()
        {
            var students = Env("FAULTS_TWO_HOSTS_STUDENTS", 600);
            var users = Env("FAULTS_TWO_HOSTS_UPDATES", 300);
            const long Base = 82_000_000;
            const long UserBase = 83_000_000;
            await PrepareAsync();
            // Both on the empty database at the same moment: each runs the migrations, under the migrator's lock.
            var a = StartHost();
            var b = StartHost();
            await Task.WhenAll(BenchHost.WaitReadyAsync(a.Http, a.Process), BenchHost.WaitReadyAsync(b.Http, b.Process));
            var applied = await ScalarAsync("SELECT count(*) FROM schema_migrations");
            var distinct = await ScalarAsync("SELECT count(DISTINCT version) FROM schema_migrations");
            var files = typeof(host::ConsultBot.Host.Persistence.Migrator).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));
            Say($"two hosts started at once on an empty database: both ready; schema_migrations {applied} rows ({distinct} distinct) for {files} migration files");
            await SeedStudentsWithLessonsAsync(students, Base);
            // Updates split between the two, alternately.
            var hosts = new[] { a.Http, b.Http };
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
            {
                for (var i = w; i < users; i += 8)
                {
                    await DeliverLikeTelegramAsync(hosts[i % 2], BenchHost.TextUpdate(NextUpdateId(), UserBase + i, "/start"), TimeSpan.FromSeconds(30));
                }
            }));
            Say($"seeded {students} students with a lesson today; {users} /start updates posted, alternately to each host");
            var open = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')";
            var planned = "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'";
            var total = students + users;
            if (!await UntilAsync(async () => await ScalarAsync(planned) >= students && await ScalarAsync(open) == 0,
                    TimeSpan.FromSeconds(90 + total / _rate * 2)))
            {
                return $"not drained: {await ScalarAsync(planned)} reminders planned, {await ScalarAsync(open)} rows open";
            }
            await Task.Delay(2000);
            var rows = new Dictionary<string, long>();
            await using (var command = Db.CreateCommand("SELECT chat_id, count(*) FROM outbox WHERE status = 'sent' GROUP BY chat_id"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows[reader.GetString(0)] = reader.GetInt64(1);
                }
            }
            var sends = Fake.SentMessages.GroupBy(m => m.ChatId).ToDictionary(g => g.Key, g => (long)g.Count());
            var mismatched = rows.Count(r => sends.GetValueOrDefault(r.Key) != r.Value) + sends.Keys.Count(k => !rows.ContainsKey(k));
            var reminders = Fake.SentMessages.Where(IsReminder).GroupBy(m => m.ChatId).ToDictionary(g => g.Key, g => g.Count());
            var plannedRows = await ScalarAsync(planned);
            var bothSent = Fake.SentMessages.Count;
            var notSent = await ScalarAsync("SELECT count(*) FROM outbox WHERE status <> 'sent'");
            var runs = await ScalarAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%DailyRemindersJob%'");
            Say($"{rows.Values.Sum()} rows sent, {bothSent} messages at the fake; chats whose sends differ from their rows {mismatched}; rows not sent {notSent}");
            Say($"daily reminders: {plannedRows} rows for {students} students ({runs} job runs over both hosts); at the fake {reminders.Values.Sum()} to {reminders.Count} chats, most to one {(reminders.Count == 0 ? 0 : reminders.Values.Max())}");
            return applied != files || distinct != files ? $"schema_migrations has {applied} rows ({distinct} distinct) for {files} migrations"
                : mismatched > 0 ? $"{mismatched} chats got a different number of messages than their sent rows"
                : notSent > 0 ? $"{notSent} rows not sent"
                : plannedRows != students || reminders.Count != students || reminders.Values.Max() != 1
                    ? $"reminders: {plannedRows} planned, {reminders.Values.Sum()} sent to {reminders.Count} chats for {students} students"
                : null;
        }

        // ---------------------------------------------------------------- scenario 4
        public async Task<string?> ApiDownAsync()
        {
            var downSeconds = Env("FAULTS_API_DOWN_SECONDS", 60);
            var backlog = Env("FAULTS_API_BACKLOG", 900);
            const long Base = 84_000_000;
            await PrepareAsync();
            var (host, http) = StartHost();
            await BenchHost.WaitReadyAsync(http, host);
            await SeedStudentsAsync(backlog, Base);
            Fake.FailAlways("sendMessage", FakeFault.ServerError(502));
            var down = Stopwatch.StartNew();
            // The backlog builds during the outage: a third at its start, the rest in steps while the API stays down.
            await BroadcastAsync(Base, 0, backlog / 3, "Объявление");
            var steps = 4;
            for (var s = 1; s <= steps; s++)
            {
                await Task.Delay(TimeSpan.FromSeconds(downSeconds / (steps + 1.0)));
                var from = backlog / 3 + (backlog - backlog / 3) * (s - 1) / steps;
                var to = backlog / 3 + (backlog - backlog / 3) * s / steps;
                await BroadcastAsync(Base, from, to - from, "Объявление");
                Say($"{down.Elapsed.TotalSeconds:F0} s down: {await ScalarAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")} rows waiting, {Fake.FaultCount("sendMessage")} requests refused so far, {await ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'failed'")} failed");
            }
            var left = TimeSpan.FromSeconds(downSeconds) - down.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
            var refused = Fake.FaultCount("sendMessage");
            var maxAttempts = await ScalarAsync("SELECT coalesce(max(attempts), 0) FROM outbox");
            var failedDuring = await ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'failed'");
            Fake.ClearFaults();
            var back = DateTimeOffset.UtcNow;
            Say($"API down {down.Elapsed.TotalSeconds:F0} s with {backlog} rows written: {refused} requests answered 502; most attempts of a row {maxAttempts}; failed rows {failedDuring}; the API is back");
            var open = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')";
            await UntilAsync(async () => await ScalarAsync(open) == 0, TimeSpan.FromSeconds(backlog / _rate * 2 + 300), 250);
            var sent = Fake.SentMessages.Where(m => m.At >= back).OrderBy(m => m.At).ToList();
            var rate = sent.Count > 1 ? (sent.Count - 1) / (sent[^1].At - sent[0].At).TotalSeconds : double.NaN;
            var failed = await ScalarAsync("SELECT count(*) FROM outbox WHERE status <> 'sent'");
            var chats = Fake.SentMessages.Select(m => m.ChatId).Distinct().Count();
            Say($"drained {sent.Count} messages to {chats} chats in {(sent.Count > 0 ? (sent[^1].At - back).TotalSeconds : 0):F0} s after the API came back (first after {(sent.Count > 0 ? (sent[0].At - back).TotalSeconds : 0):F1} s); {rate:F1} delivered/s = {100 * rate / _rate:F0} % of Telegram__MessagesPerSecond={_rate}; 429s {Fake.TooManyRequestsCount}; rows not sent {failed}");
            return failed > 0 ? $"{failed} rows not sent (failed or still open)"
                : chats != backlog ? $"{chats} of {backlog} chats got their message"
                : Fake.TooManyRequestsCount > 0 ? $"{Fake.TooManyRequestsCount} 429s"
                : rate < 0.7 * _rate ? $"drain rate {rate:F1}/s is below 70 % of the configured {_rate}/s"
                : null;
        }

        // ---------------------------------------------------------------- scenario 4, the VK channel
        /// <summary>
        /// The VK API down while a backlog builds, then back. The outage goes through what VK (or the network before
        /// it) does when it fails, in equal parts one after the other: connections dropped without an answer, HTTP 500,
        /// answers that come only after the host gave up waiting (VK took the message), error 10 and error 1. Meanwhile
        /// a broadcast to VK students is written in parts and new VK users write to the community through the
        /// Callback API, each to be answered. Every call of the outage counts for nothing at the fake's rate limit.
        /// </summary>
        public async Task<string?> VkDownAsync()
        {
            var downSeconds = Env("FAULTS_VK_DOWN_SECONDS", 75);
            var backlog = Env("FAULTS_VK_BACKLOG", 600);
            var writers = Env("FAULTS_VK_USERS", 200);
            var requestTimeout = Env("Vk__RequestTimeoutSeconds", 15);
            var vkRate = BenchHost.VkRate;
            const long Base = 87_000_000;
            const long WriterBase = 88_000_000;
            var late = TimeSpan.FromSeconds(requestTimeout + 5);
            await PrepareAsync(new FakeVkApiOptions { RequestsPerSecond = vkRate, TimeoutDelay = late });
            var vk = _vk!;
            var (host, http) = StartHost();
            await BenchHost.WaitReadyAsync(http, host);
            if (!await UntilAsync(() => Task.FromResult(vk.Calls("users.get") > 0), TimeSpan.FromSeconds(30)))
            {
                return "the host never checked its VK token (users.get)";
            }
            await SeedStudentsAsync(backlog, Base, "vk");
            (string Name, FakeVkFault Fault, int Code)[] phases =
            [
                ("connections dropped", FakeVkFault.Unreachable, 0),
                ("HTTP 500", FakeVkFault.ServerError, 0),
                ($"answers after {late.TotalSeconds:F0} s, the host gives up at {requestTimeout} s", FakeVkFault.Timeout, 0),
                ("error 10 (internal server error)", FakeVkFault.Error, 10),
                ("error 1 (unknown error, try later)", FakeVkFault.Error, 1),
            ];
            var open = "SELECT count(*) FROM outbox WHERE channel = 'vk' AND status IN ('pending', 'sending')";
            var failedSql = "SELECT count(*) FROM outbox WHERE channel = 'vk' AND status = 'failed'";
            var down = Stopwatch.StartNew();
            var refusedBefore = 0;
            for (var p = 0; p < phases.Length; p++)
            {
                vk.FailAlways(phases[p].Fault, phases[p].Code);
                // Each part of the outage adds its share of the broadcast and of the users writing in.
                var from = backlog * p / phases.Length;
                await BroadcastAsync(Base, from, backlog * (p + 1) / phases.Length - from, "Объявление", "vk");
                var firstWriter = writers * p / phases.Length;
                var lastWriter = writers * (p + 1) / phases.Length;
                await Task.WhenAll(Enumerable.Range(0, 4).Select(async w =>
                {
                    for (var i = firstWriter + w; i < lastWriter; i += 4)
                    {
                        await DeliverLikeVkAsync(http, vk, VkUpdates.Text(WriterBase + i, "/start"), TimeSpan.FromSeconds(30));
                    }
                }));
                var end = TimeSpan.FromSeconds(downSeconds * (p + 1.0) / phases.Length);
                if (end > down.Elapsed)
                {
                    await Task.Delay(end - down.Elapsed);
                }
                var refused = vk.FaultCount("messages.send");
                Say($"{down.Elapsed.TotalSeconds:F0} s down, {phases[p].Name}: {refused - refusedBefore} messages.send refused; {await ScalarAsync(open)} rows waiting, {await ScalarAsync(failedSql)} failed; {vk.Sent.Count} taken by VK so far");
                refusedBefore = refused;
            }
            var refusedAll = vk.FaultCount("messages.send");
            var maxAttempts = await ScalarAsync("SELECT coalesce(max(attempts), 0) FROM outbox WHERE channel = 'vk'");
            var failedDuring = await ScalarAsync(failedSql);
            var takenDuring = vk.Sent.Count;
            vk.ClearFaults();
            var back = DateTimeOffset.UtcNow;
            var expected = backlog + writers;
            Say($"VK API down {down.Elapsed.TotalSeconds:F0} s; {backlog} broadcast rows written and {writers} users wrote in meanwhile: {refusedAll} messages.send refused; {takenDuring} messages taken during it (late answers); most attempts of a row {maxAttempts}; failed rows {failedDuring}; the API is back");
            await UntilAsync(async () => await ScalarAsync(open) == 0, TimeSpan.FromSeconds(expected / (double)vkRate * 2 + 300), 250);
            await Task.Delay(2000);
            var sentAll = vk.Sent;
            var drained = sentAll.Where(m => m.At >= back).OrderBy(m => m.At).ToList();
            var rate = drained.Count > 1 ? (drained.Count - 1) / (drained[^1].At - drained[0].At).TotalSeconds : double.NaN;
            // What VK's one-second window saw from the host once it was back: every call, refused ones included.
            var arrivals = vk.Arrivals.Where(a => a.At >= back).Select(a => a.At).Order().ToList();
            var peak = 0;
            for (int i = 0, j = 0; j < arrivals.Count; j++)
            {
                while (arrivals[j] - arrivals[i] >= TimeSpan.FromSeconds(1))
                {
                    i++;
                }
                peak = Math.Max(peak, j - i + 1);
            }
            var perPeer = sentAll.GroupBy(m => m.PeerId).ToDictionary(g => g.Key, g => g.Count());
            var broadcastTexts = sentAll.Where(m => m.Text.StartsWith("Объявление ", StringComparison.Ordinal))
                .GroupBy(m => m.PeerId).ToDictionary(g => g.Key, g => g.Count());
            var recipients = Enumerable.Range(0, backlog).Select(n => Base + n)
                .Concat(Enumerable.Range(0, writers).Select(n => WriterBase + n)).ToList();
            var missing = recipients.Count(r => perPeer.GetValueOrDefault(r) == 0);
            var twice = recipients.Count(r => perPeer.GetValueOrDefault(r) > 1);
            var wrongBroadcast = Enumerable.Range(0, backlog).Count(n => broadcastTexts.GetValueOrDefault(Base + n) != 1);
            var strangers = perPeer.Keys.Count(k => k is not (>= Base and < Base + 1_000_000) and not (>= WriterBase and < WriterBase + 1_000_000));
            var notSent = await ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'vk' AND status <> 'sent'");
            var failedRows = await ScalarAsync(failedSql);
            var rows = await ScalarAsync("SELECT count(*) FROM outbox WHERE channel = 'vk'");
            var drainSeconds = drained.Count > 0 ? (drained[^1].At - back).TotalSeconds : 0;
            // Each waiting row is due again at most Outbox__RetryMaxDelayMs after its last try (ADR 007): after a long
            // outage the rows' tries are spread over that much time, and a backlog smaller than that many seconds at
            // the configured rate drains as its rows come due. Otherwise it must go at 70 % of the rate at least.
            var retryMaxSeconds = Env("Outbox__RetryMaxDelayMs", 60_000) / 1000.0;
            var drainBound = Math.Max(drained.Count / (0.7 * vkRate), retryMaxSeconds + 10);
            Say($"drained {drained.Count} messages in {drainSeconds:F0} s after the API came back (first after {(drained.Count > 0 ? (drained[0].At - back).TotalSeconds : 0):F1} s; bound {drainBound:F0} s, the longer of {drained.Count} at 70 % of the rate and Outbox__RetryMaxDelayMs + 10 s); {rate:F1} delivered/s = {100 * rate / vkRate:F0} % of Vk__RequestsPerSecond={vkRate}; most calls in any 1 s at the fake {peak}; error 6 (the fake's rate limit) {vk.TooManyRequests}");
            Say($"counted per peer at the fake: {sentAll.Count} messages to {perPeer.Count} peers for {rows} rows ({expected} expected: one each); missing {missing}; more than one {twice}; broadcast not exactly once {wrongBroadcast}; repeats VK dropped by random_id {vk.DuplicatesDropped}; rows not sent {notSent} (failed {failedRows})");
            return failedRows > 0 ? $"{failedRows} rows failed"
                : notSent > 0 ? $"{notSent} rows not sent (still open or undeliverable)"
                : rows != expected ? $"{rows} outbox rows for {expected} messages"
                : missing > 0 || twice > 0 || wrongBroadcast > 0 || strangers > 0
                    ? $"per peer: {missing} got nothing, {twice} more than one message, {wrongBroadcast} not the broadcast once, {strangers} peers not ours"
                : vk.TooManyRequests > 0 ? $"{vk.TooManyRequests} × error 6 (too many requests)"
                : peak > vkRate ? $"{peak} calls in one second, above the {vkRate}/s limit"
                : drainSeconds > drainBound ? $"drained in {drainSeconds:F0} s, more than {drainBound:F0} s ({rate:F1}/s of the configured {vkRate}/s)"
                : null;
        }

        /// <summary>Posts a VK event to /vk/callback until it is answered "ok", as VK does (with X-Retry-Counter, bounded).</summary>
        private static async Task DeliverLikeVkAsync(HttpClient http, FakeVkApi vk, System.Text.Json.Nodes.JsonObject update, TimeSpan within)
        {
            vk.Stamp(update);
            update["secret"] = BenchHost.VkSecret;
            var body = update.ToJsonString();
            var sw = Stopwatch.StartNew();
            for (var tries = 1; ; tries++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/vk/callback") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                if (tries > 1)
                {
                    request.Headers.Add("X-Retry-Counter", (tries - 1).ToString(Inv));
                }
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync() == "ok")
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // not answered: VK sends it again
                }
                if (sw.Elapsed > within)
                {
                    throw new InvalidOperationException($"a VK event was not answered \"ok\" within {within.TotalSeconds:F0} s");
                }
                await Task.Delay(1000);
            }
        }

        // ---------------------------------------------------------------- scenario 5
        public async Task<string?> BlockedRecipientAsync()
        {
            var recipients = Env("FAULTS_BROADCAST", 300);
            const long Base = 85_000_000;
            await PrepareAsync();
            var (host, http) = StartHost();
            await BenchHost.WaitReadyAsync(http, host);
            await SeedStudentsAsync(recipients, Base);
            var blocked = Base + recipients / 2;
            Fake.FailNextForChat(blocked, FakeFault.BlockedByUser(), count: 1000);
            await BroadcastAsync(Base, 0, recipients, "Объявление");
            await BroadcastAsync(Base, recipients / 2, 1, "Второе объявление"); // a later message to the blocked chat
            var open = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')";
            await UntilAsync(async () => await ScalarAsync(open) == 0, TimeSpan.FromSeconds(recipients / _rate * 2 + 60), 250);
            await Task.Delay(2000);
            var blockedRows = await ScalarAsync($"SELECT count(*) FROM outbox WHERE chat_id = '{blocked}' AND status = 'undeliverable'");
            var reachable = await ScalarAsync($"SELECT count(*) FROM accounts WHERE chat_id = '{blocked}' AND reachable");
            var tries = Fake.FaultCount("sendMessage");
            var others = Fake.SentMessages.Where(m => m.ChatId != blocked.ToString(Inv)).GroupBy(m => m.ChatId).ToList();
            var sentRows = await ScalarAsync("SELECT count(*) FROM outbox WHERE status = 'sent'");
            Say($"broadcast to {recipients} chats, chat {blocked} answers 403 (blocked the bot): its 2 rows undeliverable {blockedRows}, account reachable {reachable}, requests to it {tries}");
            Say($"the rest: {others.Count} chats got {others.Sum(g => g.Count())} messages; rows sent {sentRows}");
            return blockedRows != 2 ? $"{blockedRows} of the blocked chat's 2 rows undeliverable"
                : reachable != 0 ? "the blocked account is still reachable"
                : tries != 1 ? $"{tries} requests to the blocked chat (one expected, no retries)"
                : others.Count != recipients - 1 || others.Any(g => g.Count() != 1) || sentRows != recipients - 1
                    ? $"the rest: {others.Count} chats, {sentRows} rows sent (expected {recipients - 1}, one each)"
                : null;
        }

        // ---------------------------------------------------------------- scenario 6
        public async Task<string?> SoakAsync()
        {
            var warmup = Env("FAULTS_SOAK_WARMUP_SECONDS", 60);
            var seconds = warmup + Env("FAULTS_SOAK_SECONDS", 120);
            var perSecond = EnvD("FAULTS_SOAK_UPDATES_PER_SECOND", 20);
            var every = Env("FAULTS_SOAK_SAMPLE_SECONDS", 5);
            var rssBound = EnvD("FAULTS_SOAK_RSS_BOUND", 1.10);
            const long Base = 86_000_000;
            const int Users = 2000;
            await PrepareAsync();
            var (host, http) = StartHost();
            await BenchHost.WaitReadyAsync(http, host);
            var samples = new List<(double At, double Rss, long Backlog)>();
            var sw = Stopwatch.StartNew();
            var sent = 0;
            var refused = 0;
            var inflight = new List<Task>();
            var nextSample = TimeSpan.Zero;
            for (var i = 0; sw.Elapsed < TimeSpan.FromSeconds(seconds); i++)
            {
                if (sw.Elapsed >= nextSample)
                {
                    samples.Add((sw.Elapsed.TotalSeconds, BenchHost.RssMb(host.Id),
                        await ScalarAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")));
                    nextSample += TimeSpan.FromSeconds(every);
                }
                var due = TimeSpan.FromSeconds(i / perSecond) - sw.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
                // Users take turns: each one's text gets a reply, one every Users / rate seconds per user.
                var body = BenchHost.TextUpdate(NextUpdateId(), Base + i % Users, i % 2 == 0 ? "/help" : "/start");
                inflight.Add(Task.Run(async () =>
                {
                    using var r = await PostAsync(http, body);
                    Interlocked.Increment(ref r is { IsSuccessStatusCode: true } ? ref sent : ref refused);
                }));
                inflight.RemoveAll(t => t.IsCompleted);
            }
            await Task.WhenAll(inflight);
            // The warm-up (tiered JIT, pools, the GC settling on its heap size) is printed but not compared.
            var steady = samples.Where(x => x.At >= warmup).ToList();
            var third = Math.Max(1, steady.Count / 3);
            var head = steady.Take(third).ToList();
            var tail = steady.Skip(steady.Count - third).ToList();
            Say($"{sent} updates accepted ({refused} refused) over {sw.Elapsed.TotalSeconds:F0} s at {perSecond}/s (the first {warmup} s a warm-up); dispatcher at {_rate}/s");
            Say("t (s) | RSS (MB) | outbox backlog: " + string.Join("; ", samples.Select(s => $"{s.At:F0} | {s.Rss:F0} | {s.Backlog}")));
            var rssHead = head.Average(s => s.Rss);
            var rssTail = tail.Average(s => s.Rss);
            var backlogHead = head.Average(s => s.Backlog);
            var backlogTail = tail.Average(s => s.Backlog);
            var backlogLimit = Math.Max(backlogHead * 1.5, perSecond * every);
            Say($"after the warm-up, first third / last third means: RSS {rssHead:F0} / {rssTail:F0} MB (bound x{rssBound}); backlog {backlogHead:F0} / {backlogTail:F0} rows (bound {backlogLimit:F0})");
            return refused > 0 ? $"{refused} updates refused"
                : rssTail > rssHead * rssBound ? $"RSS grew from {rssHead:F0} to {rssTail:F0} MB"
                : backlogTail > backlogLimit ? $"the backlog grew from {backlogHead:F0} to {backlogTail:F0} rows"
                : null;
        }
    }
}
