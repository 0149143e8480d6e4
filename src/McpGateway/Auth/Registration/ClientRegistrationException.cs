namespace McpGateway.Auth.Registration;

/// <summary>The authorization server refused or garbled a registration request; the message holds no secret.</summary>
internal sealed class ClientRegistrationException(string message, Exception? inner = null) : Exception(message, inner);
