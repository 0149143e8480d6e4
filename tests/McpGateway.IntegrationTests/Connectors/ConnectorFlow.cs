using McpGateway.Connectors.Routing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using McpGateway.Connectors;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.IntegrationTests.Connectors;

/// <summary>The steps the connector tests share: authorize, read the list, reach the credentials a gateway holds for a browser's session.</summary>
internal static class ConnectorFlow
{
    public static async Task<string> StartAsync(Browser browser, string connector = ConnectorStack.Connector, string? returnUrl = null)
    {
        using var response = await browser.PostAsync($"/api/connectors/{connector}/authorize",
            returnUrl is null ? null : JsonContent.Create(new { returnUrl }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"authorize answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("url").GetString()!;
    }

    /// <summary>Authorizes the connector all the way; returns the gateway's final redirect target.</summary>
    public static async Task<Uri> AuthorizeAsync(Browser browser, string user, string connector = ConnectorStack.Connector)
    {
        var url = await StartAsync(browser, connector);
        using var final = await browser.AuthorizeConnectorAsync(url, user);
        Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        return new Uri(browser.Gateway, final.Headers.Location!);
    }

    /// <summary>Goes through the provider but stops before the callback: the callback URL with code and state.</summary>
    public static async Task<string> CallbackUrlAsync(Browser browser, string user, string connector = ConnectorStack.Connector)
    {
        var url = await StartAsync(browser, connector);
        using var toCallback = await browser.AuthorizeConnectorAsync(url, user, followCallback: false);
        var location = new Uri(toCallback.RequestMessage!.RequestUri!, toCallback.Headers.Location!);
        Assert.StartsWith($"/connectors/{connector}/callback", location.AbsolutePath, StringComparison.Ordinal);
        return location.PathAndQuery;
    }

    public static IDictionary<string, string> Query(Uri url)
        => QueryHelpers.ParseQuery(url.Query).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);

    public static async Task<JsonElement> StateOfAsync(Browser browser, string connector = ConnectorStack.Connector)
    {
        using var response = await browser.GetAsync("/api/connectors");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return list.GetProperty("connectors").EnumerateArray().Single(entry => entry.GetProperty("name").GetString() == connector);
    }

    public static async Task<SessionId> SessionAsync(GatewayHost gateway, Browser browser)
        => SessionId.Parse(await SessionCookieReader.ReadReferenceAsync(gateway, browser.GatewayCookie(SessionCookie.DevelopmentName)!.Value));

    public static Connector Connector(GatewayHost gateway, string name = ConnectorStack.Connector)
        => gateway.GetRequiredService<ConnectorCatalog>().Find(name)!;

    public static async Task<string> AccessTokenAsync(GatewayHost gateway, Browser browser, string name = ConnectorStack.Connector)
        => await gateway.GetRequiredService<IConnectorCredentials>().GetAccessTokenAsync(await SessionAsync(gateway, browser), Connector(gateway, name), CancellationToken.None);

    /// <summary>The claims of a JWT, unverified (the protected server verifies; the test only reads what it says).</summary>
    public static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1];
        return JsonDocument.Parse(WebEncoders.Base64UrlDecode(payload)).RootElement.Clone();
    }

    public static string Utf8(byte[] data) => Encoding.UTF8.GetString(data);
}
