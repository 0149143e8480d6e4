namespace McpGateway.Connectors.Routing;

/// <summary>
/// Names of upstream tools and prompts as the browser sees them: <c>{prefix}{name}</c>. A name goes to the connector
/// with the longest prefix it starts with (prefixes are unique, so the longest is the most specific), else to the
/// connector without a prefix, else nowhere.
/// </summary>
internal sealed class ToolPrefixes(IReadOnlyList<Connector> connectors)
{
    private readonly Connector[] _longestFirst = [.. connectors.Where(connector => connector.ToolPrefix.Length > 0).OrderByDescending(connector => connector.ToolPrefix.Length)];
    private readonly Connector? _unprefixed = connectors.FirstOrDefault(connector => connector.ToolPrefix.Length == 0);

    public static string Exposed(Connector connector, string name) => connector.ToolPrefix + name;

    /// <returns>The connector of <paramref name="exposed"/> and the name its server knows, or <see langword="null"/> when no connector owns it.</returns>
    public (Connector Connector, string Name)? Route(string exposed)
    {
        foreach (var connector in _longestFirst)
        {
            if (exposed.Length > connector.ToolPrefix.Length && exposed.StartsWith(connector.ToolPrefix, StringComparison.Ordinal))
            {
                return (connector, exposed[connector.ToolPrefix.Length..]);
            }
        }

        return _unprefixed is null ? null : (_unprefixed, exposed);
    }

    /// <summary>The message for a name no connector owns.</summary>
    public string Unrouted(string exposed)
        => $"'{exposed}' names no tool of the gateway or of a connector: upstream names start with one of the prefixes {string.Join(", ", _longestFirst.Select(connector => $"'{connector.ToolPrefix}' ({connector.Name})"))}.";
}
