extern alias host;

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ConsultBot.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using DailyRemindersJob = host::ConsultBot.Host.Timetable.DailyRemindersJob;
using OutboxSignal = host::ConsultBot.Host.Outbox.OutboxSignal;
using SchoolClock = host::ConsultBot.Host.School.SchoolClock;
using SchoolOptions = host::ConsultBot.Host.School.SchoolOptions;
using TimetableOptions = host::ConsultBot.Host.Timetable.TimetableOptions;

// ConsultBot webhook benchmark. Usage (scripts/bench.sh does the set-up):
//   ConsultBot.Bench --host-dll PATH --connection CS [--users 3000] [--concurrency 64] [--rate 30] [--dispatch-seconds 20]
//     [--bookings 5000] [--booking-warmup 1000] [--booking-teachers 4] [--last-seat 200]
//     [--reminder-students 100000] [--reminder-parents 50000] [--group-size 33]
//   ConsultBot.Bench faults --server-connection CS --pg-ctl CMD --pg-start ARGS [SCENARIO…]   (scripts/faults.sh: the fault-injection suite)
if (args is ["faults", ..])
{
    return await FaultSuite.RunAsync(args[1..]);
}
var options = BenchOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;
var startedAt = DateTime.UtcNow;
var loadBefore = LoadAverage();
const string Token = BenchHost.Token;
const string Secret = BenchHost.Secret;
// The Russian "done" a successful booking answers the button press with (the students' language is ru).
const string DoneText = "Готово";
const string VkSecret = BenchHost.VkSecret;
const int VkRate = BenchHost.VkRate;

