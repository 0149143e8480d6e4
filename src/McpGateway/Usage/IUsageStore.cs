namespace McpGateway.Usage;

/// <summary>Token usage counted per user and model.</summary>
internal interface IUsageStore
{
    Task RecordAsync(string subject, ChatUsage usage, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelUsage>> ListAsync(string subject, CancellationToken cancellationToken);
}
