using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using McpGateway.Auth.ClientAuthentication;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.Dpop;

/// <summary>
/// A session key made ready to sign proofs: imported once and kept beside its <see cref="ClientSigningKey"/> for as long
/// as that object lives (a session's token set in memory), so a proof per upstream request costs a signature, not a
/// PKCS#8 import. The private key is only in memory, as it already is in the token set it belongs to.
/// </summary>
internal sealed class DpopSigner
{
    private static readonly ConditionalWeakTable<ClientSigningKey, DpopSigner> Signers = new();

    private DpopSigner(ClientSigningKey key)
    {
        var pkcs8 = Convert.FromBase64String(key.PrivateKey);
        try
        {
            var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            var point = ec.ExportParameters(includePrivateParameters: false).Q;
            PublicJwk = new Dictionary<string, object>
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(point.X), ["y"] = Base64UrlEncoder.Encode(point.Y),
            };
            // No kid: the server identifies the key by the jwk header alone.
            Credentials = new SigningCredentials(new ECDsaSecurityKey(ec), DpopModes.Algorithm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>The public key as the proof's <c>jwk</c> header: kty, crv, x, y only.</summary>
    public Dictionary<string, object> PublicJwk { get; }

    public SigningCredentials Credentials { get; }

    public static DpopSigner For(ClientSigningKey key) => Signers.GetValue(key, static key => new DpopSigner(key));
}
