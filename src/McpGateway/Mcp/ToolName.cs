namespace McpGateway.Mcp;

/// <summary>
/// Which tool names the gateway relays. The MCP specification (2025-11-25, "Tool Names") says a name
/// SHOULD be 1–128 characters of ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>. The gateway
/// keeps the length and refuses everything that is not visible ASCII: control characters and line
/// breaks end up in the upstream's <c>Mcp-Name</c> header (where they fail, or worse, travel), spaces and
/// non-ASCII cannot be sent there either. Other visible ASCII (<c>/</c>, <c>:</c>) is let through for
/// servers that name their tools so.
/// </summary>
internal static class ToolName
{
    public const int MaxLength = 128;

    /// <returns>Why <paramref name="name"/> is no tool name, or <see langword="null"/> when it is one.</returns>
    public static string? Problem(string? name) => name switch
    {
        null or "" => "The tool name is missing.",
        { Length: > MaxLength } => $"The tool name is longer than {MaxLength} characters.",
        _ when name.AsSpan().ContainsAnyExceptInRange('!', '~')
            => "The tool name may hold only visible ASCII characters (letters, digits, '_', '-', '.'): no spaces, line breaks or other control characters.",
        _ => null,
    };

    public static bool IsValid(string? name) => Problem(name) is null;
}
