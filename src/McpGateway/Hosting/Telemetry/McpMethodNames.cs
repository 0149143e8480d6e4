namespace McpGateway.Hosting.Telemetry;

/// <summary>Keeps the method tag bounded: known MCP and gateway methods by name, anything else as <c>other</c>.</summary>
internal static class McpMethodNames
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "initialize", "server/discover", "ping", "tools/list", "tools/call", "resources/list", "resources/read", "resources/templates/list",
        "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get", "completion/complete", "logging/setLevel",
        "subscriptions/listen", "context/store", "context/list", "context/delete", "gateway/auth",
    };

    public static string Tag(string method) => Known.Contains(method) ? method : "other";
}
