using System.Text.Json.Nodes;
using McpGateway.Contexts;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace McpGateway.Hosting.OpenApi;

/// <summary>
/// Says in the document what the generated schemas cannot: a context's <c>content</c> is any JSON value
/// but null, its metadata may carry more members, and <c>timestamp</c> is a number or an ISO 8601 text.
/// </summary>
internal sealed class ContextSchemaFilter : ISchemaFilter
{
    private const string Seed = """
        {"conversation_id":"trip","content":{"message":"I prefer trains","timestamp":1733140000000,"user_context":{"locale":"en-GB"}},"metadata":{"timestamp":1733140000000,"model":"gpt-4","tokens_used":42}}
        """;

    public static OpenApiSchema Timestamp() => new()
    {
        Description = "Milliseconds since the Unix epoch (the gateway's default when absent) or an ISO 8601 text; written back in the form it came in. Contexts are listed oldest first by it.",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        ],
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target)
        {
            return;
        }

        if (context.Type == typeof(ConversationContext) || context.Type == typeof(StoreContextRequest))
        {
            if (target.Properties?.TryGetValue("content", out var content) == true && content is OpenApiSchema any)
            {
                any.Description = "Any JSON value but null: a string, number, boolean, array or object, kept exactly as it came. "
                    + "A string counts its UTF-8 bytes against `Contexts:MaxContentBytes`, any other value its compact JSON text.";
            }

            if (context.Type == typeof(StoreContextRequest))
            {
                target.Example = JsonNode.Parse(Seed);
            }
        }
        else if (context.Type == typeof(ContextMetadata))
        {
            target.Description = "The seed's `timestamp`, `model` and `tokens_used`, and any other members, kept as they came; "
                + "at most `Contexts:MaxMetadataBytes` of compact JSON text.";
        }
    }
}
