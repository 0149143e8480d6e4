using System.Text.Json.Serialization;

namespace McpGateway.Auth.Registration;

/// <summary>
/// What is kept per issuer: the current registration and the one it replaced, whose credentials
/// still refresh the tokens of sessions signed in before the change.
/// </summary>
internal sealed record StoredRegistration(
    [property: JsonPropertyName("current")] ClientRegistration Current,
    [property: JsonPropertyName("previous")] ClientRegistration? Previous)
{
    public ClientRegistration? Find(string clientId)
        => Current.ClientId == clientId ? Current : Previous?.ClientId == clientId ? Previous : null;
}
