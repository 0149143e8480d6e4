using System.Globalization;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// Which call of a session is in flight: the connector whose link relayed it (<see langword="null"/> for a session relayed
/// to one server) and the id that link gave it upstream. Behind the router each connector numbers its calls on its own,
/// so the id alone does not name a call.
/// </summary>
internal readonly record struct InFlightCallKey(string? Connector, long UpstreamId)
{
    private const char Separator = ':';

    /// <summary>As stored: <c>7</c>, or <c>two:7</c> behind the router (connector names hold no colon).</summary>
    public override string ToString()
    {
        var id = UpstreamId.ToString(CultureInfo.InvariantCulture);
        return Connector is null ? id : $"{Connector}{Separator}{id}";
    }

    public static bool TryParse(string text, out InFlightCallKey key)
    {
        var separator = text.LastIndexOf(Separator);
        var connector = separator < 0 ? null : text[..separator];
        key = default;
        if (connector is { Length: 0 } || !long.TryParse(text.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var upstreamId))
        {
            return false;
        }

        key = new InFlightCallKey(connector, upstreamId);
        return true;
    }
}
