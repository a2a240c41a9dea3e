using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsultBot.Tests.Fakes;

/// <summary>What a fake VK call does instead of answering normally.</summary>
public enum FakeVkFault
{
    /// <summary>Answers <c>{"error":{"error_code":Code}}</c>.</summary>
    Error,
    /// <summary>HTTP 500.</summary>
    ServerError,
    /// <summary>Holds the request longer than any client timeout, then answers.</summary>
    Timeout,
    /// <summary>HTTP 200 with a body that is not JSON.</summary>
    Malformed,
    /// <summary>The connection is dropped without an answer (VK or the network in between unreachable).</summary>
    Unreachable,
}

public sealed record FakeVkMessage(long PeerId, string Text, JsonObject? Keyboard, long RandomId, long MessageId)
{
    /// <summary>The document attached (uploaded with docs.getMessagesUploadServer, the upload server and docs.save), if any.</summary>
    public FakeDocument? Document { get; init; }

    /// <summary>When the fake took the message.</summary>
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The button with this label, with our callback data taken out of its JSON payload.</summary>
    public (string Label, JsonObject Payload) Button(string label)
    {
        foreach (var button in Buttons())
        {
            if (button.Label == label)
            {
                return button;
            }
        }
        throw new InvalidOperationException($"No button \"{label}\" under \"{Text}\"; buttons: {string.Join(", ", Buttons().Select(b => b.Label))}");
    }

    public IEnumerable<(string Label, JsonObject Payload)> Buttons() =>
        (Keyboard?["buttons"] as JsonArray ?? []).OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>())
            .Select(b => (b["action"]!["label"]!.GetValue<string>(), (JsonObject)JsonNode.Parse(b["action"]!["payload"]!.GetValue<string>())!));
}

public sealed record FakeVkEventAnswer(string EventId, long UserId, long PeerId, string? EventData);

