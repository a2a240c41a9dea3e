using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;

namespace ConsultBot.Host.Operations;

public static partial class OperationsExtensions
{
    /// <summary>Metrics, the shutdown timeout and the correlation of updates with their sends.</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.NetworksAreValid(), "Operations:MetricsAllowedNetworks must be comma-separated CIDR networks, e.g. 10.0.0.0/8")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<OperationsOptions>>((host, operations) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(operations.Value.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(sp =>
        {
            var metrics = new BotMetrics();
            var dataSource = sp.GetRequiredService<NpgsqlDataSource>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OutboxGauges).FullName!);
            metrics.Registry.AddBeforeCollectCallback(ct => OutboxGauges.CollectAsync(metrics, dataSource, logger, ct));
            return metrics;
        });
        builder.Services.AddSingleton<JobMetricsFilter>();
        return builder;
    }

    /// <summary>
    /// Middleware in front of every endpoint: after shutdown has begun, new requests get 503 (Telegram and VK retry them
    /// elsewhere or later); a database that refuses connections becomes 503 with Retry-After, not a 500; a body torn off
    /// by the client ends the request quietly. Then the HTTP metrics and <c>/metrics</c> (loopback or the configured
    /// networks only; never through a proxy header).
    /// </summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var options = app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;
        var metrics = app.Services.GetRequiredService<BotMetrics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperationsExtensions).FullName!);
        var networks = options.ParsedNetworks();
        app.Use(async (http, next) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested && !IsOperational(http.Request.Path))
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "5";
                http.Response.Headers.Connection = "close";
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync(StoppingReason, http.RequestAborted);
                return;
            }
            if (http.Request.Path.StartsWithSegments(MetricsPath) && (!options.MetricsEnabled || !MayReadMetrics(http, networks)))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            try
            {
                await next(http);
            }
            catch (Exception e) when (DatabaseErrors.IsUnavailable(e) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                LogDatabaseUnavailable(logger, http.Request.Method, EndpointName(http), e.GetType().Name);
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "5";
            }
            catch (Exception e) when (IsTornRequest(http, e))
            {
                // The client went away mid-body: nothing was read whole, so nothing was stored; there is nobody to answer.
                LogTornRequest(logger, http.Request.Method, EndpointName(http));
                if (!http.Response.HasStarted)
                {
                    http.Response.StatusCode = StatusCodes.Status400BadRequest;
                }
            }
        });
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(metrics.Registry)));
        if (options.MetricsEnabled)
        {
            app.MapMetrics(MetricsPath, metrics.Registry);
        }
        return app;
    }

    public const string MetricsPath = "/metrics";

    /// <summary>
    /// The body of the 503 a request gets once shutdown has begun, for whoever reads the answer (an operator with curl, a
    /// proxy's log); the messengers only look at the status. Not a chat message, so not in the text catalog.
    /// </summary>
    public const string StoppingReason = "Shutting down; retry later.";

    /// <summary>Health and metrics keep answering while the host stops: the orchestrator and Prometheus watch it go.</summary>
    private static bool IsOperational(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);

    private static bool MayReadMetrics(HttpContext http, IReadOnlyList<IPNetwork> networks)
    {
        if (http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("Forwarded"))
        {
            return false;
        }
        if (http.Connection.RemoteIpAddress is not { } ip)
        {
            return false;
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        return IPAddress.IsLoopback(ip) || networks.Any(n => n.Contains(ip));
    }

    private static bool IsTornRequest(HttpContext http, Exception e) =>
        e is BadHttpRequestException || (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException);

    /// <summary>The route pattern (<c>/telegram/webhook</c>), never the raw path, so no value from a URL reaches the log.</summary>
    private static string EndpointName(HttpContext http) =>
        (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.GetEndpoint()?.DisplayName ?? "(no endpoint)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is unavailable ({Error}): answered 503 to {Method} {Endpoint}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string endpoint, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Endpoint}: the client closed the connection before the body was complete")]
    private static partial void LogTornRequest(ILogger logger, string method, string endpoint);
}
