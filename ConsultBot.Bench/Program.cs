using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ConsultBot.Tests.Fakes;
using Npgsql;

// ConsultBot webhook benchmark. Usage (scripts/bench.sh does the set-up):
//   ConsultBot.Bench --host-dll PATH --connection CS [--users 3000] [--concurrency 64] [--rate 30] [--dispatch-seconds 20]
var options = BenchOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;
const string Token = "123456:BENCH-token";
const string Secret = "bench-secret";

await using var fake = await FakeTelegramApi.StartAsync(new FakeTelegramApiOptions
{
    Token = Token,
    RateLimits = new FakeRateLimits(options.Rate, 1, 3),
});
var port = FreePort();
var hostUrl = $"http://127.0.0.1:{port}";
using var host = StartHost(options, fake.BaseUrl, hostUrl);
try
{
    using var http = new HttpClient { BaseAddress = new Uri(hostUrl), Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
    await WaitReadyAsync(http, host);
    var groupId = await SeedAsync(options.Connection);

    var updateId = 0L;
    var script = Script(groupId);
    // Warm-up: tiered JIT settles, connection pools fill, PostgreSQL caches warm. Not measured.
    await DriveAsync(http, options.WarmupUsers, options.Concurrency, script, () => Interlocked.Increment(ref updateId), userBase: 9_000_000,
        latencies: null);

    var outboxBefore = await ScalarAsync(options.Connection, "SELECT count(*) FROM outbox");
    var latencies = new long[options.Users * script.Length];
    var sw = Stopwatch.StartNew();
    var sent = await DriveAsync(http, options.Users, options.Concurrency, script, () => Interlocked.Increment(ref updateId), 1_000_000, latencies);
    var elapsed = sw.Elapsed;
    var outboxAfter = await ScalarAsync(options.Connection, "SELECT count(*) FROM outbox");

    // Dispatcher: the backlog is far above the messenger's ceiling now; measure the delivery rate over a window.
    var deliveredStart = fake.CallCount("sendMessage") - fake.FaultCount("sendMessage") - fake.TooManyRequestsCount;
    var dispatchWatch = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(options.DispatchSeconds));
    var deliveredEnd = fake.CallCount("sendMessage") - fake.FaultCount("sendMessage") - fake.TooManyRequestsCount;
    var dispatchRate = (deliveredEnd - deliveredStart) / dispatchWatch.Elapsed.TotalSeconds;

    Array.Sort(latencies, 0, sent);
    double Percentile(double p) => Stopwatch.GetElapsedTime(0, latencies[Math.Min(sent - 1, (int)Math.Ceiling(p * sent) - 1)]).TotalMilliseconds;
    var peakRss = PeakRssMb(host.Id);

    var report = new StringBuilder()
        .AppendLine(invariant, $"ConsultBot webhook benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores")
        .AppendLine(invariant, $"users {options.Users} x {script.Length} updates after {options.WarmupUsers} warm-up users, concurrency {options.Concurrency}, Telegram rate {options.Rate}/s")
        .AppendLine(invariant, $"| metric | value |")
        .AppendLine(invariant, $"|---|---|")
        .AppendLine(invariant, $"| updates processed | {sent} in {elapsed.TotalSeconds:F1} s |")
        .AppendLine(invariant, $"| updates/s (webhook, committed) | {sent / elapsed.TotalSeconds:F0} |")
        .AppendLine(invariant, $"| latency request → committed reply p50 / p95 / p99 | {Percentile(0.50):F1} / {Percentile(0.95):F1} / {Percentile(0.99):F1} ms |")
        .AppendLine(invariant, $"| replies committed to the outbox/s | {(outboxAfter - outboxBefore) / elapsed.TotalSeconds:F0} |")
        .AppendLine(invariant, $"| replies delivered/s (backlog, {options.DispatchSeconds} s window) | {dispatchRate:F1} ({100 * dispatchRate / options.Rate:F1} % of {options.Rate}/s) |")
        .AppendLine(invariant, $"| 429s from the fake Bot API | {fake.TooManyRequestsCount} |")
        .AppendLine(invariant, $"| host peak RSS | {peakRss:F0} MB |");
    Console.WriteLine(report);
    Directory.CreateDirectory("bench-results");
    await File.WriteAllTextAsync(Path.Combine("bench-results", "latest.md"), report.ToString());
    return 0;
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
                    ? CallbackUpdate(nextUpdateId(), userId, step[3..])
                    : TextUpdate(nextUpdateId(), userId, step);
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

static string TextUpdate(long id, long user, string text)
{
    var entities = text.StartsWith('/') ? $$""","entities":[{"offset":0,"length":{{text.Length}},"type":"bot_command"}]""" : "";
    return $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"date":1764061200,"chat":{"id":{{{user}}},"type":"private","first_name":"U"},"from":{"id":{{{user}}},"is_bot":false,"first_name":"U","language_code":"ru"},"text":"{{{text}}}"{{{entities}}}""" + "}}";
}

static string CallbackUpdate(long id, long user, string data) =>
    $$$"""{"update_id":{{{id}}},"callback_query":{"id":"cb{{{id}}}","from":{"id":{{{user}}},"is_bot":false,"first_name":"U","language_code":"ru"},"chat_instance":"ci{{{user}}}","data":"{{{data}}}","message":{"message_id":1,"date":1764061200,"chat":{"id":{{{user}}},"type":"private","first_name":"U"},"text":"x"}""" + "}}";

static Process StartHost(BenchOptions options, string apiBaseUrl, string hostUrl)
{
    var start = new ProcessStartInfo("dotnet", [options.HostDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
    start.Environment["ConnectionStrings__Postgres"] = options.Connection;
    start.Environment["ASPNETCORE_URLS"] = hostUrl;
    start.Environment["Telegram__BotToken"] = Token;
    start.Environment["Telegram__ApiBaseUrl"] = apiBaseUrl;
    start.Environment["Telegram__WebhookUrl"] = hostUrl + "/telegram/webhook";
    start.Environment["Telegram__WebhookSecret"] = Secret;
    start.Environment["Telegram__MessagesPerSecond"] = options.Rate.ToString(CultureInfo.InvariantCulture);
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    start.Environment["Admin__TelegramIds"] = "1";
    // Runtime knobs for experiments (e.g. DOTNET_gcServer=0) reach the host unchanged.
    foreach (var name in new[] { "DOTNET_PerfMapEnabled", "DOTNET_EnableWriteXorExecute", "DOTNET_gcServer", "DOTNET_TieredPGO", "DOTNET_gcConcurrent" })
    {
        if (Environment.GetEnvironmentVariable(name) is { } value)
        {
            start.Environment[name] = value;
        }
    }
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("host: " + e.Data); };
    process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine("host: " + e.Data); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitReadyAsync(HttpClient http, Process host)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline && !host.HasExited)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }
        await Task.Delay(200);
    }
    throw new InvalidOperationException("The host did not become ready");
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

static int FreePort()
{
    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}

static double PeakRssMb(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
    }
    return double.NaN;
}

internal sealed record BenchOptions(string HostDll, string Connection, int Users, int Concurrency, double Rate, int DispatchSeconds,
    int WarmupUsers)
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
            int.Parse(Get("warmup-users", "4000"), CultureInfo.InvariantCulture));
    }
}
