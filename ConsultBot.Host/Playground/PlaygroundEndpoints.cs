using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.Telegram;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Playground;

/// <summary>
/// The web channel: a plain page and a small JSON API. Messages from the page go through the same pipeline and
/// outbox as Telegram; replies come back through <see cref="PlaygroundSender"/>. Loopback requests only.
/// </summary>
public static partial class PlaygroundEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public sealed record SendRequest(string? User, string? Text, string? Callback, string? Id, string? Lang);

    public static WebApplication MapPlayground(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<PlaygroundOptions>>().Value.Enabled)
        {
            return app;
        }
        // Loopback peers only, and not through a reverse proxy on the same machine (it would make every caller local).
        var group = app.MapGroup("/playground").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            && !context.HttpContext.Request.Headers.ContainsKey("X-Forwarded-For")
            && !context.HttpContext.Request.Headers.ContainsKey("Forwarded")
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The playground answers on localhost only"));
        group.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        group.MapGet("/api/people", (IOptions<PlaygroundOptions> o) => Results.Ok(o.Value.People));
        group.MapPost("/api/messages", SendAsync);
        group.MapGet("/api/messages", ReadAsync);
        return app;
    }

    private static async Task<IResult> SendAsync(HttpContext http, UpdatePipeline pipeline, IOptions<PlaygroundOptions> options,
        CancellationToken cancellationToken)
    {
        var (request, error) = await RequestBody.ReadJsonAsync<SendRequest>(http.Request, MaxBodyBytes, HostJsonAccess.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        if (request?.User is not { } user || !options.Value.People.Contains(user))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown playground person");
        }
        if ((request.Text is null) == (request.Callback is null))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Send either text or callback");
        }
        if (request.Id is { } id && !IdFormat().IsMatch(id))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "id must be 1-64 letters, digits, - or _");
        }
        var incoming = new IncomingEvent
        {
            Channel = Channel.Web,
            UpdateId = request.Id ?? Guid.NewGuid().ToString("N"),
            Kind = request.Callback is null ? EventKind.Text : EventKind.Callback,
            SenderId = user,
            ChatId = user,
            Text = request.Text,
            CallbackData = request.Callback,
            LanguageCode = request.Lang,
        };
        var result = await pipeline.ProcessAsync(incoming, cancellationToken);
        return Results.Ok(new { outcome = result.Outcome.ToString().ToLowerInvariant(), answer = result.CallbackAnswer });
    }

    private static async Task<IResult> ReadAsync(string? user, long? after, NpgsqlDataSource dataSource, IOptions<PlaygroundOptions> options,
        CancellationToken cancellationToken)
    {
        if (user is null || !options.Value.People.Contains(user))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown playground person");
        }
        await using var command = dataSource.CreateCommand(
            "SELECT id, body::text, created_at FROM web_messages WHERE user_key = @user AND id > @after ORDER BY id LIMIT 200");
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("after", after ?? 0);
        var messages = new List<object>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bodyJson = JsonSerializer.Deserialize<JsonElement>(reader.GetString(1));
            messages.Add(new { id = reader.GetInt64(0), body = bodyJson, at = reader.GetFieldValue<DateTimeOffset>(2) });
        }
        return Results.Ok(messages);
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("ConsultBot.Host.Playground.wwwroot.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdFormat();
}
