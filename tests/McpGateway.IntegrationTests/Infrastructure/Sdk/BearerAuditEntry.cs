namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// What a test MCP server saw of one HTTP request (or WebSocket upgrade). Never the token itself:
/// <see cref="TokenHash"/> is the first 12 hex digits of its SHA-256, enough to count distinct tokens.
/// <see cref="Sub"/> is the subject the provider's introspection reported (null when the token was
/// missing or inactive), <see cref="McpMethod"/> the <c>Mcp-Method</c> header the SDK's HTTP
/// transport sets, and <see cref="SessionHash"/> a SHA-256 prefix of the <c>Mcp-Session-Id</c> sent.
/// <see cref="Status"/> is filled in when the server starts its answer.
/// </summary>
internal sealed record BearerAuditEntry(
    DateTimeOffset At,
    string Method,
    string Path,
    string? Sub,
    bool Active,
    bool HadCookie,
    string? TokenHash,
    string? McpMethod,
    string? SessionHash,
    bool WebSocketUpgrade)
{
    private int _status;

    /// <summary>The status code the server answered with; 0 until the answer started.</summary>
    public int Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }
}
