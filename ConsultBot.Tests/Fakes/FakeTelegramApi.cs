using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsultBot.Tests.Fakes;

/// <summary>
/// A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and benchmarks: <c>POST {BaseUrl}/bot{token}/{method}</c>
/// with JSON (or form) arguments, answered in Telegram's envelope. It long-polls an in-memory update queue, records what
/// the bot sends, can enforce Telegram's flood limits and can fail chosen calls on demand.
/// Depends on ASP.NET Core and System.Text.Json only (no test framework), so a benchmark can compile it too.
/// </summary>
public sealed class FakeTelegramApi : IAsyncDisposable, IDisposable
{
    /// <summary>Telegram's limit on a message's text.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Telegram's limit on callback_data.</summary>
    public const int MaxCallbackDataBytes = 64;

    private static readonly string[] KnownMethods =
        ["getMe", "getUpdates", "sendMessage", "sendDocument", "answerCallbackQuery", "setWebhook", "deleteWebhook", "getWebhookInfo", "getFile"];

    /// <summary>Telegram's limit on a document's caption.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>Telegram's limit on a document a bot uploads.</summary>
    public const long MaxUploadBytes = 50 * 1024 * 1024;

    /// <summary>Telegram's limit on files a bot may download.</summary>
    public const long MaxDownloadBytes = 20 * 1024 * 1024;

    /// <summary>What Telegram sends when allowed_updates was never given.</summary>
    private static readonly HashSet<string> NotSentByDefault = ["chat_member", "message_reaction", "message_reaction_count"];

    private static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FakeTelegramApiOptions _options;
    private readonly TimeProvider _time;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<QueuedUpdate> _updates = [];
    private readonly List<FakeSentMessage> _sent = [];
    private readonly Dictionary<string, List<FakeSentMessage>> _sentByChat = new(StringComparer.Ordinal);
    private readonly List<FakeCallbackAnswer> _answers = [];
    private readonly HashSet<string> _answeredIds = new(StringComparer.Ordinal);
    private readonly List<FakeWebhookRegistration> _webhookCalls = [];
    private readonly Dictionary<string, int> _calls = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _faultsServed = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FaultRule> _faults = [];
    private readonly Dictionary<string, (string Path, byte[] Content)> _files = new(StringComparer.Ordinal);
    private int _fileDownloads;
    private readonly Dictionary<string, TokenBucket> _chatBuckets = new(StringComparer.Ordinal);
    private TokenBucket? _globalBucket;
    private TaskCompletionSource _changed = NewSignal();
    private IReadOnlyList<string> _allowedUpdates = [];
    private FakeWebhookRegistration? _webhook;
    private long _nextUpdateId = 100_000;
    private long _nextMessageId;
    private long _confirmedOffset;
    private long _pollGeneration;
    private int _tooManyRequests;
    private int _rateLimited;
    private int _rejectedAnswers;
    private int _filteredUpdates;
    private int _disposed;

