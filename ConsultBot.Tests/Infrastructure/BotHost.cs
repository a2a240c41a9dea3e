using Microsoft.AspNetCore.Hosting;
using ConsultBot.Host.School;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ConsultBot.Tests.Infrastructure;

/// <summary>
/// The real host (Program.cs, every hosted service) on Kestrel at a free loopback port, configured through
/// settings only. Hangfire's server is off unless a test turns it on, to keep the suite light.
/// </summary>
public sealed class BotHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public BotHost(string connectionString, IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["School:Name"] = "Гимназия №1",
            ["Scheduling:ServerEnabled"] = "false",
            ["Outbox:PollIntervalMs"] = "200",
            ["Outbox:RetryBaseDelayMs"] = "100",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    /// <summary>The school's clock (bookings, reminders, digests) when a test drives time; the system clock otherwise.</summary>
    public TimeProvider? SchoolTime { get; init; }

    /// <summary>Services a test adds after the host's own (registered last, a hosted service here is stopped first).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Base address of the running host, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (SchoolTime is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(new SchoolClock(time)));
        }
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    /// <summary>
    /// Hangfire keeps one process-wide log provider bound to the logger factory of the host that configured it
    /// last. Hosts of parallel tests therefore start one at a time, so a starting host's Hangfire set-up never logs
    /// through the disposed factory of a host another test is stopping. (A production process has one host.)
    /// </summary>
    private static readonly SemaphoreSlim StartGate = new(1, 1);

    /// <summary>Starts the server (idempotent) and returns a client for it.</summary>
    public HttpClient Start()
    {
        StartGate.Wait();
        try
        {
            StartServer();
        }
        finally
        {
            StartGate.Release();
        }
        return CreateClient();
    }

    public override async ValueTask DisposeAsync()
    {
        await StartGate.WaitAsync();
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            StartGate.Release();
        }
    }
}
