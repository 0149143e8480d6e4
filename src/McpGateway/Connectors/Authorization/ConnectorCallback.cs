namespace McpGateway.Connectors.Authorization;

/// <summary>The authorization server's answer at <c>/connectors/{name}/callback</c> (RFC 6749 §4.1.2, RFC 9207 <c>iss</c>).</summary>
internal sealed record ConnectorCallback(string? Code, string? State, string? Issuer, string? Error)
{
    public static ConnectorCallback From(IQueryCollection query)
        => new(Single(query, "code"), Single(query, "state"), Single(query, "iss"), Single(query, "error"));

    /// <summary>A repeated parameter is as bad as a missing one (RFC 6749 §3.1).</summary>
    private static string? Single(IQueryCollection query, string name)
        => query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
