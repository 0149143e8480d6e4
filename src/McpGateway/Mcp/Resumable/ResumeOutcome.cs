namespace McpGateway.Mcp.Resumable;

/// <summary>What a <c>?resume=</c> handle found.</summary>
internal enum ResumeOutcome
{
    /// <summary>No handle was given: a new session.</summary>
    None,

    /// <summary>Unknown or expired: a new session, whose <c>initialize</c> answer carries a new handle.</summary>
    Unknown,

    /// <summary>A session of another sign-in session: refused.</summary>
    Foreign,

    /// <summary>The caller's session: its upstream session is joined.</summary>
    Resumed,
}
