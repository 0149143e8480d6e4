namespace McpGateway.Hosting.OpenApi;

/// <summary>
/// Endpoint metadata: the endpoint reads an optional JSON body of this type itself. Not <c>Accepts</c>, whose content-type
/// matcher would send a body-less request to the fallback (404) instead of to the endpoint.
/// </summary>
internal sealed record OptionalJsonBody(Type Type);