    private FakeTelegramApi(FakeTelegramApiOptions options)
    {
        _options = options;
        _time = options.Time;
        BotId = options.BotId ?? ParseBotId(options.Token);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(FakeTelegramApi).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The API base URL to give the bot (Telegram:ApiBaseUrl), e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public string Token => _options.Token;

    public long BotId { get; }

    public string BotUsername => _options.BotUsername;

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeTelegramApi> StartAsync(FakeTelegramApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        var api = new FakeTelegramApi(options ?? new FakeTelegramApiOptions());
        try
        {
            await api._app.StartAsync(cancellationToken).ConfigureAwait(false);
            api.BaseUrl = api._app.Urls.First().TrimEnd('/');
            return api;
        }
        catch
        {
            await api.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ---------------------------------------------------------------- updates

    /// <summary>
    /// Queues an update for getUpdates. Without an <c>update_id</c> the next id is assigned; with one, later
    /// assigned ids continue after it. Returns the update's id.
    /// </summary>
    public long EnqueueUpdate(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var copy = new JsonObject();
        lock (_gate)
        {
            long id;
            if (update["update_id"] is JsonValue given && TryGetLong(given, out var explicitId))
            {
                id = explicitId;
                _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            }
            else
            {
                id = _nextUpdateId++;
            }
            copy["update_id"] = id;
            var type = "unknown";
            foreach (var (key, value) in update)
            {
                if (key == "update_id")
                {
                    continue;
                }
                if (type == "unknown")
                {
                    type = key;
                }
                copy[key] = value?.DeepClone();
            }
            var queued = new QueuedUpdate(id, type, copy.ToJsonString());
            var index = _updates.FindLastIndex(u => u.Id <= id) + 1;
            _updates.Insert(index, queued);
            SignalLocked();
            return id;
        }
    }

    /// <summary>Queues an update given as JSON text.</summary>
    public long EnqueueUpdate(string json) =>
        EnqueueUpdate(JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("An update must be a JSON object", nameof(json)));

    /// <summary>Queues an update given as an object (anonymous types welcome), serialised with snake_case names.</summary>
    public long EnqueueUpdate(object update) => update switch
    {
        JsonObject o => EnqueueUpdate(o),
        string s => EnqueueUpdate(s),
        _ => EnqueueUpdate(JsonSerializer.SerializeToNode(update, SnakeCase) as JsonObject
                           ?? throw new ArgumentException("An update must serialise to a JSON object", nameof(update))),
    };

    /// <summary>Updates queued and not yet confirmed by an offset.</summary>
    public int PendingUpdateCount
    {
        get
        {
            lock (_gate)
            {
                return _updates.Count;
            }
        }
    }

    /// <summary>The highest offset getUpdates was called with: every update below it is confirmed.</summary>
    public long ConfirmedOffset
    {
        get
        {
            lock (_gate)
            {
                return _confirmedOffset;
            }
        }
    }

    /// <summary>Updates dropped because they were not in the bot's allowed_updates.</summary>
    public int FilteredUpdateCount
    {
        get
        {
            lock (_gate)
            {
                return _filteredUpdates;
            }
        }
    }

    /// <summary>The allowed_updates of the last getUpdates that gave them.</summary>
    public IReadOnlyList<string> AllowedUpdates
    {
        get
        {
            lock (_gate)
            {
                return _allowedUpdates;
            }
        }
    }

    // ---------------------------------------------------------------- what the bot did

    /// <summary>Every message the server accepted, in order.</summary>
    public IReadOnlyList<FakeSentMessage> SentMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Messages accepted for one chat, in order.</summary>
    public IReadOnlyList<FakeSentMessage> MessagesTo(long chatId) => MessagesTo(Key(chatId));

    public IReadOnlyList<FakeSentMessage> MessagesTo(string chatId)
    {
        lock (_gate)
        {
            return _sentByChat.TryGetValue(chatId, out var list) ? [.. list] : [];
        }
    }

    /// <summary>How many messages the server accepted, all chats together.</summary>
    public int SentMessageCount
    {
        get
        {
            lock (_gate)
            {
                return _sent.Count;
            }
        }
    }

    /// <summary>Every accepted answerCallbackQuery, in order.</summary>
    public IReadOnlyList<FakeCallbackAnswer> CallbackAnswers
    {
        get
        {
            lock (_gate)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>Second answers to one callback query, refused with 400 as Telegram does.</summary>
    public int RejectedCallbackAnswerCount
    {
        get
        {
            lock (_gate)
            {
                return _rejectedAnswers;
            }
        }
    }

    /// <summary>Every setWebhook call with a URL, in order.</summary>
    public IReadOnlyList<FakeWebhookRegistration> WebhookRegistrations
    {
        get
        {
            lock (_gate)
            {
                return [.. _webhookCalls];
            }
        }
    }

    /// <summary>The webhook in force (null after deleteWebhook or before any setWebhook).</summary>
    public FakeWebhookRegistration? Webhook
    {
        get
        {
            lock (_gate)
            {
                return _webhook;
            }
        }
    }

    /// <summary>429 answers given, whether by the rate limits or by an injected fault.</summary>
    public int TooManyRequestsCount
    {
        get
        {
            lock (_gate)
            {
                return _tooManyRequests;
            }
        }
    }

    /// <summary>429 answers given by the rate limits alone.</summary>
    public int RateLimitedCount
    {
        get
        {
            lock (_gate)
            {
                return _rateLimited;
            }
        }
    }

    /// <summary>Calls of a method with the right token, faulted ones included (method names match case-insensitively).</summary>
    public int CallCount(string method)
    {
        lock (_gate)
        {
            return _calls.GetValueOrDefault(method);
        }
    }

    /// <summary>Injected faults served for a method.</summary>
    public int FaultCount(string method)
    {
        lock (_gate)
        {
            return _faultsServed.GetValueOrDefault(method);
        }
    }

    // ---------------------------------------------------------------- waiting

    /// <summary>Waits until the chat has received at least <paramref name="count"/> messages; returns all of them.</summary>
    public async Task<IReadOnlyList<FakeSentMessage>> WaitForMessagesAsync(long chatId, int count, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FakeSentMessage> messages = [];
        await WaitUntilAsync(() => (messages = MessagesTo(chatId)).Count >= count, timeout,
            () => $"chat {chatId} to receive {count} message(s); it received {messages.Count}: "
                  + string.Join(" | ", messages.Select(m => Shorten(m.Text))),
            cancellationToken).ConfigureAwait(false);
        return messages;
    }

    /// <summary>Waits until a callback query has been answered; returns the answer.</summary>
    public async Task<FakeCallbackAnswer> WaitForCallbackAnswerAsync(string callbackQueryId, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        FakeCallbackAnswer? answer = null;
        await WaitUntilAsync(() => (answer = CallbackAnswers.FirstOrDefault(a => a.CallbackQueryId == callbackQueryId)) is not null,
            timeout, () => $"callback query {callbackQueryId} to be answered", cancellationToken).ConfigureAwait(false);
        return answer!;
    }

    /// <summary>Waits until a method has been called at least <paramref name="count"/> times.</summary>
    public Task WaitForCallsAsync(string method, int count, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => CallCount(method) >= count, timeout,
            () => $"{count} call(s) of {method}; there were {CallCount(method)}", cancellationToken);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking whenever the server's state changes;
    /// throws <see cref="TimeoutException"/> naming what was awaited when the time is up.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            if (condition())
            {
                return;
            }
            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Fake Telegram waited {timeout.TotalSeconds:0.#} s for {describe()}");
            }
            try
            {
                await changed.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // one last look at the condition above
            }
        }
    }

    // ---------------------------------------------------------------- faults

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> fail with <paramref name="fault"/>.</summary>
    public void FailNext(string method, FakeFault fault, int count = 1) => AddFault(new FaultRule(method, null, fault, count));

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> for one chat (by chat_id) fail.</summary>
    public void FailNextForChat(long chatId, FakeFault fault, int count = 1, string method = "sendMessage") =>
        AddFault(new FaultRule(method, Key(chatId), fault, count));

    /// <summary>Every call of <paramref name="method"/> fails until <see cref="ClearFaults"/>.</summary>
    public void FailAlways(string method, FakeFault fault) => AddFault(new FaultRule(method, null, fault, int.MaxValue));

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    private void AddFault(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule.Fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Remaining, 1);
        lock (_gate)
        {
            _faults.Add(rule);
        }
    }

    // ---------------------------------------------------------------- lifetime

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // ---------------------------------------------------------------- files

    /// <summary>Makes a file the bot can fetch with getFile and download from <c>/file/bot{token}/{file_path}</c>.</summary>
    public void RegisterFile(string fileId, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        lock (_gate)
        {
            _files[fileId] = ($"documents/file_{_files.Count}.csv", content);
        }
    }

    /// <summary>How many file downloads were served.</summary>
    public int FileDownloads
    {
        get
        {
            lock (_gate)
            {
                return _fileDownloads;
            }
        }
    }

    private async Task GetFileAsync(HttpContext http, JsonObject args, CancellationToken ct)
    {
        (string Path, byte[] Content) file;
        lock (_gate)
        {
            if (!_files.TryGetValue(args["file_id"]?.ToString() ?? string.Empty, out file))
            {
                file = (string.Empty, []);
            }
        }
        if (file.Path.Length == 0)
        {
            await WriteErrorAsync(http, 400, "Bad Request: invalid file_id", ct).ConfigureAwait(false);
            return;
        }
        if (file.Content.Length > MaxDownloadBytes)
        {
            await WriteErrorAsync(http, 400, "Bad Request: file is too big", ct).ConfigureAwait(false);
            return;
        }
        await WriteResultAsync(http, new JsonObject
        {
            ["file_id"] = args["file_id"]?.ToString(),
            ["file_unique_id"] = "u" + file.Path.GetHashCode(StringComparison.Ordinal).ToString(CultureInfo.InvariantCulture),
            ["file_size"] = file.Content.Length,
            ["file_path"] = file.Path,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>"/file/bot{token}/{file_path}": the file's bytes.</summary>
    private async Task DownloadAsync(HttpContext http, string path, CancellationToken ct)
    {
        var slash = path.IndexOf('/', "/file/bot".Length);
        var token = slash < 0 ? string.Empty : Uri.UnescapeDataString(path["/file/bot".Length..slash]);
        var filePath = slash < 0 ? string.Empty : path[(slash + 1)..];
        byte[]? content = null;
        lock (_gate)
        {
            if (string.Equals(token, _options.Token, StringComparison.Ordinal))
            {
                content = _files.Values.FirstOrDefault(f => f.Path == filePath).Content;
                _fileDownloads += content is null ? 0 : 1;
            }
        }
        if (content is null)
        {
            http.Response.StatusCode = 404;
            return;
        }
        http.Response.ContentType = "application/octet-stream";
        http.Response.ContentLength = content.Length;
        await http.Response.Body.WriteAsync(content, ct).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- the server

    private async Task HandleAsync(HttpContext http)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        var ct = aborted.Token;
        if (http.Request.Path.Value is { } filePath && filePath.StartsWith("/file/bot", StringComparison.Ordinal))
        {
            await DownloadAsync(http, filePath, ct).ConfigureAwait(false);
            return;
        }
        if (!TryParsePath(http.Request.Path.Value, out var token, out var method))
        {
            await WriteErrorAsync(http, 404, "Not Found", ct).ConfigureAwait(false);
            return;
        }
        if (!string.Equals(token, _options.Token, StringComparison.Ordinal))
        {
            await WriteErrorAsync(http, 401, "Unauthorized", ct).ConfigureAwait(false);
            return;
        }
        method = KnownMethods.FirstOrDefault(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) ?? method;
        JsonObject args;
        Dictionary<string, FakeDocument> files;
        try
        {
            (args, files) = await ReadArgumentsAsync(http.Request, ct).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            Count(method);
            await WriteErrorAsync(http, 400, "Bad Request: can't parse JSON object", ct).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        FakeFault? fault;
        lock (_gate)
        {
            _calls[method] = _calls.GetValueOrDefault(method) + 1;
            fault = TakeFaultLocked(method, ChatKey(args));
            if (fault is not null)
            {
                _faultsServed[method] = _faultsServed.GetValueOrDefault(method) + 1;
                if (fault.Kind == FakeFaultKind.TooManyRequests)
                {
                    _tooManyRequests++;
                }
            }
            SignalLocked();
        }
        try
        {
            if (fault is not null)
            {
                await ServeFaultAsync(http, fault, ct).ConfigureAwait(false);
                return;
            }
            switch (method)
            {
                case "getMe":
                    await WriteResultAsync(http, BotUser(), ct).ConfigureAwait(false);
                    return;
                case "getUpdates":
                    await GetUpdatesAsync(http, args, ct).ConfigureAwait(false);
                    return;
                case "sendMessage":
                    await SendMessageAsync(http, args, ct).ConfigureAwait(false);
                    return;
                case "sendDocument":
                    await SendDocumentAsync(http, args, files, ct).ConfigureAwait(false);
                    return;
                case "answerCallbackQuery":
                    await AnswerCallbackQueryAsync(http, args, ct).ConfigureAwait(false);
                    return;
                case "setWebhook":
                    await SetWebhookAsync(http, args, ct).ConfigureAwait(false);
                    return;
                case "deleteWebhook":
                    DeleteWebhook(args);
                    await WriteResultAsync(http, true, ct).ConfigureAwait(false);
                    return;
                case "getWebhookInfo":
                    await WriteResultAsync(http, WebhookInfo(), ct).ConfigureAwait(false);
                    return;
                case "getFile":
                    await GetFileAsync(http, args, ct).ConfigureAwait(false);
                    return;
                default:
                    await WriteErrorAsync(http, 404, "Not Found", ct).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away or the server is stopping: nobody to answer
        }
    }

    private async Task GetUpdatesAsync(HttpContext http, JsonObject args, CancellationToken ct)
    {
        long generation;
        lock (_gate)
        {
            if (_webhook is not null)
            {
                generation = -1;
            }
            else
            {
                generation = ++_pollGeneration;
                ConfirmLocked(GetLong(args, "offset"));
                if (GetStringList(args, "allowed_updates") is { } allowed)
                {
                    _allowedUpdates = allowed;
                }
                SignalLocked(); // an older long poll still waiting is terminated, as Telegram does
            }
        }
        if (generation < 0)
        {
            await WriteErrorAsync(http, 409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", ct)
                .ConfigureAwait(false);
            return;
        }
        var limit = (int)Math.Clamp(GetLong(args, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Clamp(GetLong(args, "timeout") ?? 0, 0, 3600));
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            Task changed;
            List<QueuedUpdate> batch;
            bool terminated;
            lock (_gate)
            {
                terminated = generation != _pollGeneration;
                batch = terminated ? [] : TakeBatchLocked(limit);
                changed = _changed.Task;
            }
            if (terminated)
            {
                await WriteErrorAsync(http, 409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", ct)
                    .ConfigureAwait(false);
                return;
            }
            if (batch.Count > 0)
            {
                await WriteRawResultAsync(http, "[" + string.Join(',', batch.Select(u => u.Json)) + "]", ct).ConfigureAwait(false);
                return;
            }
            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                await WriteRawResultAsync(http, "[]", ct).ConfigureAwait(false);
                return;
            }
            try
            {
                await changed.WaitAsync(remaining, _time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // answer with what is there (probably nothing) on the next turn
            }
        }
    }

    private void ConfirmLocked(long? offset)
    {
        switch (offset)
        {
            case > 0:
                _updates.RemoveAll(u => u.Id < offset.Value);
                _confirmedOffset = Math.Max(_confirmedOffset, offset.Value);
                break;
            case < 0:
                // A negative offset keeps only the last -offset updates and forgets the rest.
                var keep = (int)Math.Min(_updates.Count, -offset.Value);
                _updates.RemoveRange(0, _updates.Count - keep);
                break;
        }
    }

    private List<QueuedUpdate> TakeBatchLocked(int limit)
    {
        var batch = new List<QueuedUpdate>();
        for (var i = 0; i < _updates.Count && batch.Count < limit;)
        {
            var update = _updates[i];
            var allowed = _allowedUpdates.Count > 0
                ? _allowedUpdates.Contains(update.Type, StringComparer.Ordinal)
                : !NotSentByDefault.Contains(update.Type);
            if (!allowed)
            {
                // Telegram never delivers an update type the bot did not ask for.
                _updates.RemoveAt(i);
                _filteredUpdates++;
                continue;
            }
            batch.Add(update);
            i++;
        }
        return batch;
    }

    private async Task SendMessageAsync(HttpContext http, JsonObject args, CancellationToken ct)
    {
        var chatId = ChatKey(args);
        var text = GetString(args, "text");
        if (chatId is null)
        {
            await WriteErrorAsync(http, 400, "Bad Request: chat_id is empty", ct).ConfigureAwait(false);
            return;
        }
        if (string.IsNullOrEmpty(text))
        {
            await WriteErrorAsync(http, 400, "Bad Request: message text is empty", ct).ConfigureAwait(false);
            return;
        }
        if (text.Length > MaxTextLength)
        {
            await WriteErrorAsync(http, 400, "Bad Request: message is too long", ct).ConfigureAwait(false);
            return;
        }
        JsonObject? markup;
        try
        {
            markup = GetJson(args, "reply_markup") as JsonObject;
        }
        catch (JsonException)
        {
            await WriteErrorAsync(http, 400, "Bad Request: can't parse reply keyboard markup JSON object", ct).ConfigureAwait(false);
            return;
        }
        var badButton = new FakeSentMessage(0, chatId, text, markup, default).Buttons
            .FirstOrDefault(b => b.CallbackData is { } data && (data.Length == 0 || Encoding.UTF8.GetByteCount(data) > MaxCallbackDataBytes));
        if (badButton is not null)
        {
            await WriteErrorAsync(http, 400, "Bad Request: BUTTON_DATA_INVALID", ct).ConfigureAwait(false);
            return;
        }

        FakeSentMessage message;
        int retryAfter;
        lock (_gate)
        {
            retryAfter = TakeSendTokenLocked(chatId);
            if (retryAfter > 0)
            {
                _tooManyRequests++;
                _rateLimited++;
                SignalLocked();
                message = null!;
            }
            else
            {
                message = new FakeSentMessage(++_nextMessageId, chatId, text, markup, _time.GetUtcNow());
                _sent.Add(message);
                if (!_sentByChat.TryGetValue(chatId, out var chatMessages))
                {
                    chatMessages = [];
                    _sentByChat[chatId] = chatMessages;
                }
                chatMessages.Add(message);
                SignalLocked();
            }
        }
        if (retryAfter > 0)
        {
            await WriteErrorAsync(http, 429, $"Too Many Requests: retry after {retryAfter}", ct, retryAfter).ConfigureAwait(false);
            return;
        }
        var result = new JsonObject
        {
            ["message_id"] = message.MessageId,
            ["from"] = BotUser(),
            ["chat"] = Chat(chatId),
            ["date"] = message.At.ToUnixTimeSeconds(),
            ["text"] = text,
        };
        if (markup is not null)
        {
            result["reply_markup"] = markup.DeepClone();
        }
        await WriteResultAsync(http, result, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// sendDocument as multipart/form-data: the file in the <c>document</c> part (or a part named by <c>attach://name</c>), the
    /// caption up to 1,024 characters. Recorded among the sent messages (the caption as its text) under the same flood limits.
    /// </summary>
    private async Task SendDocumentAsync(HttpContext http, JsonObject args, Dictionary<string, FakeDocument> files, CancellationToken ct)
    {
        var chatId = ChatKey(args);
        var caption = GetString(args, "caption") ?? string.Empty;
        if (chatId is null)
        {
            await WriteErrorAsync(http, 400, "Bad Request: chat_id is empty", ct).ConfigureAwait(false);
            return;
        }
        var reference = GetString(args, "document");
        var document = files.GetValueOrDefault("document")
                       ?? (reference is not null && reference.StartsWith("attach://", StringComparison.Ordinal)
                           ? files.GetValueOrDefault(reference["attach://".Length..]) : null);
        if (document is null)
        {
            await WriteErrorAsync(http, 400, "Bad Request: there is no document in the request", ct).ConfigureAwait(false);
            return;
        }
        if (document.Content.Length == 0)
        {
            await WriteErrorAsync(http, 400, "Bad Request: file must be non-empty", ct).ConfigureAwait(false);
            return;
        }
        if (document.Content.Length > MaxUploadBytes)
        {
            await WriteErrorAsync(http, 413, "Request Entity Too Large", ct).ConfigureAwait(false);
            return;
        }
        if (caption.Length > MaxCaptionLength)
        {
            await WriteErrorAsync(http, 400, "Bad Request: message caption is too long", ct).ConfigureAwait(false);
            return;
        }
        JsonObject? markup;
        try
        {
            markup = GetJson(args, "reply_markup") as JsonObject;
        }
        catch (JsonException)
        {
            await WriteErrorAsync(http, 400, "Bad Request: can't parse reply keyboard markup JSON object", ct).ConfigureAwait(false);
            return;
        }
        FakeSentMessage message;
        int retryAfter;
        lock (_gate)
        {
            retryAfter = TakeSendTokenLocked(chatId);
            if (retryAfter > 0)
            {
                _tooManyRequests++;
                _rateLimited++;
                SignalLocked();
                message = null!;
            }
            else
            {
                message = new FakeSentMessage(++_nextMessageId, chatId, caption, markup, _time.GetUtcNow()) { Document = document };
                _sent.Add(message);
                if (!_sentByChat.TryGetValue(chatId, out var chatMessages))
                {
                    chatMessages = [];
                    _sentByChat[chatId] = chatMessages;
                }
                chatMessages.Add(message);
                SignalLocked();
            }
        }
        if (retryAfter > 0)
        {
            await WriteErrorAsync(http, 429, $"Too Many Requests: retry after {retryAfter}", ct, retryAfter).ConfigureAwait(false);
            return;
        }
        var result = new JsonObject
        {
            ["message_id"] = message.MessageId,
            ["from"] = BotUser(),
            ["chat"] = Chat(chatId),
            ["date"] = message.At.ToUnixTimeSeconds(),
            ["document"] = new JsonObject
            {
                ["file_id"] = "doc" + message.MessageId.ToString(CultureInfo.InvariantCulture),
                ["file_unique_id"] = "udoc" + message.MessageId.ToString(CultureInfo.InvariantCulture),
                ["file_name"] = document.FileName,
                ["file_size"] = document.Content.Length,
            },
        };
        if (caption.Length > 0)
        {
            result["caption"] = caption;
        }
        if (markup is not null)
        {
            result["reply_markup"] = markup.DeepClone();
        }
        await WriteResultAsync(http, result, ct).ConfigureAwait(false);
    }

    /// <summary>0 when the send may go now; otherwise the seconds to wait (never below 1, as Telegram says it).</summary>
    private int TakeSendTokenLocked(string chatId)
    {
        if (_options.RateLimits is not { } limits)
        {
            return 0;
        }
        var now = _time.GetTimestamp();
        _globalBucket ??= new TokenBucket(Math.Max(1, limits.GlobalPerSecond), limits.GlobalPerSecond, now, _time);
        if (!_chatBuckets.TryGetValue(chatId, out var chat))
        {
            chat = new TokenBucket(Math.Max(1, limits.PerChatBurst), limits.PerChatPerSecond, now, _time);
            _chatBuckets[chatId] = chat;
        }
        var wait = Math.Max(_globalBucket.SecondsUntilToken(now), chat.SecondsUntilToken(now));
        if (wait > 0)
        {
            return (int)Math.Max(1, Math.Ceiling(wait));
        }
        _globalBucket.Take();
        chat.Take();
        return 0;
    }

    private async Task AnswerCallbackQueryAsync(HttpContext http, JsonObject args, CancellationToken ct)
    {
        var id = GetString(args, "callback_query_id");
        if (string.IsNullOrEmpty(id))
        {
            await WriteErrorAsync(http, 400, "Bad Request: parameter \"callback_query_id\" is required", ct).ConfigureAwait(false);
            return;
        }
        bool accepted;
        lock (_gate)
        {
            accepted = _answeredIds.Add(id);
            if (accepted)
            {
                _answers.Add(new FakeCallbackAnswer(id, GetString(args, "text"), GetBool(args, "show_alert"), _time.GetUtcNow()));
            }
            else
            {
                _rejectedAnswers++;
            }
            SignalLocked();
        }
        if (!accepted)
        {
            await WriteErrorAsync(http, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid", ct)
                .ConfigureAwait(false);
            return;
        }
        await WriteResultAsync(http, true, ct).ConfigureAwait(false);
    }

    private async Task SetWebhookAsync(HttpContext http, JsonObject args, CancellationToken ct)
    {
        var url = GetString(args, "url");
        var secret = GetString(args, "secret_token");
        if (secret is not null && !IsValidSecret(secret))
        {
            await WriteErrorAsync(http, 400, "Bad Request: secret token contains unallowed characters", ct).ConfigureAwait(false);
            return;
        }
        if (!string.IsNullOrEmpty(url) && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            await WriteErrorAsync(http, 400, "Bad Request: bad webhook: invalid URL", ct).ConfigureAwait(false);
            return;
        }
        lock (_gate)
        {
            if (GetBool(args, "drop_pending_updates"))
            {
                _updates.Clear();
            }
            if (string.IsNullOrEmpty(url))
            {
                _webhook = null; // an empty URL removes the webhook
            }
            else
            {
                var registration = new FakeWebhookRegistration(url, secret, GetStringList(args, "allowed_updates") ?? [], _time.GetUtcNow());
                _webhookCalls.Add(registration);
                _webhook = registration;
                _pollGeneration++; // a long poll in progress ends with a conflict
            }
            SignalLocked();
        }
        await WriteResultAsync(http, true, ct).ConfigureAwait(false);
    }

    private void DeleteWebhook(JsonObject args)
    {
        lock (_gate)
        {
            _webhook = null;
            if (GetBool(args, "drop_pending_updates"))
            {
                _updates.Clear();
            }
            SignalLocked();
        }
    }

    private JsonObject WebhookInfo()
    {
        lock (_gate)
        {
            var info = new JsonObject
            {
                ["url"] = _webhook?.Url ?? string.Empty,
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = _updates.Count,
            };
            if (_webhook is { AllowedUpdates.Count: > 0 } hook)
            {
                info["allowed_updates"] = new JsonArray(hook.AllowedUpdates.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
            }
            return info;
        }
    }

    private async Task ServeFaultAsync(HttpContext http, FakeFault fault, CancellationToken ct)
    {
        switch (fault.Kind)
        {
            case FakeFaultKind.Timeout:
                try
                {
                    await Task.Delay(fault.Hold ?? _options.MaxHold, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                http.Abort();
                return;
            case FakeFaultKind.CloseConnection:
                http.Abort();
                return;
            case FakeFaultKind.MalformedJson:
                http.Response.StatusCode = 200;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(fault.Description, ct).ConfigureAwait(false);
                return;
            case FakeFaultKind.TooManyRequests:
                await WriteErrorAsync(http, 429, fault.Description, ct, Math.Max(1, fault.RetryAfterSeconds)).ConfigureAwait(false);
                return;
            default:
                await WriteErrorAsync(http, fault.StatusCode, fault.Description, ct).ConfigureAwait(false);
                return;
        }
    }

    private FakeFault? TakeFaultLocked(string method, string? chatId)
    {
        foreach (var rule in _faults)
        {
            if (rule.Remaining > 0
                && string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)
                && (rule.ChatId is null || rule.ChatId == chatId))
            {
                if (rule.Remaining != int.MaxValue)
                {
                    rule.Remaining--;
                }
                return rule.Fault;
            }
        }
        return null;
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = _options.BotFirstName,
        ["username"] = _options.BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private static JsonObject Chat(string chatId)
    {
        if (!long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return new JsonObject { ["id"] = -1_001_000_000_001L, ["type"] = "channel", ["title"] = chatId, ["username"] = chatId.TrimStart('@') };
        }
        return id switch
        {
            > 0 => new JsonObject { ["id"] = id, ["type"] = "private", ["first_name"] = "User" },
            <= -1_000_000_000_000 => new JsonObject { ["id"] = id, ["type"] = "supergroup", ["title"] = "Group" },
            _ => new JsonObject { ["id"] = id, ["type"] = "group", ["title"] = "Group" },
        };
    }

    private void SignalLocked()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private void Count(string method)
    {
        lock (_gate)
        {
            _calls[method] = _calls.GetValueOrDefault(method) + 1;
            SignalLocked();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // ---------------------------------------------------------------- HTTP and JSON helpers

    /// <summary>"/bot{token}/{method}" → token and method.</summary>
    private static bool TryParsePath(string? path, out string token, out string method)
    {
        token = method = string.Empty;
        if (path is null || !path.StartsWith("/bot", StringComparison.Ordinal))
        {
            return false;
        }
        var slash = path.IndexOf('/', 4);
        if (slash < 0 || slash == path.Length - 1 || path.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }
        token = Uri.UnescapeDataString(path[4..slash]);
        method = path[(slash + 1)..];
        return true;
    }

    /// <summary>The call's arguments (query, form or JSON body) and, for a multipart upload, its files by field name.</summary>
    private static async Task<(JsonObject Args, Dictionary<string, FakeDocument> Files)> ReadArgumentsAsync(HttpRequest request, CancellationToken ct)
    {
        var args = new JsonObject();
        var files = new Dictionary<string, FakeDocument>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            args[key] = value.ToString();
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct).ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                args[key] = value.ToString();
            }
            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
                files[file.Name] = new FakeDocument(file.FileName, buffer.ToArray());
            }
            return (args, files);
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body))
        {
            return (args, files);
        }
        if (JsonNode.Parse(body) is not JsonObject json)
        {
            throw new JsonException("The body is not a JSON object");
        }
        foreach (var (key, value) in json)
        {
            args[key] = value?.DeepClone();
        }
        return (args, files);
    }

    private static Task WriteResultAsync(HttpContext http, JsonNode result, CancellationToken ct) =>
        WriteRawResultAsync(http, result.ToJsonString(), ct);

    private static Task WriteResultAsync(HttpContext http, bool result, CancellationToken ct) =>
        WriteRawResultAsync(http, result ? "true" : "false", ct);

    private static async Task WriteRawResultAsync(HttpContext http, string resultJson, CancellationToken ct)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"ok\":true,\"result\":" + resultJson + "}", ct).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext http, int status, string description, CancellationToken ct, int? retryAfter = null)
    {
        var body = new JsonObject
        {
            ["ok"] = false,
            ["error_code"] = status,
            ["description"] = description,
        };
        if (retryAfter is { } seconds)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), ct).ConfigureAwait(false);
    }

    private static string? ChatKey(JsonObject args) => args["chat_id"] switch
    {
        JsonValue v when TryGetLong(v, out var id) => Key(id),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
        _ => null,
    };

    private static string Key(long chatId) => chatId.ToString(CultureInfo.InvariantCulture);

    private static string? GetString(JsonObject args, string name) => args[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };

    private static long? GetLong(JsonObject args, string name) =>
        args[name] is JsonValue v && TryGetLong(v, out var value) ? value : null;

    private static bool TryGetLong(JsonValue value, out long result)
    {
        if (value.TryGetValue(out result))
        {
            return true;
        }
        if (value.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e18)
        {
            result = (long)d;
            return true;
        }
        return value.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    private static bool GetBool(JsonObject args, string name) => args[name] switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s is "true" or "True" or "1",
        _ => false,
    };

    /// <summary>An object or array argument, given inline (JSON body) or as JSON text (form, query).</summary>
    private static JsonNode? GetJson(JsonObject args, string name) => args[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? null : JsonNode.Parse(s),
        var node => node,
    };

    private static List<string>? GetStringList(JsonObject args, string name)
    {
        JsonNode? node;
        try
        {
            node = GetJson(args, name);
        }
        catch (JsonException)
        {
            return null;
        }
        return node is JsonArray array
            ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList()
            : null;
    }

    private static bool IsValidSecret(string secret) =>
        secret.Length is >= 1 and <= 256 && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static long ParseBotId(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 1;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private sealed record QueuedUpdate(long Id, string Type, string Json);

    private sealed class FaultRule(string method, string? chatId, FakeFault fault, int remaining)
    {
        public string Method { get; } = method;
        public string? ChatId { get; } = chatId;
        public FakeFault Fault { get; } = fault;
        public int Remaining { get; set; } = remaining;
    }

    /// <summary>A token bucket refilled continuously.</summary>
    private sealed class TokenBucket
    {
        private readonly double _capacity;
        private readonly double _perSecond;
        private readonly TimeProvider _time;
        private double _tokens;
        private long _last;

        public TokenBucket(double capacity, double perSecond, long start, TimeProvider time)
        {
            _capacity = capacity;
            _perSecond = perSecond;
            _time = time;
            _tokens = capacity;
            _last = start;
        }

        public double SecondsUntilToken(long now)
        {
            _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
            _last = now;
            return _tokens >= 1 ? 0 : _perSecond <= 0 ? 3600 : (1 - _tokens) / _perSecond;
        }

        public void Take() => _tokens -= 1;
    }
}
