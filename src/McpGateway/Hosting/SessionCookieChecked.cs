namespace McpGateway.Hosting;

/// <summary>Endpoint metadata: the endpoint checks the session cookie itself, without an authorization policy (so the API document says it needs one).</summary>
internal sealed class SessionCookieChecked;
