using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using McpGateway.Auth;
using McpGateway.Auth.Discovery;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Tests.Infrastructure;

/// <summary>
/// An authorization server in a <see cref="FakeHttpHandler"/>: discovery and JWKS documents from RSA keys
/// the test holds, and a token endpoint whose answer the test chooses. <see cref="Metadata"/> is the real
/// <see cref="AuthorityMetadata"/>, reading those documents through a real <see cref="IHttpClientFactory"/>.
/// </summary>
internal sealed class TestAuthority : IDisposable
{
    public const string Issuer = "https://idp.test";
    public const string TokenEndpoint = Issuer + "/token";
    public const string RevocationEndpoint = Issuer + "/revoke";
    public const string JwksUri = Issuer + "/jwks";

    // Generating an RSA key costs ~100 ms; every test shares the same two key pairs.
    private static readonly RSA PrimaryRsa = RSA.Create(2048);
    private static readonly RSA OtherRsa = RSA.Create(2048);

    private readonly List<RsaSecurityKey> _published = [];

    public TestAuthority(bool withRevocation = true)
    {
        WithRevocation = withRevocation;
        SigningKey = new RsaSecurityKey(PrimaryRsa) { KeyId = "key-1" };
        Publish(SigningKey);
        Handler = new FakeHttpHandler(RespondAsync);
        HttpClients = TestHttpClients.For(Handler);
        Metadata = new AuthorityMetadata(
            Options.Create(new AuthOptions { Authority = Issuer, RequireHttpsMetadata = true }), HttpClients);
    }

    public bool WithRevocation { get; }

    /// <summary>When false, discovery answers 503: the authority is down.</summary>
    public bool DiscoveryAvailable { get; set; } = true;

    /// <summary>Whether the discovery document advertises <c>authorization_response_iss_parameter_supported</c> (RFC 9207).</summary>
    public bool IssParameterSupported { get; set; }

    public RsaSecurityKey SigningKey { get; }

    public SigningCredentials Credentials => new(SigningKey, SecurityAlgorithms.RsaSha256);

    public FakeHttpHandler Handler { get; }

    public IHttpClientFactory HttpClients { get; }

    public AuthorityMetadata Metadata { get; }

    /// <summary>Answers the token and revocation endpoints; by default 500.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Endpoints { get; set; }
        = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));

    public int DiscoveryReads { get; private set; }

    /// <summary>A key pair other than <see cref="SigningKey"/>'s, under the given key id.</summary>
    public static RsaSecurityKey NewKey(string keyId) => new(OtherRsa) { KeyId = keyId };

    public void Publish(RsaSecurityKey key)
    {
        lock (_published)
        {
            _published.Add(key);
        }
    }

    public void Dispose() => Handler.Dispose();

    private Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!.AbsoluteUri;
        if (uri == Issuer + "/.well-known/openid-configuration")
        {
            DiscoveryReads++;
            return Task.FromResult(DiscoveryAvailable
                ? FakeHttpHandler.Json(HttpStatusCode.OK, DiscoveryDocument())
                : new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }

        if (uri == JwksUri)
        {
            return Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.OK, JwksDocument()));
        }

        return Endpoints(request, cancellationToken);
    }

    private string DiscoveryDocument()
    {
        var document = new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Issuer + "/auth",
            ["token_endpoint"] = TokenEndpoint,
            ["jwks_uri"] = JwksUri,
            ["registration_endpoint"] = Issuer + "/reg",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        };
        if (IssParameterSupported)
        {
            document["authorization_response_iss_parameter_supported"] = true;
        }

        if (WithRevocation)
        {
            document["revocation_endpoint"] = RevocationEndpoint;
        }

        return JsonSerializer.Serialize(document);
    }

    private string JwksDocument()
    {
        lock (_published)
        {
            var keys = _published.Select(key =>
            {
                var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
                return new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                };
            });
            return JsonSerializer.Serialize(new { keys });
        }
    }
}
