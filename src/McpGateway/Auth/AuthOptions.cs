namespace McpGateway.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const string DefaultScopes = "openid profile offline_access";
    public const string OfflineAccessScope = "offline_access";

    /// <summary>The <see cref="Prompt"/> value that leaves the parameter out (never sent as <c>prompt=none</c>, which forbids any page).</summary>
    public const string NoPrompt = "none";

    /// <summary>The <c>prompt</c> values an interactive sign-in may carry (OpenID Connect Core §3.1.2.1, and <c>create</c>).</summary>
    public static readonly string[] PromptValues = ["consent", "login", "select_account", "create"];

    /// <summary>The <see cref="ResourceIndicators"/> values.</summary>
    public static readonly string[] ResourceIndicatorsValues = ["off", "on"];

    /// <summary>The authorization server's issuer URL.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Space-separated scopes requested at sign-in and registration.</summary>
    public string Scopes { get; set; } = DefaultScopes;

    /// <summary>
    /// The OpenID Connect <c>prompt</c> of the authorization request. Empty (the default): <c>consent</c> when
    /// <c>offline_access</c> is requested, as OpenID Connect Core §11 asks (a provider that follows it grants no
    /// refresh token otherwise), else none. <c>none</c>: no prompt parameter at all, for providers that issue
    /// refresh tokens without it. Any other value (<c>consent</c>, <c>login</c>, <c>select_account</c>, space-separated) is sent as it is.
    /// </summary>
    public string Prompt { get; set; } = "";

    /// <summary>The <c>client_name</c> sent at registration.</summary>
    public string ClientName { get; set; } = "McpGateway";

    /// <summary>An RFC 7591 initial access token, when the authorization server requires one to register.</summary>
    public string? InitialAccessToken { get; set; }

    /// <summary>A pre-registered client; when set, no dynamic registration happens.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// How a dynamically registered client authenticates at the token endpoint: <c>auto</c> (private_key_jwt when the
    /// server advertises it, else client_secret_post), <c>private_key_jwt</c> (required) or <c>client_secret_post</c>.
    /// A pre-registered client (<see cref="ClientId"/>) always uses client_secret_post.
    /// </summary>
    public string TokenEndpointAuthMethod { get; set; } = ClientAuthentication.ClientAuthMethods.Auto;

    /// <summary>
    /// DPoP (RFC 9449) for the sign-in tokens: <c>auto</c> (when the server advertises ES256 proofs), <c>required</c>
    /// (sign-in fails otherwise) or <c>off</c> (Bearer). See <see cref="McpGateway.Auth.Dpop.DpopModes"/>.
    /// </summary>
    public string Dpop { get; set; } = McpGateway.Auth.Dpop.DpopModes.Auto;

    /// <summary>
    /// RFC 8707 for session-mode connectors. <c>off</c> (the default): every session-mode server gets the sign-in access token.
    /// <c>on</c>: the sign-in request carries one <c>resource</c> per session-mode server URL, and each server gets its own
    /// token from the refresh_token grant with that <c>resource</c>. No metadata field tells whether an authorization server
    /// supports resource indicators (RFC 8707 registers none), hence a setting rather than discovery.
    /// </summary>
    public string ResourceIndicators { get; set; } = "off";

    /// <summary>Whether <see cref="ResourceIndicators"/> is <c>on</c>.</summary>
    public bool UsesResourceIndicators => string.Equals(ResourceIndicators.Trim(), "on", StringComparison.OrdinalIgnoreCase);

    /// <summary>False allows an http:// authority (local stacks and tests); a warning is logged at start-up.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>An access token that expires within this margin is refreshed before use.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait between two registration attempts while the authorization server is unreachable.</summary>
    public TimeSpan RegistrationRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of each call to the authorization server.</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public Uri AuthorityUri => new(Authority, UriKind.Absolute);

    public string[] ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether a refresh token is asked for (the <c>offline_access</c> scope).</summary>
    public bool RequestsOfflineAccess => ScopeList.Contains(OfflineAccessScope);

    /// <summary>The <c>prompt</c> parameter to send, or null to send none (see <see cref="Prompt"/>).</summary>
    public string? EffectivePrompt => Prompt.Trim() switch
    {
        "" => RequestsOfflineAccess ? "consent" : null,
        NoPrompt => null,
        var prompt => string.Join(' ', prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
    };

    public bool UsesDynamicRegistration => string.IsNullOrWhiteSpace(ClientId);
}
