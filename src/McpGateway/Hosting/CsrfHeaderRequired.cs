namespace McpGateway.Hosting;

/// <summary>Endpoint metadata: the endpoint checks <c>X-CSRF: 1</c> (so the API document says so).</summary>
internal sealed class CsrfHeaderRequired;