await using var fake = await FakeTelegramApi.StartAsync(new FakeTelegramApiOptions
{
    Token = Token,
    RateLimits = new FakeRateLimits(options.Rate, 1, 3),
});
// The VK channel runs in the same host, Callback API mode, against a fake enforcing VK's 20 requests/s.
await using var vkFake = await FakeVkApi.StartAsync(new FakeVkApiOptions { RequestsPerSecond = VkRate });
var port = BenchHost.FreePort();
var hostUrl = $"http://127.0.0.1:{port}";
using var host = BenchHost.Start(options.HostDll, options.Connection, hostUrl, fake.BaseUrl, options.Rate, vkFake, Console.Error);
try
{
    using var http = new HttpClient { BaseAddress = new Uri(hostUrl), Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
    await BenchHost.WaitReadyAsync(http, host);
    var groupId = await SeedAsync(options.Connection);

    var updateId = 0L;
    var script = Script(groupId);
    // Warm-up: tiered JIT settles, connection pools fill, PostgreSQL caches warm. Not measured.
    await DriveAsync(http, options.WarmupUsers, options.Concurrency, script, () => Interlocked.Increment(ref updateId), userBase: 9_000_000,
        latencies: null);

    var outboxBefore = await ScalarAsync(options.Connection, "SELECT count(*) FROM outbox");
    var latencies = new long[options.Users * script.Length];
    var cpu = new CpuMeter(host, options.Connection);
    await cpu.StartAsync();
    var sw = Stopwatch.StartNew();
    var sent = await DriveAsync(http, options.Users, options.Concurrency, script, () => Interlocked.Increment(ref updateId), 1_000_000, latencies);
    var elapsed = sw.Elapsed;
    var inboundCpu = await cpu.StopAsync();
    var outboxAfter = await ScalarAsync(options.Connection, "SELECT count(*) FROM outbox");

    // Dispatcher: the backlog is far above the messenger's ceiling now; measure the delivery rate over a window.
    var deliveredStart = fake.CallCount("sendMessage") - fake.FaultCount("sendMessage") - fake.TooManyRequestsCount;
    var dispatchWatch = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(options.DispatchSeconds));
    var deliveredEnd = fake.CallCount("sendMessage") - fake.FaultCount("sendMessage") - fake.TooManyRequestsCount;
    var dispatchRate = (deliveredEnd - deliveredStart) / dispatchWatch.Elapsed.TotalSeconds;

    Array.Sort(latencies, 0, sent);
    var peakRss = BenchHost.PeakRssMb(host.Id);

    // The bare PostgreSQL ceiling of the same transaction, same database and concurrency, while the host is idle but
    // for its dispatcher (30 messages/s). Missing pgbench is reported in the table, never skipped silently.
    var pgbench = PgBench.Find(options.PgBench);
    PgBenchRun ceiling;
    if (pgbench is null)
    {
        ceiling = PgBenchRun.Failed(string.IsNullOrEmpty(options.PgBench) ? "pgbench not found in /usr/lib/postgresql/*/bin" : $"pgbench not found at {options.PgBench}");
        Console.Error.WriteLine("WARNING: " + ceiling.Problem + "; the PostgreSQL ceiling is NOT measured (install the postgresql package)");
    }
    else
    {
        Console.Error.WriteLine($"pgbench: {pgbench} -c {options.Concurrency} -T {options.PgBenchSeconds} (the inbound transaction)");
        ceiling = await PgBench.RunAsync(pgbench, options.Connection, options.Concurrency, options.PgBenchSeconds, 1_000_000, options.Users,
            CancellationToken.None);
        if (ceiling.Problem is not null)
        {
            Console.Error.WriteLine("WARNING: " + ceiling.Problem);
        }
    }

    // Consultation bookings through the same webhook, after the registration phase and its dispatch window (whose
    // figures above stay as they were): first every student books a seat of their own, then many press for one last seat.
    var failures = new List<string>();
    var bookings = await BookingsAsync(http, options, groupId, () => Interlocked.Increment(ref updateId), failures);
    var lastSeat = await LastSeatAsync(http, options, groupId, () => Interlocked.Increment(ref updateId), failures);
    var reminders = options.ReminderStudents > 0 ? await RemindersAsync(fake, options, failures) : null;
    var vk = options.VkUsers > 0 ? await VkAsync(hostUrl, vkFake, options, Script(groupId), failures) : null;

    var figures = new LoadFigures(startedAt, loadBefore, LoadAverage(), options, script.Length, sent, elapsed,
        Percentile(latencies, sent, 0.50), Percentile(latencies, sent, 0.95), Percentile(latencies, sent, 0.99),
        (outboxAfter - outboxBefore) / elapsed.TotalSeconds, inboundCpu, dispatchRate, fake.TooManyRequestsCount, ceiling,
        new BookingFigures(bookings.Booked, bookings.Elapsed, bookings.Slots, bookings.Capacity,
            Percentile(bookings.Latencies, bookings.Latencies.Length, 0.50), Percentile(bookings.Latencies, bookings.Latencies.Length, 0.95),
            Percentile(bookings.Latencies, bookings.Latencies.Length, 0.99)),
        lastSeat, reminders, vk, VkRate, peakRss, BenchHost.PeakRssMb(host.Id), failures.Count);
    var report = LoadReport.Markdown(figures);
    Console.WriteLine(report);
    Directory.CreateDirectory("bench-results");
    await File.WriteAllTextAsync(Path.Combine("bench-results", "latest.md"), report);
    await File.WriteAllTextAsync(Path.Combine("bench-results", "latest.html"), LoadReport.Html(figures));
    Console.Error.WriteLine("Wrote bench-results/latest.md and bench-results/latest.html");
    foreach (var failure in failures)
    {
        Console.Error.WriteLine("MISMATCH: " + failure);
    }
    return failures.Count == 0 ? 0 : 1;
}
finally
{
    if (!host.HasExited)
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
    }
}

static string[] Script(long groupId) =>
[
    "/start", "cb:ca:0:ru:", "cb:ro:2:s", "Иван Петров", $"cb:gr:4:{groupId}", "cb:ag:5:0", "/help", "/menu", "/profile", "привет",
];

static async Task<int> DriveAsync(HttpClient http, int users, int concurrency, string[] script, Func<long> nextUpdateId, long userBase,
    long[]? latencies)
{
    var answeredInResponse = 0;
    var nextUser = -1;
    var index = -1;
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int user;
        while ((user = Interlocked.Increment(ref nextUser)) < users)
        {
            var userId = userBase + user;
            foreach (var step in script)
            {
                var body = step.StartsWith("cb:", StringComparison.Ordinal)
                    ? BenchHost.CallbackUpdate(nextUpdateId(), userId, step[3..])
                    : BenchHost.TextUpdate(nextUpdateId(), userId, step);
                using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/telegram/webhook", content);
                var took = Stopwatch.GetTimestamp() - started;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}");
                }
                // A button press is answered in the webhook's response (answerCallbackQuery), which Telegram runs.
                if (step.StartsWith("cb:", StringComparison.Ordinal)
                    && (await response.Content.ReadAsStringAsync()).Contains("answerCallbackQuery", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref answeredInResponse);
                }
                if (latencies is not null)
                {
                    latencies[Interlocked.Increment(ref index)] = took;
                }
            }
        }
    });
    await Task.WhenAll(workers);
    var presses = users * script.Count(s => s.StartsWith("cb:", StringComparison.Ordinal));
    if (answeredInResponse != presses)
    {
        throw new InvalidOperationException($"{presses - answeredInResponse} button presses were not answered in the webhook response");
    }
    return index + 1;
}

