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
}
