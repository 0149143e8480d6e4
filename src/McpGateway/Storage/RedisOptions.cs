namespace McpGateway.Storage;

/// <summary>The <c>Redis</c> configuration section.</summary>
internal sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string; empty runs a single instance on in-memory stores.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every key the gateway writes, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "mcpgw:";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}
