using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools;

/// <summary>Builds the two shapes every gateway tool answers with.</summary>
internal static class ToolResults
{
    public static CallToolResult Success(string text, JsonElement? structuredContent = null) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = structuredContent,
        IsError = false,
    };

    /// <summary>A tool error the caller (often a model) can read and correct; never internals.</summary>
    public static CallToolResult Error(string message) => new()
    {
        Content = [new TextContentBlock { Text = message }],
        IsError = true,
    };

    /// <summary>The text of a result's first text block, or an empty string.</summary>
    public static string TextOf(CallToolResult result)
        => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "";
}
