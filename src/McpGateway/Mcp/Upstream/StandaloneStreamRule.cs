using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// When an upstream session needs the server's standalone SSE stream (the GET of Streamable HTTP): only when the
/// server can send something unasked. Every other session leaves it closed, which saves a connection, a descriptor
/// and a request in flight per idle socket.
/// </summary>
internal static class StandaloneStreamRule
{
    /// <summary><c>logging/setLevel</c>: deprecated by 2026-07-28 (the SDK marks its constant obsolete), still spoken by 2025-11-25 servers.</summary>
    private const string LoggingSetLevel = "logging/setLevel";

    /// <summary>Server capabilities that promise no traffic of their own, as long as the flags below are off.</summary>
    private static readonly HashSet<string> QuietServerCapabilities = new(StringComparer.Ordinal) { "tools", "prompts", "resources", "completions" };

    /// <summary>Client capabilities that let the server send requests (sampling, elicitation, roots).</summary>
    private static readonly HashSet<string> ServerRequestCapabilities = new(StringComparer.Ordinal) { "sampling", "elicitation", "roots" };

    /// <summary>
    /// The server's <c>capabilities</c> announce unasked traffic: <c>listChanged</c> on tools, prompts or resources,
    /// <c>resources.subscribe</c>, <c>logging</c>, or a capability the gateway does not know (which might).
    /// </summary>
    public static bool ServerMaySend(JsonNode? capabilities)
    {
        if (capabilities is not JsonObject announced)
        {
            return false;
        }

        foreach (var (name, value) in announced)
        {
            if (!QuietServerCapabilities.Contains(name))
            {
                return true;
            }

            if (IsTrue(value, "listChanged") || (name == "resources" && IsTrue(value, "subscribe")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The browser's <c>initialize</c> declared capabilities the server may use with requests of its own.</summary>
    public static bool ClientInvitesRequests(JsonNode? initializeParams)
        => initializeParams?["capabilities"] is JsonObject declared && declared.Any(capability => ServerRequestCapabilities.Contains(capability.Key));

    /// <summary>A browser request after which the server sends notifications: a subscription or a log level.</summary>
    public static bool RequestStartsTraffic(string method)
        => method is RequestMethods.ResourcesSubscribe or LoggingSetLevel;

    private static bool IsTrue(JsonNode? capability, string flag)
        => capability is JsonObject members && members[flag] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
