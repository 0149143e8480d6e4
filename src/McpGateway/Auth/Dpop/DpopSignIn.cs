using McpGateway.Auth.ClientAuthentication;

namespace McpGateway.Auth.Dpop;

/// <summary>
/// The key and access token of a sign-in whose code was just redeemed with DPoP, kept on the callback request
/// (<see cref="HttpContext.Items"/>) so the OpenID Connect handler's own userinfo call, which sends the token as
/// Bearer, is turned into a DPoP request by <see cref="DpopHandler"/>. Only that one token is upgraded.
/// </summary>
internal sealed record DpopSignIn(ClientSigningKey Key, string AccessToken)
{
    public static readonly object Item = new();
}
