using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>The three ways a browser calls a gateway tool: REST, a <c>mcp</c> socket and a <c>mcp-v1</c> socket.</summary>
internal enum ToolChannel
{
    Rest,
    JsonRpc,
    Envelope,
}

/// <summary>A tool's answer as the caller saw it; <see cref="Failure"/> when it was not a CallToolResult at all.</summary>
internal sealed record ToolAnswer(bool IsError, string Text, string Raw, string? Failure);

/// <summary>One attacker's REST client and sockets for calling tools, every answer recorded in the attack log.</summary>
internal sealed class ToolChannels : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly AttackClient _http;
    private readonly RawSocket _jsonRpc;
    private readonly RawSocket _envelope;
    private readonly string _cookie;
    private readonly AttackLog _log;
    private int _ids;

    private ToolChannels(AttackClient http, RawSocket jsonRpc, RawSocket envelope, string cookie, AttackLog log)
    {
        _http = http;
        _jsonRpc = jsonRpc;
        _envelope = envelope;
        _cookie = cookie;
        _log = log;
    }

    public static async Task<ToolChannels> OpenAsync(HostileStack stack, Browser attacker, AttackLog log)
    {
        var jsonRpc = await RawSocket.OpenAsync(attacker);
        await jsonRpc.InitializeAsync();
        var envelope = await RawSocket.OpenAsync(attacker, "mcp-v1");
        return new ToolChannels(new AttackClient(stack.Gateway.BaseAddress, log), jsonRpc, envelope, "mcpgw=" + HostileStack.CookieOf(attacker), log);
    }

    public async Task<ToolAnswer> CallAsync(ToolChannel channel, string tool, JsonNode? arguments, string @case)
    {
        try
        {
            return channel switch
            {
                ToolChannel.Rest => await RestAsync(tool, arguments, @case),
                ToolChannel.JsonRpc => await SocketAsync(_jsonRpc, envelope: false, tool, arguments, @case),
                _ => await SocketAsync(_envelope, envelope: true, tool, arguments, @case),
            };
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or WebSocketException or HttpRequestException)
        {
            return new ToolAnswer(true, "", "", $"no answer: {ex.GetType().Name}: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _jsonRpc.DisposeAsync();
        await _envelope.DisposeAsync();
    }

    private async Task<ToolAnswer> RestAsync(string tool, JsonNode? arguments, string @case)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tools/{Uri.EscapeDataString(tool)}/call")
        {
            Content = new StringContent(new JsonObject { ["arguments"] = arguments?.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Cookie", _cookie);
        request.Headers.Add("X-CSRF", "1");
        var (response, body) = await _http.SendAsync(@case, request);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.BadRequest && Faults.LoadJournal.ErrorCodeOf(body) == "invalid_request")
            {
                // Arguments that are not an object are refused before the tool runs.
                return new ToolAnswer(true, body, body, null);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new ToolAnswer(true, body, body, $"REST answered {(int)response.StatusCode}");
            }

            return Read(JsonDocument.Parse(body).RootElement, body);
        }
    }

    private async Task<ToolAnswer> SocketAsync(RawSocket socket, bool envelope, string tool, JsonNode? arguments, string @case)
    {
        var id = "t" + Interlocked.Increment(ref _ids);
        var message = envelope
            ? new JsonObject { ["id"] = id, ["type"] = "request", ["method"] = "tool_call", ["params"] = new JsonObject { ["tool_name"] = tool, ["parameters"] = arguments?.DeepClone() } }
            : new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments?.DeepClone() } };
        _log.CountCase();
        await socket.SendAsync(message.ToJsonString());
        var answer = await socket.ReceiveAsync(
            received => received.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.String && answered.GetString() == id, Timeout);
        var raw = answer.GetRawText();
        _log.Frame(@case, raw);
        if (!answer.TryGetProperty("result", out var result))
        {
            return new ToolAnswer(true, raw, raw, "a JSON-RPC error instead of a tool result");
        }

        return Read(result, raw);
    }

    private static ToolAnswer Read(JsonElement result, string raw)
    {
        if (!result.TryGetProperty("content", out var content) || content.GetArrayLength() == 0)
        {
            return new ToolAnswer(true, raw, raw, "a result without content");
        }

        var isError = result.TryGetProperty("isError", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new ToolAnswer(isError, content[0].GetProperty("text").GetString() ?? "", raw, null);
    }
}
