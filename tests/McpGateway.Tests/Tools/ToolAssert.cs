using System.Text.Json;
using McpGateway.Tools;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Tools;

/// <summary>Assertions on the two shapes a gateway tool answers with.</summary>
internal static class ToolAssert
{
    /// <summary>Asserts an error result and returns its text.</summary>
    public static string Error(CallToolResult result)
    {
        Assert.True(result.IsError, $"expected an error result, got: {ToolResults.TextOf(result)}");
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Null(result.StructuredContent);
        return text;
    }

    /// <summary>Asserts an error result whose text contains every fragment.</summary>
    public static string Error(CallToolResult result, params string[] fragments)
    {
        var text = Error(result);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, text, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Asserts a successful result and returns its text.</summary>
    public static string Success(CallToolResult result)
    {
        Assert.False(result.IsError == true, $"expected success, got the error: {ToolResults.TextOf(result)}");
        return Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
    }

    /// <summary>Tool arguments from a JSON text.</summary>
    public static JsonElement Arguments(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Tool arguments holding one string, escaped properly whatever it contains.</summary>
    public static JsonElement Arguments(string name, string value)
        => JsonSerializer.SerializeToElement(new Dictionary<string, string> { [name] = value });

    public static ToolInvocation Alice { get; } = new("alice");
}
