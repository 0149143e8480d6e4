using System.Reflection;
using McpGateway.Mcp;

namespace McpGateway.Tests.Mcp;

public sealed class BridgeErrorCodesTests
{
    /// <summary>The codes MCP itself gives meaning to (McpErrorCode in the SDK 2.4.0), and JSON-RPC's own.</summary>
    private static readonly int[] Taken = [-32700, -32600, -32601, -32602, -32603, -32002, -32020, -32021, -32022, -32042];

    private static readonly IReadOnlyDictionary<string, int> Codes = typeof(BridgeErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .ToDictionary(field => field.Name, field => (int)field.GetRawConstantValue()!);

    [Fact]
    public void Every_code_is_in_the_implementation_defined_server_error_range_and_distinct()
    {
        Assert.NotEmpty(Codes);
        Assert.All(Codes.Values, code => Assert.InRange(code, -32099, -32000));
        Assert.Equal(Codes.Count, Codes.Values.Distinct().Count());
    }

    [Fact]
    public void No_code_collides_with_one_mcp_gives_a_meaning()
        => Assert.Empty(Codes.Where(pair => Taken.Contains(pair.Value)).Select(pair => $"{pair.Key} = {pair.Value}"));
}