/// <summary>
/// The VK path: every user's script as VK events posted to /vk/callback with the secret (each must be answered "ok"),
/// then the rate of requests the host makes with the community token while it drains the backlog, against the fake's
/// 20 requests/s, and how many of them the fake refused with error 6.
/// </summary>
static async Task<VkFigures> VkAsync(string hostUrl, FakeVkApi vk, BenchOptions options, string[] script, List<string> failures)
{
    using var http = new HttpClient { BaseAddress = new Uri(hostUrl), Timeout = TimeSpan.FromSeconds(30) };
    var nextUser = -1;
    var events = 0;
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
    {
        int user;
        while ((user = Interlocked.Increment(ref nextUser)) < options.VkUsers)
        {
            var userId = 500_000_000L + user;
            foreach (var step in script)
            {
                var update = step.StartsWith("cb:", StringComparison.Ordinal)
                    ? VkUpdates.Press(userId, new System.Text.Json.Nodes.JsonObject { ["c"] = step[3..] })
                    : VkUpdates.Text(userId, step);
                vk.Stamp(update);
                update["secret"] = VkSecret;
                using var content = new StringContent(update.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                using var response = await http.PostAsync("/vk/callback", content);
                if (!response.IsSuccessStatusCode || await response.Content.ReadAsStringAsync() != "ok")
                {
                    lock (failures)
                    {
                        failures.Add($"/vk/callback answered {(int)response.StatusCode}");
                    }
                    return;
                }
                Interlocked.Increment(ref events);
            }
        }
    }));
    var elapsed = sw.Elapsed;
    int Requests() => vk.Calls("messages.send") + vk.Calls("messages.sendMessageEventAnswer");
    var requestsStart = Requests();
    var sentStart = vk.Sent.Count;
    var window = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(options.DispatchSeconds));
    var seconds = window.Elapsed.TotalSeconds;
    return new VkFigures(events, elapsed, (Requests() - requestsStart) / seconds, (vk.Sent.Count - sentStart) / seconds, vk.TooManyRequests);
}

static double Percentile(long[] sorted, int count, double p) =>
    count == 0 ? double.NaN : Stopwatch.GetElapsedTime(0, sorted[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)]).TotalMilliseconds;

