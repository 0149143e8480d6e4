using McpGateway.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
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

        var redis = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.IsConfigured)
        {
            services.AddSingleton<ISessionRepository, RedisSessionRepository>();
        }
        else
        {
            services.AddSingleton<ISessionRepository, InMemorySessionRepository>();
        }

        services.AddSingleton<SessionProtector>();
        services.AddSingleton<ServerSideTicketStore>();
        services.AddSingleton<SessionTerminator>();
        services.AddScoped<SessionCookieEvents>();
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, SessionCookieSetup>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SessionCookie.Scheme;
                options.DefaultChallengeScheme = SessionCookie.Scheme;
            })
            .AddCookie(SessionCookie.Scheme);
        services.AddAuthorization();
        return builder;
    }
}
