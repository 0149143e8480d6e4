namespace McpGateway.Auth.Oidc;

/// <summary>
/// RFC 9207: the <c>iss</c> parameter of an authorization response names the authorization server that
/// sent it; a response that names another one (or none, from a server that promises to send it) is refused
/// before its code is redeemed anywhere.
/// </summary>
internal static class AuthorizationResponseIssuer
{
    /// <param name="iss">The response's <c>iss</c> parameter, or <see langword="null"/> when absent.</param>
    /// <param name="expectedIssuer">The issuer of the metadata the sign-in was started with.</param>
    /// <param name="issParameterSupported">The metadata's <c>authorization_response_iss_parameter_supported</c>.</param>
    /// <returns>Why the response must be refused, or <see langword="null"/> when it may proceed.</returns>
    public static string? Problem(string? iss, string expectedIssuer, bool issParameterSupported)
    {
        if (iss is null)
        {
            return issParameterSupported
                ? "The authorization response has no iss parameter, although the authorization server sends one (RFC 9207)."
                : null;
        }

        // RFC 9207 §2.4: simple string comparison, no normalisation.
        return string.Equals(iss, expectedIssuer, StringComparison.Ordinal)
            ? null
            : "The authorization response's iss parameter names another authorization server (RFC 9207).";
    }
}
