using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace McpGateway.Hosting.OpenApi;

/// <summary>The gateway's error answers as API document responses, with examples.</summary>
internal static class ErrorResponses
{
    public static OpenApiResponse Error(SchemaRepository schemas, ISchemaGenerator generator, string description, string error, string example)
        => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = generator.GenerateSchema(typeof(ErrorResponse), schemas),
                    Example = new JsonObject { ["error"] = error, ["error_description"] = example },
                },
            },
        };

    public static void AddError(this OpenApiOperation operation, string status, SchemaRepository schemas, ISchemaGenerator generator, string description, string error, string example)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status, Error(schemas, generator, description, error, example));
    }
}
