namespace McpGateway.Mcp;

/// <summary>The JSON-RPC methods the gateway answers or sends itself, beyond relaying.</summary>
internal static class GatewayMethods
{
    public const string Initialize = "initialize";
    public const string ToolsList = "tools/list";
    public const string ToolsCall = "tools/call";
    public const string ContextStore = "context/store";
    public const string ContextList = "context/list";
    public const string ContextDelete = "context/delete";

    /// <summary>Sent to every socket of a user when one of their contexts is stored or deleted, on any replica.</summary>
    public const string ContextUpdated = "notifications/context/updated";

    /// <summary>Sent to the browser when the upstream called one of the gateway's tools and the gateway answered it.</summary>
    public const string ToolExecuted = "notifications/gateway/tool_executed";

    /// <summary>The seed's <c>auth</c> request, answered from the cookie session.</summary>
    public const string Auth = "gateway/auth";
}
