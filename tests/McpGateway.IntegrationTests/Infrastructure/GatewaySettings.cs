namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>The configuration a test gives a gateway; each test gets its own Redis key prefix, so its own registration.</summary>
internal sealed record GatewaySettings
{
    public required string Authority { get; init; }

    /// <summary>Empty for single-instance in-memory mode.</summary>
    public string RedisConfiguration { get; init; } = "";

    public string KeyPrefix { get; init; } = "test-" + Guid.NewGuid().ToString("N")[..8] + ":";

    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RegistrationRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Auth:TokenEndpointAuthMethod</c>; null leaves the gateway's default (auto: private_key_jwt against the dev provider).</summary>
    public string? TokenEndpointAuthMethod { get; init; }

    /// <summary>Replicas behind one load balancer share the public origin; by default it is the instance's own address.</summary>
    public Uri? PublicOrigin { get; init; }

    public IReadOnlyDictionary<string, string?> Extra { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string?> Build(Uri publicOrigin)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PublicOrigin"] = (PublicOrigin ?? publicOrigin).GetLeftPart(UriPartial.Authority),
            ["Auth:Authority"] = Authority,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:RefreshMargin"] = RefreshMargin.ToString(),
            ["Auth:RegistrationRetryMaxDelay"] = RegistrationRetryMaxDelay.ToString(),
            ["Redis:Configuration"] = RedisConfiguration,
            ["Redis:KeyPrefix"] = KeyPrefix,
        };
        if (TokenEndpointAuthMethod is not null)
        {
            settings["Auth:TokenEndpointAuthMethod"] = TokenEndpointAuthMethod;
        }

        foreach (var (key, value) in Extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
