namespace McpGateway.Contexts;

/// <summary>The <c>Contexts</c> configuration section: how much context a user may keep, and for how long.</summary>
internal sealed class ContextOptions
{
    public const string SectionName = "Contexts";

    /// <summary>Largest <c>content</c> of one context: a string's UTF-8 bytes, any other value's compact JSON text in UTF-8 bytes.</summary>
    public int MaxContentBytes { get; set; } = 64 * 1024;

    /// <summary>Largest <c>metadata</c> of one context (seed fields and any others), as compact JSON text in UTF-8 bytes.</summary>
    public int MaxMetadataBytes { get; set; } = 4 * 1024;

    public int MaxPerConversation { get; set; } = 200;

    /// <summary>A conversation's contexts expire this long after the last change.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(7);
}
