namespace McpGateway.Sessions;

/// <summary>The <c>Sessions</c> configuration section.</summary>
internal sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session unused for this long ends (the cookie slides while it is used).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in however much it is used.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(24);
}
