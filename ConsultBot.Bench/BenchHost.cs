using System.Diagnostics;
using System.Globalization;
using ConsultBot.Tests.Fakes;

/// <summary>
/// Starts the real host (the Release build, its own process, webhook mode) against a fake Bot API (and a fake VK API),
/// waits for it to be ready and reads its memory. Shared by the benchmark and the fault-injection suite.
/// </summary>
internal static class BenchHost
{
    public const string Token = "123456:BENCH-token";
    public const string Secret = "bench-secret";
    public const string VkSecret = "benchVkSecret";
    public const int VkRate = 20;

    /// <summary>
    /// Starts the host. <paramref name="settings"/> are extra environment variables (configuration keys such as
    /// <c>Outbox__LeaseSeconds</c>) and win over the defaults set here. The host's output goes to <paramref name="log"/>.
    /// </summary>
    public static Process Start(string hostDll, string connection, string hostUrl, string apiBaseUrl, double rate, FakeVkApi? vk, TextWriter log,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [hostDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (vk is not null)
        {
            start.Environment["Vk__GroupId"] = vk.GroupId.ToString(CultureInfo.InvariantCulture);
            start.Environment["Vk__AccessToken"] = vk.AccessToken;
            start.Environment["Vk__ApiBaseUrl"] = vk.BaseUrl;
            start.Environment["Vk__CallbackConfirmation"] = "bench";
            start.Environment["Vk__CallbackSecret"] = VkSecret;
            start.Environment["Vk__RequestsPerSecond"] = VkRate.ToString(CultureInfo.InvariantCulture);
        }
        start.Environment["ConnectionStrings__Postgres"] = connection;
        start.Environment["ASPNETCORE_URLS"] = hostUrl;
        start.Environment["Telegram__BotToken"] = Token;
        start.Environment["Telegram__ApiBaseUrl"] = apiBaseUrl;
        start.Environment["Telegram__WebhookUrl"] = hostUrl + "/telegram/webhook";
        start.Environment["Telegram__WebhookSecret"] = Secret;
        start.Environment["Telegram__MessagesPerSecond"] = rate.ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Admin__TelegramIds"] = "1";
        // The benchmark runs the daily-reminder planner itself, at a school time of its choosing; the host's own schedule stays out of the way.
        start.Environment["Timetable__ReminderCron"] = "0 0 1 1 *";
        // Runtime knobs for experiments (e.g. DOTNET_gcServer=0) reach the host unchanged.
        foreach (var name in new[] { "DOTNET_PerfMapEnabled", "DOTNET_EnableWriteXorExecute", "DOTNET_gcServer", "DOTNET_TieredPGO", "DOTNET_gcConcurrent" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(TextWriter log, string? line)
    {
        if (line is { Length: > 0 })
        {
            lock (log)
            {
                log.WriteLine("host: " + line);
            }
        }
    }

    public static async Task WaitReadyAsync(HttpClient http, Process host, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
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
            catch (TaskCanceledException)
            {
                // not answering yet
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException("The host did not become ready");
    }

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The process's peak resident set (VmHWM) in MB.</summary>
    public static double PeakRssMb(int pid) => StatusMb(pid, "VmHWM:");

    /// <summary>The process's resident set now (VmRSS) in MB.</summary>
    public static double RssMb(int pid) => StatusMb(pid, "VmRSS:");

    private static double StatusMb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }

    public static string TextUpdate(long id, long user, string text)
    {
        var entities = text.StartsWith('/') ? $$""","entities":[{"offset":0,"length":{{text.Length}},"type":"bot_command"}]""" : "";
        return $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"date":1764061200,"chat":{"id":{{{user}}},"type":"private","first_name":"U"},"from":{"id":{{{user}}},"is_bot":false,"first_name":"U","language_code":"ru"},"text":"{{{text}}}"{{{entities}}}""" + "}}";
    }

    public static string CallbackUpdate(long id, long user, string data) =>
        $$$"""{"update_id":{{{id}}},"callback_query":{"id":"cb{{{id}}}","from":{"id":{{{user}}},"is_bot":false,"first_name":"U","language_code":"ru"},"chat_instance":"ci{{{user}}}","data":"{{{data}}}","message":{"message_id":1,"date":1764061200,"chat":{"id":{{{user}}},"type":"private","first_name":"U"},"text":"x"}""" + "}}";
}