public sealed class FakeVkApiOptions
{
    public string AccessToken { get; init; } = "vk1.a.fake-community-token-0123456789";
    public long GroupId { get; init; } = 227000001;
    /// <summary>VK's limit per community token; above it calls get error 6. 0 turns the limit off.</summary>
    public int RequestsPerSecond { get; init; } = 20;
    /// <summary>How long a <see cref="FakeVkFault.Timeout"/> holds a request.</summary>
    public TimeSpan TimeoutDelay { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A fake VK API on 127.0.0.1 for end-to-end tests and benchmarks: <c>POST {BaseUrl}/{method}</c> with form arguments,
/// answered in VK's envelope, and a Bots Long Poll server at <c>{Root}/lp</c> serving queued events. It records what
/// the bot sends (dropping a repeated random_id per peer, as VK does), checks keyboards against VK's inline limits,
/// enforces the 20 requests/s limit with error 6 and fails chosen calls on demand.
/// </summary>
public sealed class FakeVkApi : IAsyncDisposable
{
    private readonly FakeVkApiOptions _options;
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _events = [];
    private readonly List<FakeVkMessage> _sent = [];
    private readonly List<FakeVkMessage> _edits = [];
    private readonly List<FakeVkEventAnswer> _answers = [];
    private readonly HashSet<(long Peer, long RandomId)> _randomIds = [];
    private readonly List<(string Method, FakeVkFault Fault, int Code)> _faults = [];
    private (FakeVkFault Fault, int Code)? _outage;
    private readonly Dictionary<string, int> _faultsServed = new(StringComparer.Ordinal);
    private readonly List<(string Method, DateTimeOffset At)> _arrivals = [];
    private readonly Queue<int> _longPollFailures = new();
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Queue<DateTime> _window = new();
    private readonly Dictionary<string, FakeDocument> _uploads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeDocument> _documents = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _firstTs = 1;
    private int _keyGeneration = 1;
    private long _nextMessageId = 1;
    private long _nextEventId = 1;
    private int _tooManyRequests;
    private int _duplicatesDropped;
    private int _longPollFailuresServed;

    private FakeVkApi(FakeVkApiOptions options)
    {
        _options = options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(FakeVkApi).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Root { get; private set; } = string.Empty;

    /// <summary>What the bot gets as Vk:ApiBaseUrl.</summary>
    public string BaseUrl => Root + "/method";

    public string AccessToken => _options.AccessToken;

    public long GroupId => _options.GroupId;

    public static async Task<FakeVkApi> StartAsync(FakeVkApiOptions? options = null)
    {
        var api = new FakeVkApi(options ?? new FakeVkApiOptions());
        await api._app.StartAsync();
        api.Root = api._app.Urls.First().TrimEnd('/');
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    // ---------------------------------------------------------------- what tests look at

    public IReadOnlyList<FakeVkMessage> Sent { get { lock (_gate) { return [.. _sent]; } } }

    public IReadOnlyList<FakeVkMessage> Edits { get { lock (_gate) { return [.. _edits]; } } }

    public IReadOnlyList<FakeVkEventAnswer> Answers { get { lock (_gate) { return [.. _answers]; } } }

    /// <summary>Calls answered with error 6 by the rate limit (not by injected faults).</summary>
    public int TooManyRequests { get { lock (_gate) { return _tooManyRequests; } } }

    /// <summary>messages.send calls VK would drop because their random_id was seen for that peer.</summary>
    public int DuplicatesDropped { get { lock (_gate) { return _duplicatesDropped; } } }

    /// <summary>Injected long poll failures answered so far.</summary>
    public int LongPollFailuresServed { get { lock (_gate) { return _longPollFailuresServed; } } }

    public int Calls(string method) { lock (_gate) { return _calls.GetValueOrDefault(method); } }

    /// <summary>Calls of <paramref name="method"/> answered with an injected fault (one-off or the outage's).</summary>
    public int FaultCount(string method) { lock (_gate) { return _faultsServed.GetValueOrDefault(method); } }

    /// <summary>
    /// Every API call that got past the injected faults (the ones the rate limit counts, error 6 included), with the
    /// moment it arrived: what VK's one-second window sees.
    /// </summary>
    public IReadOnlyList<(string Method, DateTimeOffset At)> Arrivals { get { lock (_gate) { return [.. _arrivals]; } } }

    public IReadOnlyList<FakeVkMessage> SentTo(long peerId) { lock (_gate) { return _sent.Where(m => m.PeerId == peerId).ToList(); } }

    public async Task<IReadOnlyList<FakeVkMessage>> WaitForMessagesAsync(long peerId, int count, TimeSpan patience)
    {
        await WaitUntilAsync(() => SentTo(peerId).Count >= count, patience, () => $"{count} messages to {peerId}, have {SentTo(peerId).Count}: "
            + string.Join(" | ", SentTo(peerId).Select(m => m.Text)));
        return SentTo(peerId);
    }

    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan patience, Func<string> what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("Waited for " + what());
            }
            await Task.WhenAny(changed, Task.Delay(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200)));
        }
    }

    // ---------------------------------------------------------------- what tests do

    /// <summary>Queues an event for the long poll (with its event_id and group_id filled in when missing); returns the event.</summary>
    public JsonObject Enqueue(JsonObject update)
    {
        lock (_gate)
        {
            Stamp(update);
            _events.Add(update);
            Signal();
        }
        return update;
    }

    /// <summary>Gives an event VK's envelope fields (event_id, group_id, v) without queueing it, for Callback API posts.</summary>
    public JsonObject Stamp(JsonObject update)
    {
        lock (_gate)
        {
            update["event_id"] ??= "ev" + (_nextEventId++).ToString("x8", CultureInfo.InvariantCulture);
            update["group_id"] ??= _options.GroupId;
            update["v"] ??= "5.199";
        }
        return update;
    }

    /// <summary>The next a_check answers <c>{"failed":n}</c> (1: with the current ts; 2: the key expires; 3: key and history expire).</summary>
    public void FailLongPoll(int failed)
    {
        lock (_gate)
        {
            _longPollFailures.Enqueue(failed);
            Signal();
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> fail this way. <c>"upload"</c> is the document upload
    /// server, which answers any fault with HTTP 500.
    /// </summary>
    public void Fail(string method, FakeVkFault fault, int code = 0, int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Add((method, fault, code));
            }
        }
    }

    /// <summary>
    /// An outage: every API call (and the upload server) fails this way until <see cref="ClearFaults"/>; the one-off
    /// faults of <see cref="Fail"/> are served first.
    /// </summary>
    public void FailAlways(FakeVkFault fault, int code = 0)
    {
        lock (_gate)
        {
            _outage = (fault, code);
        }
    }

