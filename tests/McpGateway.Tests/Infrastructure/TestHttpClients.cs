using McpGateway.Auth.Discovery;

namespace McpGateway.Tests.Infrastructure;

/// <summary>A real <see cref="IHttpClientFactory"/> whose <c>authority</c> client sends through a handler the test controls.</summary>
internal static class TestHttpClients
{
    public static IHttpClientFactory For(HttpMessageHandler handler)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(AuthorityMetadata.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            // The test owns the handler: the factory must never recycle (and dispose) it mid-test.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    }
}
