using System.Globalization;
using System.Threading.RateLimiting;
using McpGateway.Hosting;
using McpGateway.Storage;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace McpGateway.Limits;

/// <summary>Per-user rate limits on the chat route and on tool calls: 429 JSON with <c>Retry-After</c>.</summary>
internal static class RateLimitsFeature
{
    public const string ChatPolicy = "chat";
    public const string ToolsPolicy = "tools";
    public const string RateLimited = "rate_limited";

    public static IHostApplicationBuilder AddGatewayRateLimits(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddSingleton<UserRateLimits>();
        if (builder.UsesRedis())
        {
            services.AddSingleton<RedisConnectionSlots>();
            services.AddSingleton<IUserConnectionSlots>(provider => provider.GetRequiredService<RedisConnectionSlots>());
            services.AddHostedService(provider => provider.GetRequiredService<RedisConnectionSlots>());
        }
        else
        {
            services.AddSingleton<IUserConnectionSlots, LocalConnectionSlots>();
        }

        services.AddOptions<RateLimiterOptions>().Configure<UserRateLimits>((options, limits) =>
        {
            options.AddPolicy(ChatPolicy, new UserBudgetPolicy(limits.Chat));
            options.AddPolicy(ToolsPolicy, new UserBudgetPolicy(limits.Tools));
        });
        services.AddRateLimiter(options =>
        {
            options.OnRejected = (rejected, cancellationToken) =>
            {
                var retryAfter = RetryAfter(rejected.Lease);
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(GatewayErrors.WriteAsync(rejected.HttpContext.Response, StatusCodes.Status429TooManyRequests, RateLimited,
                    $"Too many requests; retry in {retryAfter} s."));
            };
        });
        return builder;
    }

    /// <summary>Seconds until the budget allows another call (at least 1), from a local window's or the shared budget's lease.</summary>
    public static int RetryAfter(RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            return Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        }

        return lease.TryGetMetadata(RedisRateLimiting.RateLimitMetadataName.RetryAfter, out var seconds) ? Math.Max(1, seconds) : 1;
    }
}
