using System.Text.Json.Nodes;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// Merges the listings of every connector into one result, in configuration order: tool and prompt names become
/// <c>{prefix}{name}</c> (titles and every other member kept); between connectors the earlier one wins a name (or a
/// URI) and the later entry is dropped; resource URIs and templates are remembered for routing. Connectors that gave
/// nothing are named in <c>_meta["io.mcpgateway/connectors"]</c> as <c>{name, state, reason}</c>.
/// </summary>
internal static class ListMerger
{
    public const string MetaKey = "io.mcpgateway/connectors";

    /// <summary>The merged result; <paramref name="dropped"/> is told of every entry left out: its exposed name (or URI), the connector that kept it, the one that lost it.</summary>
    public static JsonObject Merge(ListKind kind, IReadOnlyList<ConnectorListing> listings, ResourceOwners owners, Action<string, string, string> dropped)
    {
        var merged = new JsonArray();
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new JsonArray();
        foreach (var listing in listings)
        {
            if (listing.Failed)
            {
                missing.Add(new JsonObject { ["name"] = listing.Connector.Name, ["state"] = listing.State, ["reason"] = listing.Reason });
                continue;
            }

            foreach (var entry in listing.Entries)
            {
                if (Exposed(kind, listing.Connector, entry) is not { } key)
                {
                    continue;
                }

                if (taken.TryGetValue(key, out var owner) || !Remember(kind, owners, key, listing.Connector))
                {
                    dropped(key, owner ?? "another connector", listing.Connector.Name);
                    continue;
                }

                taken[key] = listing.Connector.Name;
                var copy = entry.DeepClone().AsObject();
                if (kind.NameMember is { } member)
                {
                    copy[member] = key;
                }

                merged.Add(copy);
            }
        }

        var result = new JsonObject { [kind.Member] = merged };
        if (missing.Count > 0)
        {
            result["_meta"] = new JsonObject { [MetaKey] = missing };
        }

        return result;
    }

    /// <summary>The name (prefixed) or URI the entry is known by at the browser, or null for an entry without one.</summary>
    private static string? Exposed(ListKind kind, Connector connector, JsonObject entry)
    {
        var member = kind.NameMember ?? kind.UriMember!;
        if (entry[member] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return null;
        }

        return kind.NameMember is null ? text : ToolPrefixes.Exposed(connector, text);
    }

    private static bool Remember(ListKind kind, ResourceOwners owners, string key, Connector connector) => kind.UriMember switch
    {
        "uri" => owners.RememberUri(key, connector),
        "uriTemplate" => owners.RememberTemplate(key, connector),
        _ => true,
    };
}
