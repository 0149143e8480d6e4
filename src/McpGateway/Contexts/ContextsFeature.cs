using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Contexts;

/// <summary>Conversation contexts per user, in Redis (or memory), with change notifications to every replica.</summary>
internal static class ContextsFeature
{
    public static IHostApplicationBuilder AddGatewayContexts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ContextOptions>().BindConfiguration(ContextOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ContextOptions>, ContextOptionsValidator>();
        builder.AddStore<IContextStore, RedisContextStore, InMemoryContextStore>();

        services.AddSingleton<ContextService>();
        return builder;
    }
}
