namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>What an <see cref="SdkToolEvent"/> records.</summary>
internal static class SdkToolOutcomes
{
    public const string Started = "started";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Answered = "answered";
}
