using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.ClientAuthentication;

/// <summary>
/// The key pair a private_key_jwt client signs its assertions with. It belongs to one registration: a new
/// registration gets a new key. The private key (PKCS#8) is kept only in the data-protected registration store.
/// </summary>
internal sealed record ClientSigningKey
{
    [JsonPropertyName("kid")]
    public required string KeyId { get; init; }

    [JsonPropertyName("alg")]
    public required string Algorithm { get; init; }

    /// <summary>PKCS#8, base64; encrypted by <c>RegistrationProtector</c> before it is stored.</summary>
    [JsonPropertyName("private_key")]
    public required string PrivateKey { get; init; }

    private bool IsEllipticCurve => Algorithm.StartsWith("ES", StringComparison.Ordinal);

    public static ClientSigningKey Generate(string algorithm)
    {
        if (!ClientAuthMethods.SigningAlgorithms.Contains(algorithm))
        {
            throw new ArgumentException($"The gateway cannot create {algorithm} keys.", nameof(algorithm));
        }

        byte[] pkcs8;
        if (algorithm == "ES256")
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ec.ExportPkcs8PrivateKey();
        }
        else
        {
            using var rsa = RSA.Create(2048);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
        }

        try
        {
            return new ClientSigningKey
            {
                KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
                Algorithm = algorithm,
                PrivateKey = Convert.ToBase64String(pkcs8),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>The public key, as registered in <c>jwks</c>.</summary>
    public PublicJsonWebKeySet PublicKeySet()
    {
        var pkcs8 = Convert.FromBase64String(PrivateKey);
        try
        {
            if (IsEllipticCurve)
            {
                using var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                var point = ec.ExportParameters(includePrivateParameters: false).Q;
                return new([new PublicJsonWebKey
                {
                    KeyType = "EC", KeyId = KeyId, Algorithm = Algorithm, Curve = "P-256",
                    X = Base64UrlEncoder.Encode(point.X), Y = Base64UrlEncoder.Encode(point.Y),
                }]);
            }

            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            return new([new PublicJsonWebKey
            {
                KeyType = "RSA", KeyId = KeyId, Algorithm = Algorithm,
                Modulus = Base64UrlEncoder.Encode(parameters.Modulus), Exponent = Base64UrlEncoder.Encode(parameters.Exponent),
            }]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// Runs <paramref name="sign"/> with credentials over the private key, which is disposed afterwards.
    /// Signature providers are not cached, so IdentityModel never hands out one over a disposed key.
    /// </summary>
    public T Sign<T>(Func<SigningCredentials, T> sign)
    {
        var pkcs8 = Convert.FromBase64String(PrivateKey);
        AsymmetricAlgorithm? algorithm = null;
        try
        {
            AsymmetricSecurityKey key;
            if (IsEllipticCurve)
            {
                var ec = ECDsa.Create();
                algorithm = ec;
                ec.ImportPkcs8PrivateKey(pkcs8, out _);
                key = new ECDsaSecurityKey(ec) { KeyId = KeyId };
            }
            else
            {
                var rsa = RSA.Create();
                algorithm = rsa;
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                key = new RsaSecurityKey(rsa) { KeyId = KeyId };
            }

            key.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };
            return sign(new SigningCredentials(key, Algorithm));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            algorithm?.Dispose();
        }
    }

    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"ClientSigningKey {{ KeyId = {KeyId}, Algorithm = {Algorithm} }}";
}
