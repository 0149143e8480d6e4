using McpGateway.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

/// <summary>Server-side sessions behind an opaque HttpOnly cookie; in Redis or, in single-instance mode, in memory.</summary>
internal static class SessionsFeature
{
    public static IHostApplicationBuilder AddGatewaySessions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>();

        builder.AddStore<ISessionRepository, RedisSessionRepository, InMemorySessionRepository>();
        services.AddSingleton(sp => (ISessionConnectorTokens)sp.GetRequiredService<ISessionRepository>());

        services.AddSingleton<SessionProtector>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<ServerSideTicketStore>();
        services.AddSingleton<SessionTerminator>();
        // One instance for every request: its dependencies are singletons, and the cookie handler resolves it per request.
        services.AddSingleton<SessionCookieEvents>();
        services.AddSingleton<CachedSessionAuthentication>();
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, SessionCookieSetup>();

        // No default authenticate scheme: a session is read from the store only by endpoints that need
        // one (their authorization policy names the scheme), never for health probes or static files.
        services.AddAuthentication(options =>
            {
                options.DefaultChallengeScheme = SessionCookie.Scheme;
                options.DefaultForbidScheme = SessionCookie.Scheme;
                options.DefaultSignInScheme = SessionCookie.Scheme;
                options.DefaultSignOutScheme = SessionCookie.Scheme;
            })
            // AddCookie's registration with the cookie handler's subclass: what AddCookie adds, the post-configuration
            // that makes the ticket format and the cookie manager, then the scheme.
            .AddScheme<CookieAuthenticationOptions, SessionCookieHandler>(SessionCookie.Scheme, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookieAuthenticationOptions>, PostConfigureCookieAuthenticationOptions>());
        services.AddOptions<CookieAuthenticationOptions>(SessionCookie.Scheme).Validate(options => options.Cookie.Expiration is null, "Cookie.Expiration is ignored, use ExpireTimeSpan instead.");
        // After the cookie post-configuration above, which creates the ticket format this one wraps.
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, SessionCookieFormatSetup>();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(SessionCookie.Scheme).RequireAuthenticatedUser().Build());
        // One authentication step for that policy; the framework's evaluator for the rest.
        services.TryAddTransient<PolicyEvaluator>();
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, SessionPolicyEvaluator>());
        return builder;
    }
}
