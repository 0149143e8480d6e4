using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Dpop;

/// <summary>The values of <c>Auth:Dpop</c> and how they meet the authorization server's metadata (RFC 9449 §5.1).</summary>
internal static class DpopModes
{
    /// <summary>DPoP when the server lists ES256 in <c>dpop_signing_alg_values_supported</c>, else Bearer.</summary>
    public const string Auto = "auto";

    /// <summary>DPoP, and sign-in fails when the server does not offer it with ES256.</summary>
    public const string Required = "required";

    /// <summary>Bearer tokens only.</summary>
    public const string Off = "off";

    /// <summary>The one algorithm the gateway signs proofs with (every DPoP server must accept some; ES256 is the common one).</summary>
    public const string Algorithm = "ES256";

    public static readonly string[] Settings = [Auto, Required, Off];

    /// <summary>Whether sign-ins ask for DPoP-bound tokens.</summary>
    /// <exception cref="OpenIdConnectProtocolException">The setting is <c>required</c> and the server does not offer ES256 proofs.</exception>
    public static bool Uses(string setting, OpenIdConnectConfiguration configuration)
    {
        if (setting == Off)
        {
            return false;
        }

        var offered = configuration.DPoPSigningAlgValuesSupported.Contains(Algorithm);
        if (!offered && setting == Required)
        {
            throw new OpenIdConnectProtocolException(
                $"Auth:Dpop is required, but the authorization server {configuration.Issuer} does not list {Algorithm} in dpop_signing_alg_values_supported.");
        }

        return offered;
    }
}
