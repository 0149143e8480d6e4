using ModelContextProtocol.Protocol;

namespace McpGateway.Connectors.Routing;

/// <summary>One of the MCP list methods the router merges across connectors, and how its entries are named.</summary>
internal sealed record ListKind(string Method, string Member, string? NameMember, string? UriMember)
{
    /// <summary>Tools: named <c>{prefix}{name}</c>.</summary>
    public static readonly ListKind Tools = new(RequestMethods.ToolsList, "tools", "name", null);

    /// <summary>Prompts: named <c>{prefix}{name}</c>.</summary>
    public static readonly ListKind Prompts = new(RequestMethods.PromptsList, "prompts", "name", null);

    /// <summary>Resources: their URIs stay the server's, remembered for routing.</summary>
    public static readonly ListKind Resources = new(RequestMethods.ResourcesList, "resources", null, "uri");

    /// <summary>Resource templates: as resources, by <c>uriTemplate</c>.</summary>
    public static readonly ListKind Templates = new(RequestMethods.ResourcesTemplatesList, "resourceTemplates", null, "uriTemplate");

    public static ListKind? Of(string method) => method switch
    {
        RequestMethods.ToolsList => Tools,
        RequestMethods.PromptsList => Prompts,
        RequestMethods.ResourcesList => Resources,
        RequestMethods.ResourcesTemplatesList => Templates,
        _ => null,
    };
}