/// <summary>
/// Uncontended bookings: students (seeded in SQL, registered and active) each press "Book" once, on a group slot with
/// free seats; consecutive students press on slots of different teachers. A warm-up of the same kind runs first.
/// Every press must be answered "done" in the webhook's response and leave exactly one active booking.
/// </summary>
static async Task<BookingRun> BookingsAsync(HttpClient http, BenchOptions options, long groupId, Func<long> nextUpdateId, List<string> failures)
{
    const long StudentBase = 20_000_000;
    const long TeacherBase = 40_000_000;
    const int SlotsPerTeacher = 50;
    var total = options.BookingWarmup + options.Bookings;
    var slotCount = options.BookingTeachers * SlotsPerTeacher;
    var capacity = Math.Max(1, (total + slotCount - 1) / slotCount);
    if (capacity > 1000)
    {
        throw new InvalidOperationException($"{total} bookings need more than 1000 seats per slot; add teachers (--booking-teachers)");
    }
    await using var db = NpgsqlDataSource.Create(options.Connection);
    var subjectId = await ExecuteScalarAsync<long>(db, "INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
    var teachers = await SeedPeopleAsync(db, "teacher", "Учитель", null, TeacherBase, options.BookingTeachers);
    // Hourly 45-minute group slots from tomorrow on, far beyond the minimum notice; ordered so that neighbours in the
    // list belong to different teachers.
    await using (var command = db.CreateCommand(
        """
        INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose)
        SELECT t, @subject, date_trunc('hour', now()) + interval '1 day' + j * interval '1 hour',
               date_trunc('hour', now()) + interval '1 day' + j * interval '1 hour' + interval '45 minutes', 'group', @capacity, 'review'
        FROM unnest(@teachers) t, generate_series(0, @perTeacher - 1) j
        """))
    {
        command.Parameters.AddWithValue("subject", subjectId);
        command.Parameters.AddWithValue("capacity", capacity);
        command.Parameters.AddWithValue("teachers", teachers);
        command.Parameters.AddWithValue("perTeacher", SlotsPerTeacher);
        await command.ExecuteNonQueryAsync();
    }
    var slots = await ReadIdsAsync(db, "SELECT id FROM consultation_slots WHERE teacher_id = ANY(@teachers) ORDER BY starts_at, teacher_id",
        ("teachers", teachers));
    await SeedPeopleAsync(db, "student", "Ученик", groupId, StudentBase, total);
    await AnalyzeAsync(db);

    // Warm-up: the booking path's code gets hot; not measured. Then the measured presses.
    var warmup = Enumerable.Range(0, options.BookingWarmup).Select(k => (StudentBase + k, Booking(slots[k % slots.Length]))).ToArray();
    await PressAsync(http, warmup, options.Concurrency, nextUpdateId, latencies: null, failures, "booking warm-up");
    var presses = Enumerable.Range(options.BookingWarmup, options.Bookings).Select(k => (StudentBase + k, Booking(slots[k % slots.Length]))).ToArray();
    var latencies = new long[presses.Length];
    var sw = Stopwatch.StartNew();
    await PressAsync(http, presses, options.Concurrency, nextUpdateId, latencies, failures, "bookings");
    var elapsed = sw.Elapsed;
    Array.Sort(latencies);

    // Every press left exactly one active booking; every slot's seat count matches its active bookings.
    var senders = presses.Select(p => p.Item1.ToString(CultureInfo.InvariantCulture)).ToArray();
    long measured;
    await using (var command = db.CreateCommand(
        """
        SELECT count(*), count(DISTINCT b.student_id)
        FROM consultation_bookings b JOIN accounts a ON a.person_id = b.student_id AND a.channel = 'telegram'
        WHERE a.sender_id = ANY(@senders) AND b.status = 'active'
        """))
    {
        command.Parameters.AddWithValue("senders", senders);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        measured = reader.GetInt64(0);
        var students = reader.GetInt64(1);
        if (measured != presses.Length || students != presses.Length)
        {
            failures.Add($"bookings: {presses.Length} presses left {measured} active bookings of {students} students (expected {presses.Length} of {presses.Length})");
        }
    }
    var skewed = await ExecuteScalarAsync<long>(db,
        """
        SELECT count(*) FROM consultation_slots s
        WHERE s.teacher_id = ANY(@teachers)
          AND s.booked <> (SELECT count(*) FROM consultation_bookings b WHERE b.slot_id = s.id AND b.status = 'active')
        """, ("teachers", teachers));
    if (skewed != 0)
    {
        failures.Add($"bookings: {skewed} slots whose seat count differs from their active bookings");
    }
    return new BookingRun(measured, elapsed, latencies, slots.Length, capacity);
}

/// <summary>
/// The last seat: an individual slot (one seat) and many students pressing "Book" at the same moment. Exactly one
/// wins; the rest are told all seats are taken. Settle time runs from the first request sent to the last response.
/// </summary>
static async Task<LastSeatRun> LastSeatAsync(HttpClient http, BenchOptions options, long groupId, Func<long> nextUpdateId, List<string> failures)
{
    const long StudentBase = 30_000_000;
    const long TeacherBase = 41_000_000;
    await using var db = NpgsqlDataSource.Create(options.Connection);
    var teacher = (await SeedPeopleAsync(db, "teacher", "Учитель", null, TeacherBase, 1))[0];
    var slot = await ExecuteScalarAsync<long>(db,
        """
        INSERT INTO consultation_slots (teacher_id, starts_at, ends_at, kind, capacity, purpose)
        VALUES (@teacher, date_trunc('hour', now()) + interval '3 days', date_trunc('hour', now()) + interval '3 days 30 minutes', 'individual', 1, 'review')
        RETURNING id
        """, ("teacher", teacher));
    await SeedPeopleAsync(db, "student", "Ученик", groupId, StudentBase, options.LastSeat);
    await AnalyzeAsync(db);

    // Open the HTTP connections first, so the presses start together instead of queueing behind connection set-up.
    await Task.WhenAll(Enumerable.Range(0, options.LastSeat).Select(async _ =>
    {
        using var response = await http.GetAsync("/health/live");
    }));
    var bodies = Enumerable.Range(0, options.LastSeat)
        .Select(k => BenchHost.CallbackUpdate(nextUpdateId(), StudentBase + k, Booking(slot))).ToArray();
    var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var answers = new string?[bodies.Length];
    var finished = new long[bodies.Length];
    var presses = bodies.Select(async (body, k) =>
    {
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        await gate.Task;
        using var response = await http.PostAsync("/telegram/webhook", content);
        answers[k] = await CallbackAnswerAsync(response);
        finished[k] = Stopwatch.GetTimestamp();
    }).ToArray();
    var started = Stopwatch.GetTimestamp();
    gate.SetResult();
    await Task.WhenAll(presses);
    var settle = Stopwatch.GetElapsedTime(started, finished.Max());

    var winners = answers.Count(a => a == DoneText);
    var senders = Enumerable.Range(0, options.LastSeat).Select(k => (StudentBase + k).ToString(CultureInfo.InvariantCulture)).ToArray();
    var refusals = (int)await ExecuteScalarAsync<long>(db,
        "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND chat_id = ANY(@senders) AND body->>'text' LIKE 'Все места заняты%'",
        ("senders", senders));
    var booked = await ExecuteScalarAsync<int>(db, "SELECT booked FROM consultation_slots WHERE id = @slot", ("slot", slot));
    var active = await ExecuteScalarAsync<long>(db, "SELECT count(*) FROM consultation_bookings WHERE slot_id = @slot AND status = 'active'",
        ("slot", slot));
    if (winners != 1 || booked != 1 || active != 1 || refusals != options.LastSeat - 1)
    {
        failures.Add($"last seat: {winners} winners, {refusals} refusals, booked {booked} of 1 seat, {active} active bookings "
            + $"(expected 1, {options.LastSeat - 1}, 1, 1)");
    }
    return new LastSeatRun(winners, refusals, settle);
}

/// <summary>
/// Daily reminders: a school day of a large region seeded in SQL (students in groups of about GROUP_SIZE, a parent
/// following each of the first REMINDER_PARENTS students, one teacher per group's worth of lessons, five lessons a
/// group today with one material each), then the planner runs in this process at 07:31 school time against the same
/// database, twice (the second run must plan nothing). The host's dispatcher delivers the new backlog; the earlier
/// phases' undelivered replies are set aside first so the window measures the reminders alone.
/// </summary>
static async Task<RemindersRun> RemindersAsync(FakeTelegramApi fake, BenchOptions options, List<string> failures)
{
    const long StudentBase = 50_000_000;
    const long TeacherBase = 60_000_000;
    const long ParentBase = 70_000_000;
    const int LessonsPerGroup = 5;
    await using var db = NpgsqlDataSource.Create(options.Connection);
    var school = new SchoolOptions();
    var zone = school.TimeZoneInfo;
    var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
    var groupCount = Math.Max(1, (options.ReminderStudents + options.GroupSize - 1) / options.GroupSize);
    var parents = Math.Min(options.ReminderParents, options.ReminderStudents);

    var seed = Stopwatch.StartNew();
    var groups = await ReadIdsAsync(db,
        "INSERT INTO school_groups (name) SELECT 'Поток ' || n FROM generate_series(1, @count) n RETURNING id", ("count", groupCount));
    Array.Sort(groups);
    var subjects = await ReadIdsAsync(db,
        "INSERT INTO subjects (name) SELECT 'Урок ' || n FROM generate_series(1, @count) n RETURNING id", ("count", 8));
    var teachers = await SeedPeopleAsync(db, "teacher", "Учитель", null, TeacherBase, groupCount);
    await using (var command = db.CreateCommand(
        """
        WITH p AS (
            INSERT INTO persons (role, status, full_name, group_id, consented_at)
            SELECT 'student', 'active', 'Ученик ' || n, (@groups::bigint[])[1 + n % cardinality(@groups::bigint[])], now()
            FROM generate_series(0, @count - 1) n
            RETURNING id
        )
        INSERT INTO accounts (channel, sender_id, chat_id, person_id)
        SELECT 'telegram', (@base + n)::text, (@base + n)::text, id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM p) numbered
        """))
    {
        command.Parameters.AddWithValue("groups", groups);
        command.Parameters.AddWithValue("count", options.ReminderStudents);
        command.Parameters.AddWithValue("base", StudentBase);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
    // Statistics before the next statements read the new students back (stale ones made the seeding minutes slower).
    await using (var command = db.CreateCommand("ANALYZE persons, accounts"))
    {
        await command.ExecuteNonQueryAsync();
    }
    await using (var command = db.CreateCommand(
        """
        WITH kids AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n FROM persons
            WHERE role = 'student' AND group_id = ANY(@groups) ORDER BY id LIMIT @count
        ), p AS (
            INSERT INTO persons (role, status, full_name, consented_at) SELECT 'parent', 'active', 'Родитель ' || n, now() FROM kids
            RETURNING id
        ), numbered AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n FROM p
        ), a AS (
            INSERT INTO accounts (channel, sender_id, chat_id, person_id) SELECT 'telegram', (@base + n)::text, (@base + n)::text, id FROM numbered
        )
        INSERT INTO parent_links (parent_id, child_id) SELECT numbered.id, kids.id FROM numbered JOIN kids USING (n)
        """))
    {
        command.Parameters.AddWithValue("groups", groups);
        command.Parameters.AddWithValue("count", parents);
        command.Parameters.AddWithValue("base", ParentBase);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
    // Five 45-minute lessons a group from 08:30 school time, every other one online; each group's first lesson has a material.
    await using (var command = db.CreateCommand(
        """
        WITH l AS (
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id, room, link)
            SELECT g.id, @day, s.at, s.at + interval '45 minutes', s.at,
                   (@subjects::bigint[])[1 + (g.n + k) % cardinality(@subjects::bigint[])],
                   (@teachers::bigint[])[1 + (g.n * @perGroup + k) % cardinality(@teachers::bigint[])],
                   CASE WHEN k % 2 = 0 THEN (200 + k)::text END,
                   CASE WHEN k % 2 = 1 THEN 'https://meet.example.org/' || g.id || '-' || k END
            FROM unnest(@groups::bigint[]) WITH ORDINALITY g(id, n)
            CROSS JOIN generate_series(0, @perGroup - 1) k
            CROSS JOIN LATERAL (SELECT ((@day + time '08:30') + k * interval '55 minutes') AT TIME ZONE @zone AS at) s
            RETURNING 1
        ), m AS (
            INSERT INTO materials (subject_id, kind, title, url, lesson_on)
            SELECT (@subjects::bigint[])[1 + g.n % cardinality(@subjects::bigint[])], 'material', 'Конспект ' || g.n,
                   'https://example.org/notes/' || g.n, @day
            FROM unnest(@groups::bigint[]) WITH ORDINALITY g(id, n)
            RETURNING id, url
        ), mg AS (
            INSERT INTO material_groups (material_id, group_id)
            SELECT m.id, g.id FROM m JOIN unnest(@groups::bigint[]) WITH ORDINALITY g(id, n) ON m.url = 'https://example.org/notes/' || g.n
        )
        SELECT count(*) FROM l
        """))
    {
        command.Parameters.AddWithValue("groups", groups);
        command.Parameters.AddWithValue("subjects", subjects);
        command.Parameters.AddWithValue("teachers", teachers);
        command.Parameters.AddWithValue("perGroup", LessonsPerGroup);
        command.Parameters.AddWithValue("day", today);
        command.Parameters.AddWithValue("zone", school.TimeZone);
        command.CommandTimeout = 600;
        await command.ExecuteScalarAsync();
    }
    await using (var command = db.CreateCommand("ANALYZE persons, accounts, parent_links, lessons, materials, material_groups, outbox"))
    {
        await command.ExecuteNonQueryAsync();
    }
    var lessons = await ExecuteScalarAsync<long>(db, "SELECT count(*) FROM lessons WHERE day = @day", ("day", today));
    seed.Stop();

    // The earlier phases' replies still waiting for the messenger's ceiling are set aside: the window measures reminders.
    await using (var command = db.CreateCommand("UPDATE outbox SET status = 'failed', last_error = 'bench: set aside' WHERE status = 'pending'"))
    {
        await command.ExecuteNonQueryAsync();
    }

    var local = today.ToDateTime(new TimeOnly(7, 31));
    var morning = new DateTimeOffset(local, zone.GetUtcOffset(local));
    var job = new DailyRemindersJob(db, Microsoft.Extensions.Options.Options.Create(new TimetableOptions()),
        Microsoft.Extensions.Options.Options.Create(school), new OutboxSignal(), new SchoolClock(new FixedTime(morning)),
        NullLogger<DailyRemindersJob>.Instance);
    var deliveredBefore = Delivered(fake);
    var tooManyBefore = fake.TooManyRequestsCount;
    var planning = Stopwatch.StartNew();
    var planned = await job.RunAsync(CancellationToken.None);
    planning.Stop();
    var replanning = Stopwatch.StartNew();
    var replanned = await job.RunAsync(CancellationToken.None);
    replanning.Stop();
    var expected = options.ReminderStudents + parents + groupCount;
    if (planned != expected || replanned != 0)
    {
        failures.Add($"daily reminders: planned {planned} then {replanned} (expected {expected} then 0)");
    }

    // The host's dispatcher delivers the new backlog; it is far above the ceiling, so the window measures the drain rate.
    await Task.Delay(TimeSpan.FromSeconds(2));
    var start = Delivered(fake);
    var window = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(options.DispatchSeconds));
    var rate = (Delivered(fake) - start) / window.Elapsed.TotalSeconds;
    var sent = await ExecuteScalarAsync<long>(db, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND status = 'sent'");
    if (Delivered(fake) - deliveredBefore < sent)
    {
        failures.Add($"daily reminders: {sent} rows marked sent but only {Delivered(fake) - deliveredBefore} sendMessage calls succeeded");
    }
    return new RemindersRun(groupCount, teachers.Length, lessons, seed.Elapsed, planned, planning.Elapsed, replanned, replanning.Elapsed, rate, sent,
        fake.TooManyRequestsCount - tooManyBefore);
}

static long Delivered(FakeTelegramApi fake) => fake.CallCount("sendMessage") - fake.FaultCount("sendMessage") - fake.TooManyRequestsCount;

static string Booking(long slot) => "cb:0:bk::" + slot.ToString(CultureInfo.InvariantCulture);

/// <summary>Sends one button press per (user, data), <paramref name="concurrency"/> in flight; each must be answered "done".</summary>
static async Task PressAsync(HttpClient http, (long User, string Data)[] presses, int concurrency, Func<long> nextUpdateId, long[]? latencies,
    List<string> failures, string phase)
{
    var next = -1;
    var notDone = 0;
    string? example = null;
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int k;
        while ((k = Interlocked.Increment(ref next)) < presses.Length)
        {
            using var content = new StringContent(BenchHost.CallbackUpdate(nextUpdateId(), presses[k].User, presses[k].Data), Encoding.UTF8,
                new MediaTypeHeaderValue("application/json"));
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/telegram/webhook", content);
            var answer = await CallbackAnswerAsync(response);
            if (latencies is not null)
            {
                latencies[k] = Stopwatch.GetTimestamp() - started;
            }
            if (answer != DoneText)
            {
                Interlocked.Increment(ref notDone);
                example ??= answer ?? "(no text)";
            }
        }
    });
    await Task.WhenAll(workers);
    if (notDone > 0)
    {
        failures.Add($"{phase}: {notDone} of {presses.Length} presses were not answered \"{DoneText}\" (e.g. \"{example}\")");
    }
}

/// <summary>The text of the answerCallbackQuery the webhook returned (null without one); throws on a failed request.</summary>
static async Task<string?> CallbackAnswerAsync(HttpResponseMessage response)
{
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}");
    }
    var body = await response.Content.ReadAsStringAsync();
    if (body.Length == 0)
    {
        return null;
    }
    using var json = JsonDocument.Parse(body);
    return json.RootElement.TryGetProperty("method", out var method) && method.GetString() == "answerCallbackQuery"
        && json.RootElement.TryGetProperty("text", out var text) ? text.GetString() : null;
}