    /// <summary>Ends an outage and drops the one-off faults not served yet.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _outage = null;
            _faults.Clear();
        }
    }

    /// <summary>The fault for this call of <paramref name="method"/>, if any, counted as served. Call under the gate.</summary>
    private (FakeVkFault Fault, int Code)? TakeFault(string method)
    {
        (FakeVkFault, int)? fault = null;
        var index = _faults.FindIndex(f => f.Method == method);
        if (index >= 0)
        {
            fault = (_faults[index].Fault, _faults[index].Code);
            _faults.RemoveAt(index);
        }
        fault ??= _outage;
        if (fault is not null)
        {
            _faultsServed[method] = _faultsServed.GetValueOrDefault(method) + 1;
        }
        return fault;
    }

    // ---------------------------------------------------------------- the server

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? string.Empty;
        if (path == "/lp")
        {
            await LongPollAsync(http);
            return;
        }
        if (path == "/upload/doc")
        {
            await UploadAsync(http);
            return;
        }
        if (!path.StartsWith("/method/", StringComparison.Ordinal) || !http.Request.HasFormContentType)
        {
            http.Response.StatusCode = 404;
            return;
        }
        var method = path["/method/".Length..];
        var form = await http.Request.ReadFormAsync();
        (FakeVkFault Fault, int Code)? fault = null;
        lock (_gate)
        {
            _calls[method] = _calls.GetValueOrDefault(method) + 1;
            fault = TakeFault(method);
        }
        switch (fault?.Fault)
        {
            case FakeVkFault.Unreachable:
                http.Abort();
                return;
            case FakeVkFault.Error:
                await WriteAsync(http, Error(fault.Value.Code, "Injected error"));
                return;
            case FakeVkFault.ServerError:
                http.Response.StatusCode = 500;
                await http.Response.WriteAsync("<html>500</html>");
                return;
            case FakeVkFault.Timeout:
                // Like VK under load: a message is delivered, but the answer comes after the client gave up.
                var late = method == "messages.send" ? Send(form) : Error(10, "Internal server error: too late");
                await Task.Delay(_options.TimeoutDelay, _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                await WriteAsync(http, late);
                return;
            case FakeVkFault.Malformed:
                await http.Response.WriteAsync("{\"response\":");
                return;
        }
        if (form["access_token"].ToString() != _options.AccessToken)
        {
            await WriteAsync(http, Error(5, "User authorization failed: invalid access_token"));
            return;
        }
        if (string.IsNullOrEmpty(form["v"].ToString()))
        {
            await WriteAsync(http, Error(8, "Invalid request: v is required"));
            return;
        }
        if (!TakeRequestSlot(method))
        {
            await WriteAsync(http, Error(6, "Too many requests per second"));
            return;
        }
        await WriteAsync(http, method switch
        {
            "groups.getLongPollServer" => GetLongPollServer(form),
            "messages.send" => Send(form),
            "docs.getMessagesUploadServer" => UploadServer(form),
            "docs.save" => SaveDocument(form),
            "messages.edit" => Edit(form),
            "messages.sendMessageEventAnswer" => Answer(form),
            "users.get" => new JsonObject
            {
                ["response"] = new JsonArray(form["user_ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(id => (JsonNode)new JsonObject { ["id"] = long.Parse(id, CultureInfo.InvariantCulture), ["first_name"] = "Имя", ["last_name"] = "Фамилия" })
                    .ToArray()),
            },
            _ => Error(3, "Unknown method passed"),
        });
    }

    private bool TakeRequestSlot(string method)
    {
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            _arrivals.Add((method, now));
            if (_options.RequestsPerSecond <= 0)
            {
                return true;
            }
            while (_window.Count > 0 && now - _window.Peek() >= TimeSpan.FromSeconds(1))
            {
                _window.Dequeue();
            }
            if (_window.Count >= _options.RequestsPerSecond)
            {
                _tooManyRequests++;
                return false;
            }
            _window.Enqueue(now);
            return true;
        }
    }

    private JsonObject GetLongPollServer(IFormCollection form)
    {
        if (form["group_id"].ToString() != _options.GroupId.ToString(CultureInfo.InvariantCulture))
        {
            return Error(100, "One of the parameters specified was missing or invalid: group_id");
        }
        lock (_gate)
        {
            return new JsonObject
            {
                ["response"] = new JsonObject
                {
                    ["key"] = Key(),
                    ["server"] = Root + "/lp",
                    ["ts"] = (_firstTs + _events.Count).ToString(CultureInfo.InvariantCulture),
                },
            };
        }
    }

    private string Key() => "key" + _keyGeneration.ToString(CultureInfo.InvariantCulture);

    private JsonObject Send(IFormCollection form)
    {
        if (!long.TryParse(form["peer_id"], CultureInfo.InvariantCulture, out var peer)
            || !long.TryParse(form["random_id"], CultureInfo.InvariantCulture, out var randomId))
        {
            return Error(100, "One of the parameters specified was missing or invalid: peer_id or random_id");
        }
        var text = form["message"].ToString();
        FakeDocument? document = null;
        if (form.ContainsKey("attachment"))
        {
            lock (_gate)
            {
                if (!_documents.TryGetValue(form["attachment"].ToString(), out document))
                {
                    return Error(100, "One of the parameters specified was missing or invalid: attachment");
                }
            }
        }
        if ((text.Length == 0 && document is null) || text.Length > 4096)
        {
            return Error(100, "One of the parameters specified was missing or invalid: message");
        }
        JsonObject? keyboard = null;
        if (form.ContainsKey("keyboard"))
        {
            keyboard = JsonNode.Parse(form["keyboard"].ToString()) as JsonObject;
            if (KeyboardProblem(keyboard) is { } problem)
            {
                return Error(911, "Keyboard format is invalid: " + problem);
            }
        }
        lock (_gate)
        {
            if (!_randomIds.Add((peer, randomId)))
            {
                _duplicatesDropped++;
                return new JsonObject { ["response"] = _sent.Last(m => m.PeerId == peer && m.RandomId == randomId).MessageId };
            }
            var message = new FakeVkMessage(peer, text, keyboard, randomId, _nextMessageId++) { Document = document };
            _sent.Add(message);
            Signal();
            return new JsonObject { ["response"] = message.MessageId };
        }
    }

    /// <summary>How many files the upload server accepted (a retried send uploads its file again).</summary>
    public int Uploads { get { lock (_gate) { return _uploadCount; } } }

    private int _uploadCount;

    private JsonObject UploadServer(IFormCollection form)
    {
        if (form["type"].ToString() != "doc" || !long.TryParse(form["peer_id"], CultureInfo.InvariantCulture, out var peer))
        {
            return Error(100, "One of the parameters specified was missing or invalid: type or peer_id");
        }
        return new JsonObject
        {
            ["response"] = new JsonObject { ["upload_url"] = Root + "/upload/doc?peer=" + peer.ToString(CultureInfo.InvariantCulture) },
        };
    }

    /// <summary>The upload server: one multipart field <c>file</c>; answers <c>{"file":"…"}</c> for docs.save (or an error object).</summary>
    private async Task UploadAsync(HttpContext http)
    {
        lock (_gate)
        {
            _calls["upload"] = _calls.GetValueOrDefault("upload") + 1;
            if (TakeFault("upload") is not null)
            {
                http.Response.StatusCode = 500;
                return;
            }
        }
        if (!http.Request.HasFormContentType)
        {
            await WriteAsync(http, new JsonObject { ["error"] = "no file", ["error_descr"] = "multipart/form-data expected" });
            return;
        }
        var form = await http.Request.ReadFormAsync();
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            await WriteAsync(http, new JsonObject { ["error"] = "no file", ["error_descr"] = "the field file is missing or empty" });
            return;
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        string token;
        lock (_gate)
        {
            _uploadCount++;
            token = "upl" + _uploadCount.ToString(CultureInfo.InvariantCulture);
            _uploads[token] = new FakeDocument(file.FileName, buffer.ToArray());
        }
        await WriteAsync(http, new JsonObject { ["file"] = token });
    }

    private JsonObject SaveDocument(IFormCollection form)
    {
        lock (_gate)
        {
            if (!_uploads.Remove(form["file"].ToString(), out var upload))
            {
                return Error(100, "One of the parameters specified was missing or invalid: file");
            }
            var id = 500 + _documents.Count;
            var owner = -_options.GroupId;
            _documents[$"doc{owner.ToString(CultureInfo.InvariantCulture)}_{id.ToString(CultureInfo.InvariantCulture)}"] = upload;
            return new JsonObject
            {
                ["response"] = new JsonObject
                {
                    ["type"] = "doc",
                    ["doc"] = new JsonObject
                    {
                        ["id"] = id,
                        ["owner_id"] = owner,
                        ["title"] = form.ContainsKey("title") ? form["title"].ToString() : upload.FileName,
                        ["size"] = upload.Content.Length,
                        ["ext"] = Path.GetExtension(upload.FileName).TrimStart('.'),
                    },
                },
            };
        }
    }

    /// <summary>VK's rules for an inline keyboard of callback buttons.</summary>
    internal static string? KeyboardProblem(JsonObject? keyboard)
    {
        if (keyboard?["inline"]?.GetValue<bool>() != true || keyboard["buttons"] is not JsonArray rows)
        {
            return "not an inline keyboard";
        }
        if (rows.Count > 6)
        {
            return "more than 6 rows";
        }
        var total = 0;
        foreach (var row in rows)
        {
            if (row is not JsonArray buttons || buttons.Count is 0 or > 5)
            {
                return "a row with 0 or more than 5 buttons";
            }
            total += buttons.Count;
            foreach (var button in buttons)
            {
                var action = button?["action"];
                if (action?["type"]?.GetValue<string>() != "callback")
                {
                    return "not a callback button";
                }
                if (action["label"]?.GetValue<string>() is not { Length: > 0 and <= 40 })
                {
                    return "label empty or longer than 40";
                }
                if (action["payload"]?.GetValue<string>() is not { } payload || Encoding.UTF8.GetByteCount(payload) > 255)
                {
                    return "payload missing or longer than 255";
                }
            }
        }
        return total > 10 ? "more than 10 buttons" : null;
    }

    private JsonObject Edit(IFormCollection form)
    {
        lock (_gate)
        {
            _edits.Add(new FakeVkMessage(long.Parse(form["peer_id"].ToString(), CultureInfo.InvariantCulture), form["message"].ToString(),
                form.ContainsKey("keyboard") ? JsonNode.Parse(form["keyboard"].ToString()) as JsonObject : null, 0,
                long.Parse(form["message_id"].ToString(), CultureInfo.InvariantCulture)));
            Signal();
        }
        return new JsonObject { ["response"] = 1 };
    }

    private JsonObject Answer(IFormCollection form)
    {
        lock (_gate)
        {
            _answers.Add(new FakeVkEventAnswer(form["event_id"].ToString(),
                long.Parse(form["user_id"].ToString(), CultureInfo.InvariantCulture),
                long.Parse(form["peer_id"].ToString(), CultureInfo.InvariantCulture),
                form.ContainsKey("event_data") ? form["event_data"].ToString() : null));
            Signal();
        }
        return new JsonObject { ["response"] = 1 };
    }

    private async Task LongPollAsync(HttpContext http)
    {
        var q = http.Request.Query;
        var wait = int.TryParse(q["wait"], CultureInfo.InvariantCulture, out var w) ? w : 25;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Min(wait, 90));
        while (true)
        {
            JsonObject? answer = null;
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
                var current = _firstTs + _events.Count;
                if (_longPollFailures.TryDequeue(out var failed))
                {
                    answer = new JsonObject { ["failed"] = failed };
                    _longPollFailuresServed++;
                    if (failed == 1)
                    {
                        answer["ts"] = current.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        _keyGeneration++;
                    }
                }
                else if (q["key"].ToString() != Key() || q["act"].ToString() != "a_check")
                {
                    answer = new JsonObject { ["failed"] = 2 };
                }
                else if (!long.TryParse(q["ts"], CultureInfo.InvariantCulture, out var ts) || ts < _firstTs || ts > current)
                {
                    answer = new JsonObject { ["failed"] = 1, ["ts"] = current.ToString(CultureInfo.InvariantCulture) };
                }
                else if (ts < current || DateTime.UtcNow >= deadline)
                {
                    answer = new JsonObject
                    {
                        ["ts"] = current.ToString(CultureInfo.InvariantCulture),
                        ["updates"] = new JsonArray(_events.Skip((int)(ts - _firstTs)).Select(e => e.DeepClone()).ToArray()),
                    };
                }
            }
            if (answer is not null)
            {
                await WriteAsync(http, answer);
                return;
            }
            var left = deadline - DateTime.UtcNow;
            await Task.WhenAny(changed, Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, http.RequestAborted));
            if (http.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private static JsonObject Error(int code, string message) =>
        new() { ["error"] = new JsonObject { ["error_code"] = code, ["error_msg"] = message, ["request_params"] = new JsonArray() } };

    private static async Task WriteAsync(HttpContext http, JsonObject body)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString());
    }
}
