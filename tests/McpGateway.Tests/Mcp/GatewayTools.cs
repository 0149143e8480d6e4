using System.Text.Json;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tools;
using McpGateway.Tools.Calculator;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>Registries of real gateway tools (the calculator) and a small stand-in, as the bridge sees them.</summary>
internal static class GatewayTools
{
    public static ToolRegistry Registry(params IGatewayTool[] tools)
        => new(tools, new FakeTimeProvider(), new CapturingLogger<ToolRegistry>());

    /// <summary>The calculator and a tool named <c>gateway_echo</c>, in that order.</summary>
    public static ToolRegistry CalculatorAndEcho() => Registry(Calculator(), new EchoTool("gateway_echo"));

    public static CalculatorTool Calculator() => new(Options.Create(new CalculatorOptions()));

    public static Tool Definition(string name, string description = "")
        => new() { Name = name, Description = description, InputSchema = JsonSerializer.SerializeToElement(new { type = "object" }) };
}
