using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

/// <summary>An error VK answered with: <c>{"error":{"error_code":…,"error_msg":…}}</c>.</summary>
public sealed class VkApiException(string method, int code, string message)
    : Exception($"VK {method} failed: {code} {message}")
{
    public string Method { get; } = method;
    public int Code { get; } = code;
    public string ErrorMessage { get; } = message;

    /// <summary>6: too many requests per second; 9: flood control.</summary>
    public bool IsRateLimit => Code is 6 or 9;

    /// <summary>901: the user has not allowed messages from the community; 902: their privacy settings forbid it.</summary>
    public bool IsUnreachable => Code is 901 or 902;

    /// <summary>5: authorisation failed (a wrong or revoked token).</summary>
    public bool IsAuthorisation => Code == 5;

    /// <summary>
    /// VK failed on its side, whatever was asked: 1 "Unknown error occurred" (VK's advice: try again later) and 10
    /// "Internal server error". Both are what VK answers while it is partly down; neither says anything about the request.
    /// </summary>
    public bool IsServerSide => Code is 1 or 10;
}

/// <summary>VK answered something that is not its JSON envelope.</summary>
public sealed class VkMalformedResponseException(string method, string reason) : Exception($"VK {method}: malformed response ({reason})");

public sealed record VkLongPollServer(string Server, string Key, string Ts);

public sealed record VkUser(long Id, string FirstName, string LastName);

/// <summary>A long poll answer: events and the next ts, or a <c>failed</c> code (1: new ts given; 2: new key; 3: new key and ts).</summary>
public sealed record VkLongPollResponse(string? Ts, IReadOnlyList<JsonObject> Updates, int? Failed);

/// <summary>
/// A small typed client over the VK HTTP API (https://dev.vk.com/method). Every call is a form-encoded POST with
/// <c>access_token</c> and <c>v</c> in the body (never in the URL, so no proxy or log line carries the token). It never
/// retries or sleeps: the outbox dispatcher and the long poll loop own that.
/// </summary>
public sealed class VkApiClient(IHttpClientFactory httpClients, IOptions<VkOptions> options, VkRateGate gate)
{
    /// <summary>JSON we send (keyboards, snackbars) keeps Cyrillic as it is: escaping would triple its size against VK's limits.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public const string ClientName = "vk";
    public const string PollClientName = "vk-poll";

