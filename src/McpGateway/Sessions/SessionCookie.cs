namespace McpGateway.Sessions;

/// <summary>Names of the session cookie and its authentication scheme.</summary>
internal static class SessionCookie
{
    public const string Scheme = "session";

    /// <summary>
    /// On https the <c>__Host-Http-</c> prefix (RFC 6265bis, draft-ietf-httpbis-layered-cookies): <c>__Host-</c> pins the cookie to this
    /// exact origin, path / and Secure; <c>Http</c> tells a supporting browser (Chromium 156 checked) to refuse any such cookie that is not
    /// HttpOnly, so no script can plant one. A browser without the <c>Http</c> rule still applies the <c>__Host-</c> rules.
    /// </summary>
    public const string SecureName = "__Host-Http-mcpgw";

    /// <summary>Plain http (local development) cannot use <c>__Host-</c>, which requires Secure.</summary>
    public const string DevelopmentName = "mcpgw";

    public static string NameFor(bool https) => https ? SecureName : DevelopmentName;
}