/// <summary>Active people of a role with a Telegram account each (sender = chat = base + i), set-based. Returns their ids.</summary>
static async Task<long[]> SeedPeopleAsync(NpgsqlDataSource db, string role, string name, long? groupId, long senderBase, int count)
{
    await using var command = db.CreateCommand(
        """
        WITH p AS (
            INSERT INTO persons (role, status, full_name, group_id, consented_at)
            SELECT @role, 'active', @name || ' ' || (@base + g), @group, now() FROM generate_series(0, @count - 1) g
            RETURNING id
        ), a AS (
            INSERT INTO accounts (channel, sender_id, chat_id, person_id)
            SELECT 'telegram', (@base + n - 1)::text, (@base + n - 1)::text, id
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM p) numbered
            RETURNING person_id
        )
        SELECT person_id FROM a ORDER BY person_id
        """);
    command.Parameters.AddWithValue("role", role);
    command.Parameters.AddWithValue("name", name);
    command.Parameters.Add(new NpgsqlParameter("group", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)groupId ?? DBNull.Value });
    command.Parameters.AddWithValue("base", senderBase);
    command.Parameters.AddWithValue("count", count);
    var ids = new List<long>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        ids.Add(reader.GetInt64(0));
    }
    return ids.ToArray();
}

/// <summary>Fresh statistics after a bulk seed, as a database in service would have.</summary>
static async Task AnalyzeAsync(NpgsqlDataSource db)
{
    await using var command = db.CreateCommand("ANALYZE persons, accounts, consultation_slots, consultation_bookings");
    await command.ExecuteNonQueryAsync();
}

