using System.Text.Json.Nodes;
using McpGateway.Proxy;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace McpGateway.Hosting.OpenApi;

/// <summary>
/// <c>POST /api/v2/chat</c> is a YARP route, not an API endpoint the explorer sees: this filter writes
/// its entry — request, JSON and event-stream answers, and errors — into the document.
/// </summary>
internal sealed class ChatDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = context.SchemaRepository;
        var generator = context.SchemaGenerator;
        var operation = new OpenApiOperation
        {
            OperationId = "chat",
            Summary = "Send the conversation to the AI server (through YARP, with the session's access token; never the cookie).",
            Description = "The body is forwarded unchanged to `{Upstreams:Chat:Url}/api/v2/chat` with `Authorization: Bearer <the user's current token>`. "
                + "With `stream: true` the answer is `text/event-stream`, passed through as the server produces it: `data: {\"delta\": \"…\"}` events, "
                + "a final event with `model`, `provider` and `usage`, then `data: [DONE]`. The `usage` of every answer is counted per user and model (`GET /api/usage`).",
            Tags = new HashSet<OpenApiTagReference> { new("Chat", document) },
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = generator.GenerateSchema(typeof(ChatRequest), schemas),
                        Example = JsonNode.Parse("""{"messages":[{"role":"user","content":"What is 2 + 2?"}],"stream":true}"""),
                    },
                },
            },
            Responses = new Microsoft.OpenApi.OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The answer: JSON, or a server-sent-event stream when `stream` is true.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = generator.GenerateSchema(typeof(ChatResponse), schemas) },
                        ["text/event-stream"] = new()
                        {
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                            Example = JsonValue.Create("data: {\"delta\":\"Hello \"}\n\ndata: {\"model\":\"sample-1\",\"provider\":\"sample\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\ndata: [DONE]\n\n"),
                        },
                    },
                },
            },
            Security =
            [
                new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(GatewayOperationFilter.SessionScheme, document)] = [],
                    [new OpenApiSecuritySchemeReference(GatewayOperationFilter.CsrfScheme, document)] = [],
                },
            ],
        };
        operation.AddError("401", schemas, generator, "No session, or the session ended.", GatewayErrors.SessionExpired, "The session has ended; sign in again at /auth/login.");
        operation.AddError("403", schemas, generator, "The `X-CSRF: 1` header is missing.", GatewayErrors.CsrfHeaderMissing, "This request changes state and must carry the header 'X-CSRF: 1'.");
        operation.AddError("429", schemas, generator, "The user's chat budget is spent; see `Retry-After`.", "rate_limited", "Too many requests; retry in 12 s.");
        operation.AddError("502", schemas, generator, "The AI server cannot be reached or failed.", ChatProxyGuard.UpstreamUnavailable, "The chat server is unavailable.");
        operation.AddError("503", schemas, generator, "The token could not be refreshed right now, or no chat server is configured.", GatewayErrors.TemporarilyUnavailable, "No chat server is configured (Upstreams:Chat:Url).");
        operation.AddError("504", schemas, generator, "The AI server sent nothing for `Upstreams:Chat:Timeout`.", ChatProxyGuard.UpstreamTimeout, "The chat server did not answer in time.");

        var path = new OpenApiPathItem();
        path.AddOperation(HttpMethod.Post, operation);
        document.Paths.Add(ChatProxyConfig.Path, path);
    }
}
