namespace McpGateway.Hosting;

/// <summary>The <c>Gateway</c> configuration section.</summary>
internal sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The origin browsers use, e.g. <c>https://chat.example.com</c>.</summary>
    public string PublicOrigin { get; set; } = "";

    /// <summary>
    /// Connections Kestrel keeps open at once (browser sockets included); the next are closed at once.
    /// Unset: derived from the process's file-descriptor limit (<see cref="ConnectionLimit"/>).
    /// </summary>
    public long? MaxConnections { get; set; }

    /// <summary>The parsed <see cref="PublicOrigin"/>; valid once the options passed validation.</summary>
    public Uri PublicOriginUri => new(PublicOrigin, UriKind.Absolute);

    public bool IsHttps => PublicOriginUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>The origin as browsers send it in the <c>Origin</c> header: scheme, host and non-default port.</summary>
    public string OriginHeaderValue => PublicOriginUri.GetLeftPart(UriPartial.Authority);

    public Uri Resolve(string path) => new(PublicOriginUri, path);
}