static async Task<long[]> ReadIdsAsync(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters)
{
    await using var command = db.CreateCommand(sql);
    foreach (var (parameterName, value) in parameters)
    {
        command.Parameters.AddWithValue(parameterName, value);
    }
    var ids = new List<long>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        ids.Add(reader.GetInt64(0));
    }
    return ids.ToArray();
}

static async Task<T> ExecuteScalarAsync<T>(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters)
{
    await using var command = db.CreateCommand(sql);
    foreach (var (parameterName, value) in parameters)
    {
        command.Parameters.AddWithValue(parameterName, value);
    }
    return (T)(await command.ExecuteScalarAsync())!;
}

static async Task<long> SeedAsync(string connection)
{
    await using var dataSource = NpgsqlDataSource.Create(connection);
    await using var command = dataSource.CreateCommand("INSERT INTO school_groups (name) VALUES ('7Б') RETURNING id");
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<long> ScalarAsync(string connection, string sql)
{
    await using var dataSource = NpgsqlDataSource.Create(connection);
    await using var command = dataSource.CreateCommand(sql);
    return (long)(await command.ExecuteScalarAsync())!;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

internal sealed record BookingRun(long Booked, TimeSpan Elapsed, long[] Latencies, int Slots, int Capacity);

internal sealed record LastSeatRun(int Winners, int Refusals, TimeSpan Settle);

internal sealed record RemindersRun(int Groups, int Teachers, long Lessons, TimeSpan Seed, int Planned, TimeSpan Planning, int Replanned,
    TimeSpan Replanning, double Rate, long Sent, long TooManyRequests);

/// <summary>The school's clock standing still at one moment (the planner's "now").</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}

internal sealed record VkFigures(int Events, TimeSpan Elapsed, double RequestRate, double SendRate, int TooManyRequests);

internal sealed record BenchOptions(string HostDll, string Connection, int Users, int Concurrency, double Rate, int DispatchSeconds,
    int WarmupUsers, int Bookings, int BookingWarmup, int BookingTeachers, int LastSeat, int ReminderStudents, int ReminderParents, int GroupSize,
    int VkUsers, string? PgBench, int PgBenchSeconds)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new BenchOptions(
            Get("host-dll", "ConsultBot.Host/bin/Release/net10.0/ConsultBot.Host.dll"),
            Get("connection", Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? ""),
            int.Parse(Get("users", "5000"), CultureInfo.InvariantCulture),
            int.Parse(Get("concurrency", "64"), CultureInfo.InvariantCulture),
            double.Parse(Get("rate", "30"), CultureInfo.InvariantCulture),
            int.Parse(Get("dispatch-seconds", "20"), CultureInfo.InvariantCulture),
            int.Parse(Get("warmup-users", "4000"), CultureInfo.InvariantCulture),
            int.Parse(Get("bookings", "5000"), CultureInfo.InvariantCulture),
            int.Parse(Get("booking-warmup", "1000"), CultureInfo.InvariantCulture),
            int.Parse(Get("booking-teachers", "4"), CultureInfo.InvariantCulture),
            int.Parse(Get("last-seat", "200"), CultureInfo.InvariantCulture),
            int.Parse(Get("reminder-students", "100000"), CultureInfo.InvariantCulture),
            int.Parse(Get("reminder-parents", "50000"), CultureInfo.InvariantCulture),
            int.Parse(Get("group-size", "33"), CultureInfo.InvariantCulture),
            int.Parse(Get("vk-users", "1000"), CultureInfo.InvariantCulture),
            Get("pgbench", ""),
            int.Parse(Get("pgbench-seconds", "15"), CultureInfo.InvariantCulture));
    }
}
