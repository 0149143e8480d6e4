using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real development OpenID provider (deploy/dev/idp.mjs, oidc-provider with DCR, PKCE, refresh
/// tokens, revocation, introspection and back-channel logout) on 127.0.0.1, issuing refresh tokens by
/// oidc-provider's default rule (OpenID Connect Core §11: offline_access only after prompt=consent).
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public const string IntrospectionClientId = "mcp-resource";
    public const string IntrospectionClientSecret = "mcp-resource-secret";

    private readonly Dictionary<string, string> _environment;
    private readonly HttpClient _http = new();
    private ExternalProcess? _process;

    private OidcProvider(int port, Dictionary<string, string> environment)
    {
        Port = port;
        _environment = environment;
    }

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<string> Log => _process?.Lines ?? [];

    /// <param name="accessTokenTtl">Access-token lifetime in seconds (short, to exercise refresh).</param>
    /// <param name="start">False to only reserve the port (an authorization server that is down at first).</param>
    /// <param name="clientSecretTtl">When set, registered clients' secrets expire after this many seconds.</param>
    /// <param name="clientAuthMethods">When set, the only client authentication methods the provider offers (its default includes private_key_jwt).</param>
    /// <param name="alwaysIssueRefreshTokens">
    /// A deviation from oidc-provider's default (a refresh token only when offline_access was granted, which needs
    /// prompt=consent): refresh tokens whenever the client may use the grant, like providers that ignore OIDC Core §11.
    /// Only for the tests of Auth:Prompt=none; every other test runs the provider at its default.
    /// </param>
    /// <param name="jwtResources">Resources (RFC 8707) whose access tokens are JWTs the resource server validates itself (idp.mjs JWT_RESOURCES).</param>
    /// <param name="resourceScopes">When set, the scopes a resource's tokens may carry (idp.mjs RESOURCE_SCOPES; its default is "mcp").</param>
    /// <param name="dpopNonce">A deviation for the nonce tests: every DPoP proof must carry the provider's nonce (idp.mjs DPOP_NONCE).</param>
    public static async Task<OidcProvider> StartAsync(
        int accessTokenTtl = 300, bool start = true, int? clientSecretTtl = null, bool alwaysIssueRefreshTokens = false, string? clientAuthMethods = null,
        IReadOnlyList<Uri>? jwtResources = null, string? resourceScopes = null, bool dpopNonce = false)
    {
        await DevStackInstaller.EnsureInstalledAsync();
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ACCESS_TOKEN_TTL"] = accessTokenTtl.ToString(CultureInfo.InvariantCulture),
            ["INTROSPECTION_CLIENT_ID"] = IntrospectionClientId,
            ["INTROSPECTION_CLIENT_SECRET"] = IntrospectionClientSecret,
        };
        if (alwaysIssueRefreshTokens)
        {
            environment["ISSUE_REFRESH_TOKEN"] = "always";
        }

        if (jwtResources is { Count: > 0 })
        {
            environment["JWT_RESOURCES"] = string.Join(' ', jwtResources.Select(resource => resource.AbsoluteUri));
        }

        if (dpopNonce)
        {
            environment["DPOP_NONCE"] = "1";
        }

        if (resourceScopes is not null)
        {
            environment["RESOURCE_SCOPES"] = resourceScopes;
        }

        if (clientAuthMethods is not null)
        {
            environment["CLIENT_AUTH_METHODS"] = clientAuthMethods;
        }

        if (clientSecretTtl is { } ttl)
        {
            environment["CLIENT_SECRET_TTL"] = ttl.ToString(CultureInfo.InvariantCulture);
            environment["CLOCK_TOLERANCE"] = "0";
        }

        var provider = new OidcProvider(port, environment);
        if (start)
        {
            await provider.StartAgainAsync();
        }

        return provider;
    }

    public async Task StartAgainAsync()
    {
        _process = await ExternalProcess.StartAsync(
            "idp", "node", ["idp.mjs"], _environment, TestPaths.DevStack,
            line => line.StartsWith("IDP READY", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>The provider's dev-only counters (token grants, registrations, revocations, back-channel logouts).</summary>
    public async Task<JsonElement> StatsAsync() => await _http.GetFromJsonAsync<JsonElement>($"{Issuer}/_stats");

    public async Task<int> CountAsync(params string[] path)
    {
        var element = await StatsAsync();
        foreach (var segment in path)
        {
            if (!element.TryGetProperty(segment, out element))
            {
                return 0;
            }
        }

        return element.GetInt32();
    }

    /// <summary>RFC 7662 introspection as a resource server: is this token active?</summary>
    public async Task<JsonElement> IntrospectAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Issuer}/token/introspection")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", token)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{IntrospectionClientId}:{IntrospectionClientSecret}")));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The client as the provider has it (RFC 7592 read with its registration access token).</summary>
    public async Task<JsonElement> ReadClientAsync(string registrationClientUri, string registrationAccessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, registrationClientUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registrationAccessToken);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<bool> IsActiveAsync(string token) => (await IntrospectAsync(token)).GetProperty("active").GetBoolean();

    /// <summary>Revokes a token as its client would (RFC 7009), e.g. to make the next refresh fail with invalid_grant.</summary>
    public async Task RevokeAsync(string token, string clientId, string clientSecret)
    {
        using var response = await _http.PostAsync($"{Issuer}/token/revocation", new FormUrlEncodedContent(
        [
            KeyValuePair.Create("token", token),
            KeyValuePair.Create("client_id", clientId),
            KeyValuePair.Create("client_secret", clientSecret),
        ]));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }
}
