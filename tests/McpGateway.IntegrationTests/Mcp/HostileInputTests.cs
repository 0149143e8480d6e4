using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Mcp;

[Collection(nameof(McpStackCollection))]
public sealed class HostileInputTests(McpStack stack)
{
    [Fact]
    public async Task Malformed_and_invalid_frames_get_json_rpc_errors_and_the_socket_stays_usable()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("mallory");
        await using var socket = await RawSocket.OpenAsync(browser);

        await socket.SendAsync("this is not json");
        Assert.Equal(-32700, (await socket.ReceiveAsync()).GetProperty("error").GetProperty("code").GetInt32());

        await socket.SendAsync("""{"jsonrpc":"1.0","id":7,"method":"ping"}""");
        var wrongVersion = await socket.ReceiveAsync();
        Assert.Equal(-32600, wrongVersion.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(7, wrongVersion.GetProperty("id").GetInt32());

        await socket.SendAsync("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""");
        Assert.Contains("batch", (await socket.ReceiveAsync()).GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);

        await socket.SendAsync(new string('[', 5000) + new string(']', 5000));
        Assert.Equal(-32600, (await socket.ReceiveAsync()).GetProperty("error").GetProperty("code").GetInt32());

        await socket.SendAsync("""{"jsonrpc":"2.0","id":true,"method":"ping"}""");
        Assert.Equal(-32600, (await socket.ReceiveAsync()).GetProperty("error").GetProperty("code").GetInt32());

        await socket.Socket.SendAsync(new byte[] { 0x01, 0x02, 0x03 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Contains("Binary", (await socket.ReceiveAsync()).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        await socket.InitializeAsync();
        var calculated = await socket.RequestAsync(2, "tools/call", new { name = "calculator", arguments = new { expression = "6*7" } });
        Assert.Equal("42", calculated.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_closes_the_socket_with_1009()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var browser = gateway.CreateBrowser();
        await browser.LoginAsync("mallory");
        await using var socket = await RawSocket.OpenAsync(browser);

        await socket.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', 70 * 1024) + "\"}}");
        var (status, reason) = await socket.WaitForCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("65536", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrades_without_session_from_another_origin_or_without_subprotocol_are_refused_before_the_upgrade()
    {
        await using var gateway = GatewayHost.Start(stack.Settings());
        await gateway.WaitUntilReadyAsync();
        using var signedIn = gateway.CreateBrowser();
        await signedIn.LoginAsync("mallory");
        using var anonymous = gateway.CreateBrowser();

        Assert.Equal(HttpStatusCode.Forbidden, await RefusalAsync(signedIn, "mcp", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusalAsync(anonymous, "mcp"));
        Assert.Equal(HttpStatusCode.BadRequest, await RefusalAsync(signedIn, "graphql-ws"));

        using var plain = await signedIn.GetAsync("/mcp");
        Assert.Equal(HttpStatusCode.UpgradeRequired, plain.StatusCode);
        Assert.Equal("invalid_request", await plain.ErrorCodeAsync());
    }

    private static async Task<HttpStatusCode?> RefusalAsync(Browser browser, string subProtocol, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(subProtocol);
        socket.Options.SetRequestHeader("Origin", origin ?? browser.Gateway.GetLeftPart(UriPartial.Authority));
        socket.Options.Cookies = browser.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{browser.Gateway.Authority}/mcp"), CancellationToken.None));
        return socket.HttpStatusCode;
    }
}
