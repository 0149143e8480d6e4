using ModelContextProtocol;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>Reports on the caller's thread (unlike <see cref="Progress{T}"/>), so a test sees every value before the call completes.</summary>
internal sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
{
    public void Report(ProgressNotificationValue value) => report(value);
}
