using System.Net;
using System.Text.Json;
using McpGateway.Auth;
using McpGateway.Auth.Discovery;
using McpGateway.Auth.Endpoints;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;

namespace McpGateway.Tests.Auth.Oidc;

/// <summary>
/// The whole sign-in start in an in-process server: the gateway registers itself (DCR answered by a fake
/// authority), then <c>/auth/login</c> redirects to the authorization endpoint. The redirect_uri it sends
/// must be the very string it registered: authorization servers compare redirect URIs exactly.
/// </summary>
public sealed class SignInRedirectUriTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://chat.example.com:8443")]
    [InlineData("http://127.0.0.1:5080")]
    public async Task Sign_in_sends_exactly_the_registered_redirect_uri(string origin)
    {
        var (registered, sent) = await RedirectUrisAsync(origin);

        Assert.Equal(registered, sent);
    }

    [Fact]
    public async Task Sign_in_on_the_default_https_port_sends_exactly_the_registered_redirect_uri()
    {
        var (registered, sent) = await RedirectUrisAsync("https://chat.example.com");

        Assert.Equal(registered, sent);
    }

    [Fact]
    public async Task Without_a_pushed_request_each_session_mode_server_is_a_resource_parameter_of_the_redirect_when_on()
    {
        var location = await SignInLocationAsync("http://127.0.0.1:5080", new Dictionary<string, string?>
        {
            ["Auth:ResourceIndicators"] = "on",
            ["Upstreams:Mcp:Url"] = "http://127.0.0.1:7001/mcp",
            ["Upstreams:Mcp:Servers:two:Url"] = "http://127.0.0.1:7002/mcp?x=1",
            ["Upstreams:Mcp:Servers:open:Url"] = "http://127.0.0.1:7003/mcp",
            ["Upstreams:Mcp:Servers:open:Authorization"] = "none",
        });

        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(["http://127.0.0.1:7001/mcp", "http://127.0.0.1:7002/mcp?x=1"], query["resource"].ToArray());
        Assert.False(string.IsNullOrEmpty(query["redirect_uri"]));
    }

    [Fact]
    public async Task Off_the_redirect_has_no_resource_parameter()
    {
        var location = await SignInLocationAsync("http://127.0.0.1:5080", new Dictionary<string, string?> { ["Upstreams:Mcp:Url"] = "http://127.0.0.1:7001/mcp" });

        Assert.False(QueryHelpers.ParseQuery(location.Query).ContainsKey("resource"));
    }

    private static async Task<(string Registered, string? Sent)> RedirectUrisAsync(string origin)
    {
        using var authority = new TestAuthority();
        var location = await SignInLocationAsync(origin, new Dictionary<string, string?>(), authority);
        var sent = QueryHelpers.ParseQuery(location.Query)["redirect_uri"].ToString();
        var registration = authority.Handler.Requests.Single(r => r.Uri.AbsolutePath == "/reg");
        using var body = JsonDocument.Parse(registration.Body!);
        return (body.RootElement.GetProperty("redirect_uris")[0].GetString()!, sent);
    }

    private static async Task<Uri> SignInLocationAsync(string origin, Dictionary<string, string?> settings)
    {
        using var authority = new TestAuthority();
        return await SignInLocationAsync(origin, settings, authority);
    }

    private static async Task<Uri> SignInLocationAsync(string origin, Dictionary<string, string?> settings, TestAuthority authority)
    {
        authority.Endpoints = async (request, cancellationToken) =>
            request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/reg"
                ? FakeHttpHandler.Json(HttpStatusCode.Created, """{"client_id":"client-1","client_secret":"secret-1","client_secret_expires_at":0}""")
                : new HttpResponseMessage(HttpStatusCode.NotFound);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:PublicOrigin"] = origin,
            ["Auth:Authority"] = TestAuthority.Issuer,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRouting();
        builder.Services.AddLogging();
        builder.AddGatewayHosting();
        builder.AddGatewayStorage();
        builder.AddGatewaySessions();
        builder.AddGatewayAuth();
        // The MCP feature binds this section in the gateway; sign-in reads the session-mode servers from it.
        builder.Services.Configure<McpGateway.Mcp.Upstream.McpUpstreamOptions>(builder.Configuration.GetSection(McpGateway.Mcp.Upstream.McpUpstreamOptions.SectionName));
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddHttpClient(AuthorityMetadata.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => authority.Handler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        await using var app = builder.Build();
        app.UseGatewayHosting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuthEndpoints();
        await app.StartAsync(Cancellation);

        var registrations = app.Services.GetRequiredService<ClientRegistrationState>();
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        ready.CancelAfter(TimeSpan.FromSeconds(20));
        while (!registrations.IsReady)
        {
            await Task.Delay(20, ready.Token);
        }

        using var client = app.GetTestClient();
        using var response = await client.GetAsync(new Uri("/auth/login?returnUrl=%2Fchat", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(TestAuthority.Issuer + "/auth?", location.AbsoluteUri, StringComparison.Ordinal);
        await app.StopAsync(Cancellation);
        return location;
    }
}
