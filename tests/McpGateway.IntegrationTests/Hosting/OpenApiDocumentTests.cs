using System.Net;
using McpGateway.IntegrationTests.Infrastructure;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace McpGateway.IntegrationTests.Hosting;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_api_document_is_valid_and_describes_every_endpoint_with_its_security_and_errors()
    {
        await using var gateway = GatewayHost.Start(new GatewaySettings
        {
            Authority = $"http://127.0.0.1:{FreePort.Next()}",
            Extra = new Dictionary<string, string?> { ["Upstreams:Chat:Url"] = "http://127.0.0.1:9" },
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var ui = await http.GetAsync("/swagger/index.html");
        using var response = await http.GetAsync("/swagger/v1/swagger.json");
        var (document, diagnostic) = await OpenApiDocument.LoadAsync(await response.Content.ReadAsStreamAsync(), OpenApiConstants.Json, new OpenApiReaderSettings());

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        var expected = new Dictionary<string, HttpMethod[]>
        {
            ["/auth/login"] = [HttpMethod.Get],
            ["/auth/session"] = [HttpMethod.Get],
            ["/auth/client"] = [HttpMethod.Get],
            ["/auth/logout"] = [HttpMethod.Post],
            ["/auth/backchannel"] = [HttpMethod.Post],
            ["/api/tools"] = [HttpMethod.Get],
            ["/api/tools/{name}/call"] = [HttpMethod.Post],
            ["/api/conversations/{conversationId}/contexts"] = [HttpMethod.Get, HttpMethod.Post],
            ["/api/conversations/{conversationId}/contexts/{contextId}"] = [HttpMethod.Delete],
            ["/api/usage"] = [HttpMethod.Get],
            ["/api/v2/chat"] = [HttpMethod.Post],
            ["/healthz"] = [HttpMethod.Get],
            ["/readyz"] = [HttpMethod.Get],
            ["/mcp"] = [HttpMethod.Post, HttpMethod.Get, HttpMethod.Delete],
        };
        foreach (var (path, methods) in expected)
        {
            Assert.True(document.Paths.ContainsKey(path), $"{path} is not documented; documented: {string.Join(", ", document.Paths.Keys)}");
            foreach (var method in methods)
            {
                Assert.True(document.Paths[path].Operations!.ContainsKey(method), $"{method} {path} is not documented");
            }
        }

        Assert.Contains("session", document.Components!.SecuritySchemes!.Keys);
        Assert.Contains("csrf", document.Components.SecuritySchemes.Keys);
        var chat = document.Paths["/api/v2/chat"].Operations![HttpMethod.Post];
        Assert.Contains("text/event-stream", chat.Responses!["200"].Content!.Keys);
        Assert.True(new[] { "401", "403", "429", "502", "504" }.All(chat.Responses.ContainsKey));
        var logout = document.Paths["/auth/logout"].Operations![HttpMethod.Post];
        Assert.Contains(logout.Security!, requirement => requirement.Keys.Any(scheme => scheme.Reference.Id == "csrf"));
        Assert.True(logout.Responses!.ContainsKey("403"));
        var callTool = document.Paths["/api/tools/{name}/call"].Operations![HttpMethod.Post];
        Assert.True(callTool.Responses!.ContainsKey("429"));
        var mcp = document.Paths["/mcp"].Operations!;
        Assert.Contains("text/event-stream", mcp[HttpMethod.Post].Responses!["200"].Content!.Keys);
        Assert.Contains("Mcp-Session-Id", mcp[HttpMethod.Post].Description, StringComparison.Ordinal);
        Assert.True(new[] { "401", "403", "404", "413", "415" }.All(mcp[HttpMethod.Post].Responses!.ContainsKey));
        Assert.Contains(mcp[HttpMethod.Delete].Security!, requirement => requirement.Keys.Any(scheme => scheme.Reference.Id == "session"));

        // A context's content is any JSON value (no type), its timestamp a number or a text, its metadata open.
        var schemas = document.Components.Schemas!;
        foreach (var type in new[] { "ConversationContext", "StoreContextRequest" })
        {
            var content = schemas[type].Properties!["content"];
            Assert.Null(content.Type);
            Assert.StartsWith("Any JSON value but null", content.Description, StringComparison.Ordinal);
        }

        var timestamp = schemas["ContextMetadata"].Properties!["timestamp"];
        Assert.Equal([JsonSchemaType.Integer, JsonSchemaType.String], timestamp.OneOf!.Select(choice => choice.Type));
        Assert.NotNull(schemas["ContextMetadata"].AdditionalProperties);
        Assert.False(schemas.ContainsKey("ContextTimestamp"));
    }

    [Fact]
    public async Task Unknown_api_paths_get_404_json_never_a_page()
    {
        await using var gateway = GatewayHost.Start(new GatewaySettings { Authority = $"http://127.0.0.1:{FreePort.Next()}" });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var unknown = await http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", await unknown.ErrorCodeAsync());
    }
}
