using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// A signed-in user putting steady load on the gateway: HTTP workers (session, context store and list,
/// chat) and one WebSocket worker (context/store), each call timed and journaled. Every context the
/// gateway acknowledged (2xx, or a JSON-RPC result) is remembered, to be looked for afterwards.
/// </summary>
internal sealed class LoadUser : IAsyncDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;

    private LoadUser(string name, Browser browser, RawSocket socket)
    {
        Name = name;
        Browser = browser;
        Socket = socket;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = browser.Cookies })
        {
            BaseAddress = browser.Gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Name { get; }

    public Browser Browser { get; }

    public RawSocket Socket { get; }

    /// <summary>Contexts the gateway acknowledged: (conversation, context id).</summary>
    public ConcurrentBag<(string Conversation, string Id)> Acknowledged { get; } = [];

    /// <summary>Set if the user's socket closed during the run (it must not).</summary>
    public string? SocketClosed { get; private set; }

    public static async Task<LoadUser> SignInAsync(GatewayHost gateway, string name)
    {
        var browser = gateway.CreateBrowser();
        await browser.LoginAsync(name);
        await browser.AssertSignedInAsync(name);
        var socket = await RawSocket.OpenAsync(browser);
        await socket.InitializeAsync();
        return new LoadUser(name, browser, socket);
    }

    public async Task RunHttpAsync(int worker, LoadJournal journal, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            await CallAsync(journal, "session", HttpMethod.Get, "/auth/session", null);
            var conversation = $"w{worker}-{n / 40}";
            var stored = await CallAsync(journal, "store", HttpMethod.Post, $"/api/conversations/{conversation}/contexts",
                new { content = $"{Name} worker {worker} call {n}" });
            if (stored.Status == 201)
            {
                Acknowledged.Add((conversation, JsonDocument.Parse(stored.Body).RootElement.GetProperty("id").GetString()!));
            }

            await CallAsync(journal, "list", HttpMethod.Get, $"/api/conversations/{conversation}/contexts", null);
            if (n % 2 == worker % 2)
            {
                await CallAsync(journal, "chat", HttpMethod.Post, "/api/v2/chat", new { messages = new[] { new { role = "user", content = $"load {n}" } } });
            }

            await Task.Delay(15, CancellationToken.None);
        }
    }

    public async Task RunSocketAsync(LoadJournal journal, CancellationToken stop)
    {
        for (var id = 1000; !stop.IsCancellationRequested && SocketClosed is null; id++)
        {
            var conversation = $"ws-{id / 40}";
            var record = await SocketStoreAsync(id, conversation, $"{Name} socket call {id}");
            journal.Add(record);
            await Task.Delay(15, CancellationToken.None);
        }
    }

    /// <summary>context/store over the user's socket; a result is remembered as acknowledged.</summary>
    public async Task<LoadRecord> SocketStoreAsync(int id, string conversation, string content)
    {
        var start = DateTime.UtcNow;
        try
        {
            await Socket.SendAsync(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0", id, method = "context/store", @params = new { conversation_id = conversation, content },
            }));
            var answer = await Socket.ReceiveAsync(
                message => message.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id,
                CallTimeout);
            if (answer.TryGetProperty("result", out var result))
            {
                Acknowledged.Add((conversation, result.GetProperty("context").GetProperty("id").GetString()!));
                return new LoadRecord(Name, "ws-store", start, DateTime.UtcNow, 200, answer.GetRawText());
            }

            var code = answer.GetProperty("error").GetProperty("code").GetInt32();
            return new LoadRecord(Name, "ws-store", start, DateTime.UtcNow, code, answer.GetRawText());
        }
        catch (Exception ex) when (ex is InvalidOperationException or WebSocketException)
        {
            SocketClosed ??= $"{ex.GetType().Name}: {ex.Message}";
            return new LoadRecord(Name, "ws-store", start, DateTime.UtcNow, -1, "socket closed: " + ex.Message);
        }
        catch (OperationCanceledException)
        {
            return new LoadRecord(Name, "ws-store", start, DateTime.UtcNow, -1, "no answer within " + CallTimeout);
        }
    }

    /// <summary>Opens and closes a new socket: 101, or the status of the refused upgrade.</summary>
    public async Task<LoadRecord> UpgradeAsync()
    {
        var start = DateTime.UtcNow;
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mcp");
        socket.Options.SetRequestHeader("Origin", Browser.Gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.Cookies = Browser.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{Browser.Gateway.Authority}/mcp"), timeout.Token);
            await using var opened = new RawSocket(socket);
            return new LoadRecord(Name, "ws-upgrade", start, DateTime.UtcNow, 101, "");
        }
        catch (WebSocketException ex)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            return new LoadRecord(Name, "ws-upgrade", start, DateTime.UtcNow, status == 0 ? -1 : status, ex.Message);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return new LoadRecord(Name, "ws-upgrade", start, DateTime.UtcNow, -1, "no answer to the upgrade within " + CallTimeout);
        }
    }

    public async Task<LoadRecord> CallAsync(LoadJournal journal, string op, HttpMethod method, string path, object? body)
    {
        var record = await CallAsync(op, method, path, body);
        journal.Add(record);
        return record;
    }

    public async Task<LoadRecord> CallAsync(string op, HttpMethod method, string path, object? body)
    {
        var start = DateTime.UtcNow;
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (method != HttpMethod.Get)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return new LoadRecord(Name, op, start, DateTime.UtcNow, (int)response.StatusCode, text,
                response.Headers.RetryAfter is not null, LoadJournal.ErrorCodeOf(text));
        }
        catch (OperationCanceledException)
        {
            return new LoadRecord(Name, op, start, DateTime.UtcNow, -1, "no answer within " + CallTimeout);
        }
        catch (HttpRequestException ex)
        {
            return new LoadRecord(Name, op, start, DateTime.UtcNow, -1, "transport failure: " + ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        _http.Dispose();
        Browser.Dispose();
    }
}
