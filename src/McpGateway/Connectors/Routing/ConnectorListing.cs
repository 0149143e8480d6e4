namespace McpGateway.Connectors.Routing;

/// <summary>What one connector gave for a list method: its entries (every page), or why it gave none.</summary>
internal sealed record ConnectorListing(Connector Connector, IReadOnlyList<System.Text.Json.Nodes.JsonObject> Entries, string? State = null, string? Reason = null)
{
    public bool Failed => State is not null;

    public static ConnectorListing Failure(Connector connector, string state, string reason) => new(connector, [], state, reason);
}
