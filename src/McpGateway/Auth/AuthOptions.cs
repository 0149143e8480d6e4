namespace McpGateway.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const string DefaultScopes = "openid profile offline_access";

    /// <summary>The authorization server's issuer URL.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Space-separated scopes requested at sign-in and registration.</summary>
    public string Scopes { get; set; } = DefaultScopes;

    /// <summary>The <c>client_name</c> sent at registration.</summary>
    public string ClientName { get; set; } = "McpGateway";

    /// <summary>An RFC 7591 initial access token, when the authorization server requires one to register.</summary>
    public string? InitialAccessToken { get; set; }

    /// <summary>A pre-registered client; when set, no dynamic registration happens.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

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

    public bool UsesDynamicRegistration => string.IsNullOrWhiteSpace(ClientId);
}
