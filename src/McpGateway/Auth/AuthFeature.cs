using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Discovery;
using McpGateway.Auth.Dpop;
using McpGateway.Auth.Logout;
using McpGateway.Auth.Oidc;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.Storage;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth;

/// <summary>
/// The OAuth client side of the gateway: discovery, Dynamic Client Registration, OpenID Connect
/// sign-in, the token lifecycle (refresh, revocation) and logout (front and back channel).
/// </summary>
internal static class AuthFeature
{
    public static IHostApplicationBuilder AddGatewayAuth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        services.AddHttpClient(AuthorityMetadata.HttpClientName, (sp, http) =>
        {
            http.Timeout = sp.GetRequiredService<IOptions<AuthOptions>>().Value.BackchannelTimeout;
            http.DefaultRequestHeaders.UserAgent.ParseAdd("McpGateway/1.0");
        }).AddHttpMessageHandler<DpopHandler>();
        services.AddSingleton<DpopProofFactory>();
        services.AddSingleton<DpopNonces>();
        services.AddTransient<DpopHandler>();
        services.AddHttpContextAccessor();
        services.AddSingleton<DpopCodeRedemption>();
        services.AddSingleton<AuthorityMetadata>();
        services.AddSingleton<DynamicClientRegistrar>();
        services.AddSingleton<RegistrationProtector>();
        services.AddSingleton<ClientRegistrationState>();
        services.AddHostedService<ClientRegistrationCoordinator>();
        services.AddHostedService<AuthStartupWarnings>();
        services.AddTransient<ClientUnregistration>();

        builder.AddStore<IClientRegistrationStore, RedisClientRegistrationStore, InMemoryClientRegistrationStore>();

        services.AddSingleton<ClientAssertionFactory>();
        services.AddSingleton<TokenEndpointClient>();
        services.AddSingleton<SessionTokenService>();
        services.AddSingleton<ResourceTokenService>();
        services.AddSingleton<Resources.SessionResources>();
        services.AddSingleton<LogoutTokenValidator>();

        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, OidcSetup>();
        // One instance for every request: the OpenID Connect handler is made per request (the authentication middleware asks it
        // whether each path is its callback), and its events hold no state of their own; their dependencies are singletons.
        services.AddSingleton<OidcEvents>();
        services.AddAuthentication().AddOpenIdConnect(OidcSetup.Scheme, _ => { });

        services.AddHealthChecks()
            .AddCheck<AuthorityHealthCheck>("authority", tags: ["ready"])
            .AddCheck<RegistrationHealthCheck>("registration", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// The authentication middleware, for the one job it has here: the OpenID Connect handler's own paths (its callback,
    /// signed-out callback and front-channel sign-out). No scheme authenticates by default (an endpoint's policy names
    /// the session scheme), so on every other path the middleware would only make the OpenID Connect handler per request
    /// to hear that the path is not its own.
    /// </summary>
    public static WebApplication UseGatewayAuthentication(this WebApplication app)
    {
        // WebApplication adds the authentication middleware in front of the pipeline unless told it is there (the key of
        // UseAuthentication, which is called on the branch below, whose properties are its own).
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        app.UseWhen(IsOidcHandlerPath, branch => branch.UseAuthentication());
        return app;
    }

    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    private static bool IsOidcHandlerPath(HttpContext context)
    {
        var path = context.Request.Path;
        return path.Equals(AuthPaths.Callback, StringComparison.OrdinalIgnoreCase)
            || path.Equals(AuthPaths.SignedOutCallback, StringComparison.OrdinalIgnoreCase)
            || path.Equals(AuthPaths.RemoteSignOut, StringComparison.OrdinalIgnoreCase);
    }
}
