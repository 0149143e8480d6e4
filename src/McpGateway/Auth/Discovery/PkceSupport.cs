using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Discovery;

/// <summary>
/// Whether the authorization server says it verifies S256 code challenges (RFC 8414
/// <c>code_challenge_methods_supported</c>). The gateway always sends one; a server that does not
/// verify it leaves code injection to the nonce alone (RFC 9700 §2.1.1), which an operator should know.
/// </summary>
internal static class PkceSupport
{
    public const string Method = "S256";

    public static bool IsAdvertised(OpenIdConnectConfiguration configuration)
        => configuration.CodeChallengeMethodsSupported.Contains(Method, StringComparer.Ordinal);
}
