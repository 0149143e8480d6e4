using McpGateway.Auth.Discovery;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth.Oidc;

/// <summary>
/// Feeds the registered client into the OpenID Connect handler: authorization code + PKCE (S256),
/// state and nonce, tokens saved into the server-side session. The options are rebuilt whenever the
/// coordinator publishes another client (it evicts them from the options cache).
/// </summary>
internal sealed class OidcSetup(
    ClientRegistrationState registrations,
    AuthorityMetadata metadata,
    IHttpClientFactory httpClients,
    IOptions<AuthOptions> auth,
    IOptions<GatewayOptions> gateway) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public const string Scheme = "oidc";

    /// <summary>Stands in until a client is registered; sign-in is refused meanwhile (<see cref="OidcEvents"/>).</summary>
    public const string UnregisteredClientId = "unregistered";

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != Scheme)
        {
            return;
        }

        var client = registrations.Current;
        options.ClientId = client?.ClientId ?? UnregisteredClientId;
        options.ClientSecret = client?.ClientSecret;
        // The gateway's own metadata cache: a refresh the token handler requests (an unknown signing key)
        // is awaited, so its retry already sees the provider's new keys.
        options.ConfigurationManager = metadata;
        options.Authority = auth.Value.Authority;
        options.RequireHttpsMetadata = auth.Value.RequireHttpsMetadata;
        options.Backchannel = httpClients.CreateClient(AuthorityMetadata.HttpClientName);
        options.BackchannelTimeout = auth.Value.BackchannelTimeout;

        options.ResponseType = "code";
        // The code comes back in the query of a top-level GET, so SameSite=Lax cookies (correlation,
        // nonce, session) suffice; form_post would need SameSite=None.
        options.ResponseMode = "query";
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in auth.Value.ScopeList)
        {
            options.Scope.Add(scope);
        }

        // OpenID Connect Core §11: offline_access is granted only when the user is asked for consent.
        options.Prompt = auth.Value.EffectivePrompt;
        options.SaveTokens = true;
        options.UseTokenLifetime = false;
        options.GetClaimsFromUserInfoEndpoint = true;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.DisableTelemetry = true;
        options.CallbackPath = AuthPaths.Callback;
        options.SignedOutCallbackPath = AuthPaths.SignedOutCallback;
        options.RemoteSignOutPath = AuthPaths.RemoteSignOut;
        options.SignInScheme = SessionCookie.Scheme;
        options.SignOutScheme = SessionCookie.Scheme;

        var secure = gateway.Value.IsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = secure;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = secure;
        options.EventsType = typeof(OidcEvents);
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
}
