using System.Diagnostics.CodeAnalysis;
using McpGateway.Hosting.Telemetry;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools;

/// <summary>
/// The gateway's own tools, by name. Each is wrapped in a <see cref="GuardedTool"/>, so whatever is
/// taken from here logs its calls and answers every failure with an error result.
/// </summary>
internal sealed class ToolRegistry
{
    private readonly Dictionary<string, IGatewayTool> _byName;
    private readonly ILogger<ToolRegistry> _logger;

    public ToolRegistry(IEnumerable<IGatewayTool> tools, TimeProvider time, ILogger<ToolRegistry> logger, GatewayTelemetry? telemetry = null)
    {
        _logger = logger;
        Tools = [.. tools.Select(tool => (IGatewayTool)new GuardedTool(tool, time, logger, telemetry))];
        _byName = new Dictionary<string, IGatewayTool>(StringComparer.Ordinal);
        foreach (var tool in Tools)
        {
            if (!_byName.TryAdd(tool.Definition.Name, tool))
            {
                throw new InvalidOperationException($"Two gateway tools are named '{tool.Definition.Name}'.");
            }
        }

        Definitions = [.. Tools.Select(tool => tool.Definition)];
    }

    /// <summary>The enabled tools in registration order: calculator, file_read, web_search.</summary>
    public IReadOnlyList<IGatewayTool> Tools { get; }

    public IReadOnlyList<Tool> Definitions { get; }

    /// <summary>Finds a tool by its exact (case-sensitive) name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IGatewayTool? tool) => _byName.TryGetValue(name, out tool);

    /// <summary>
    /// The list a client sees in <c>tools/list</c>: the gateway's tools first, then the upstream's. When an
    /// upstream tool has the name of a gateway tool, the gateway's wins and the upstream one is left
    /// out: a <c>tools/call</c> of that name runs in the gateway, so listing both would advertise a tool
    /// that can never be reached.
    /// </summary>
    public IReadOnlyList<Tool> MergeWith(IEnumerable<Tool> upstreamTools)
    {
        var merged = new List<Tool>(Definitions);
        foreach (var tool in upstreamTools)
        {
            if (_byName.ContainsKey(tool.Name))
            {
                ToolsLog.UpstreamToolShadowed(_logger, tool.Name);
                continue;
            }

            merged.Add(tool);
        }

        return merged;
    }
}
