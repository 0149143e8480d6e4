using System.Text.Json.Nodes;
using McpGateway.Mcp;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// The one <c>initialize</c> answer a browser gets from several servers: the gateway's <c>serverInfo</c>, the union
/// of their capabilities, and the protocol version: the browser's when every server that answered accepted it,
/// else the oldest version one of them answered (each server keeps the version it negotiated for its own session;
/// the oldest is the one every party can speak, as later revisions only add). With no server answering, the browser's.
/// </summary>
internal static class InitializeMerger
{
    public static JsonObject Merge(string? requestedVersion, IReadOnlyList<JsonObject> answers, string fallbackVersion)
    {
        var capabilities = new JsonObject();
        foreach (var answer in answers)
        {
            if (answer["capabilities"] is JsonObject offered)
            {
                Union(capabilities, offered);
            }
        }

        return new JsonObject
        {
            ["protocolVersion"] = Version(requestedVersion, answers, fallbackVersion),
            ["capabilities"] = capabilities,
            ["serverInfo"] = new JsonObject { ["name"] = "mcp-gateway", ["title"] = "McpGateway", ["version"] = "1.0" },
        };
    }

    internal static string Version(string? requested, IReadOnlyList<JsonObject> answers, string fallback)
    {
        var answered = answers.Select(answer => GatewayRequestHandler.Text(answer, "protocolVersion")).OfType<string>().ToList();
        if (answered.Count == 0)
        {
            return requested ?? fallback;
        }

        return answered.All(version => version == requested) ? requested! : answered.Min(StringComparer.Ordinal)!;
    }

    /// <summary>Adds what <paramref name="offered"/> has to <paramref name="into"/>: objects merge, <c>true</c> wins over <c>false</c>, else the first value stays.</summary>
    internal static void Union(JsonObject into, JsonObject offered)
    {
        foreach (var (name, value) in offered)
        {
            switch (into[name], value)
            {
                case (null, _) when !into.ContainsKey(name):
                    into[name] = value?.DeepClone();
                    break;
                case (JsonObject existing, JsonObject more):
                    Union(existing, more);
                    break;
                case (JsonValue existing, JsonValue more) when existing.TryGetValue<bool>(out var was) && more.TryGetValue<bool>(out var now):
                    into[name] = was || now;
                    break;
            }
        }
    }
}