    public async Task<VkLongPollServer> GetLongPollServerAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var response = await CallAsync("groups.getLongPollServer", [new("group_id", o.GroupId!)], cancellationToken);
        return new VkLongPollServer(
            RequiredString(response, "server", "groups.getLongPollServer"),
            RequiredString(response, "key", "groups.getLongPollServer"),
            RequiredString(response, "ts", "groups.getLongPollServer"));
    }

    /// <summary>messages.send to one peer; returns VK's message id. <paramref name="randomId"/> makes a repeat a no-op.</summary>
    public async Task<long> SendMessageAsync(long peerId, string text, string? keyboardJson, long randomId, string? attachment,
        CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("peer_id", Invariant(peerId)),
            new("message", text),
            new("random_id", Invariant(randomId)),
        };
        if (keyboardJson is not null)
        {
            form.Add(new("keyboard", keyboardJson));
        }
        if (attachment is not null)
        {
            form.Add(new("attachment", attachment));
        }
        var response = await CallAsync("messages.send", form, cancellationToken);
        return response is JsonValue v && v.TryGetValue<long>(out var id) ? id
            : throw new VkMalformedResponseException("messages.send", "response is not a message id");
    }

    /// <summary>
    /// Uploads a file for a message to <paramref name="peerId"/> and returns its attachment (<c>doc{owner_id}_{id}</c>):
    /// docs.getMessagesUploadServer (type doc) gives an upload address, the file goes there as the multipart field
    /// <c>file</c>, and docs.save turns the upload server's answer into a document. The two API calls pass the rate gate;
    /// the upload itself is not a call with the token.
    /// </summary>
    public async Task<string> UploadDocumentAsync(long peerId, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var server = await CallAsync("docs.getMessagesUploadServer", [new("type", "doc"), new("peer_id", Invariant(peerId))], cancellationToken);
        var address = RequiredString(server, "upload_url", "docs.getMessagesUploadServer");
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uploadUrl) || uploadUrl.Scheme is not ("https" or "http"))
        {
            throw new VkMalformedResponseException("docs.getMessagesUploadServer", "upload_url is not an http(s) address");
        }
        var http = httpClients.CreateClient(ClientName);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        using var response = await http.PostAsync(uploadUrl, form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"VK upload answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        var uploaded = await response.Content.ReadAsStringAsync(cancellationToken);
        string token;
        try
        {
            token = JsonNode.Parse(uploaded)?["file"] is JsonValue f && f.TryGetValue<string>(out var value) && value.Length > 0
                ? value
                : throw new VkMalformedResponseException("upload", "no file in the upload server's answer");
        }
        catch (JsonException)
        {
            throw new VkMalformedResponseException("upload", "not JSON");
        }
        var saved = await CallAsync("docs.save", [new("file", token), new("title", fileName)], cancellationToken);
        // Since API 5.103 docs.save answers {"type":"doc","doc":{…}}; older versions answered an array of documents.
        var doc = saved?["doc"] as JsonObject ?? (saved as JsonArray)?.FirstOrDefault() as JsonObject
                  ?? throw new VkMalformedResponseException("docs.save", "no doc");
        var id = RequiredString(doc, "id", "docs.save");
        var owner = RequiredString(doc, "owner_id", "docs.save");
        return $"doc{owner}_{id}";
    }

    public async Task EditMessageAsync(long peerId, long messageId, string text, string? keyboardJson, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("peer_id", Invariant(peerId)),
            new("message_id", Invariant(messageId)),
            new("message", text),
        };
        if (keyboardJson is not null)
        {
            form.Add(new("keyboard", keyboardJson));
        }
        await CallAsync("messages.edit", form, cancellationToken);
    }

    /// <summary>Stops a callback button's spinner; with a text, shows it as a snackbar.</summary>
    public async Task SendMessageEventAnswerAsync(string eventId, long userId, long peerId, string? snackbar, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("event_id", eventId),
            new("user_id", Invariant(userId)),
            new("peer_id", Invariant(peerId)),
        };
        if (!string.IsNullOrEmpty(snackbar))
        {
            form.Add(new("event_data", new JsonObject { ["type"] = "show_snackbar", ["text"] = Shorten(snackbar, 90) }.ToJsonString(Json)));
        }
        await CallAsync("messages.sendMessageEventAnswer", form, cancellationToken, buttonAnswer: true);
    }

    public async Task<IReadOnlyList<VkUser>> GetUsersAsync(IEnumerable<long> userIds, CancellationToken cancellationToken)
    {
        var response = await CallAsync("users.get", [new("user_ids", string.Join(',', userIds.Select(Invariant)))], cancellationToken);
        if (response is not JsonArray users)
        {
            throw new VkMalformedResponseException("users.get", "response is not an array");
        }
        return users.OfType<JsonObject>().Select(u => new VkUser(
            u["id"] is JsonValue id && id.TryGetValue<long>(out var n) ? n : 0,
            u["first_name"]?.GetValue<string>() ?? string.Empty,
            u["last_name"]?.GetValue<string>() ?? string.Empty)).ToList();
    }

    /// <summary>One <c>a_check</c> request to the Bots Long Poll server; bounded by <paramref name="waitSeconds"/> plus the request timeout.</summary>
    public async Task<VkLongPollResponse> CheckAsync(VkLongPollServer server, string ts, int waitSeconds, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(PollClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(waitSeconds + options.Value.RequestTimeoutSeconds));
        var url = $"{server.Server}?act=a_check&key={Uri.EscapeDataString(server.Key)}&ts={Uri.EscapeDataString(ts)}&wait={Invariant(waitSeconds)}";
        using var response = await http.GetAsync(new Uri(url), timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"long poll answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return ParseLongPoll(body);
    }

    internal static VkLongPollResponse ParseLongPoll(string body)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw new VkMalformedResponseException("a_check", "not an object");
        }
        catch (JsonException)
        {
            throw new VkMalformedResponseException("a_check", "not JSON");
        }
        var ts = root["ts"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<long>(out var n) => Invariant(n),
            _ => null,
        };
        if (root["failed"] is JsonValue f && f.TryGetValue<int>(out var failed))
        {
            return new VkLongPollResponse(ts, [], failed);
        }
        if (ts is null || root["updates"] is not JsonArray updates)
        {
            throw new VkMalformedResponseException("a_check", "no ts or updates");
        }
        return new VkLongPollResponse(ts, updates.OfType<JsonObject>().ToList(), null);
    }

    /// <summary>POSTs one method and returns the <c>response</c> member, or throws <see cref="VkApiException"/> with VK's error.</summary>
    public async Task<JsonNode?> CallAsync(string method, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken,
        bool buttonAnswer = false)
    {
        var o = options.Value;
        var form = parameters.Append(new("access_token", o.AccessToken ?? string.Empty)).Append(new("v", o.ApiVersion));
        using var permit = await gate.WaitAsync(cancellationToken, buttonAnswer);
        var http = httpClients.CreateClient(ClientName);
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(o.ApiBaseUrl.TrimEnd('/') + "/" + method), content, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"VK {method} answered {(int)response.StatusCode}", null, response.StatusCode);
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return ParseEnvelope(method, body);
    }

    internal static JsonNode? ParseEnvelope(string method, string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new VkMalformedResponseException(method, "not JSON");
        }
        if (root is not JsonObject envelope)
        {
            throw new VkMalformedResponseException(method, "not an object");
        }
        if (envelope["error"] is JsonObject error)
        {
            var code = error["error_code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
            var message = error["error_msg"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : string.Empty;
            throw new VkApiException(method, code, message);
        }
        return envelope.TryGetPropertyValue("response", out var result)
            ? result
            : throw new VkMalformedResponseException(method, "neither response nor error");
    }

    private static string RequiredString(JsonNode? node, string name, string method) => node?[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
        JsonValue v when v.TryGetValue<long>(out var n) => Invariant(n),
        _ => throw new VkMalformedResponseException(method, "no " + name),
    };

    internal static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
