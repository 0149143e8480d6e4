using ModelContextProtocol.Protocol;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

internal static class ToolText
{
    /// <summary>The text blocks of a tool result, joined.</summary>
    public static string Of(CallToolResult result) => string.Join("", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
}
