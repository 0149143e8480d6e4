namespace McpGateway.Auth.Oidc;

/// <summary>
/// Why a sign-in that asked for <c>offline_access</c> came back without a refresh token, in words an
/// operator can act on; null when nothing is missing.
/// </summary>
internal static class MissingRefreshToken
{
    public static string? Cause(AuthOptions options, string? grantedScope, bool refreshTokenIssued)
    {
        if (refreshTokenIssued || !options.RequestsOfflineAccess)
        {
            return null;
        }

        // RFC 6749 §5.1: an absent scope means the requested one was granted.
        var granted = grantedScope is null || grantedScope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(AuthOptions.OfflineAccessScope);
        if (granted)
        {
            return "the authorization server granted offline_access but issued no refresh token (does the client's registration allow the refresh_token grant?)";
        }

        var prompt = options.EffectivePrompt;
        return prompt is not null && prompt.Split(' ').Contains("consent")
            ? $"the authorization server did not grant offline_access (granted scope '{grantedScope}'); it may not allow offline access for this client or user"
            : $"the authorization server did not grant offline_access (granted scope '{grantedScope}'); providers that follow OpenID Connect Core §11 grant it only "
              + $"with prompt=consent, and Auth:Prompt is '{options.Prompt}': leave it empty or set it to 'consent'";
    }
}
