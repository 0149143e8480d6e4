using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace McpGateway.Hosting.OpenApi;

/// <summary>The health endpoints are health-check middleware, not API endpoints: this filter documents them.</summary>
internal sealed class HealthDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        Add(document, context, "/healthz", "Liveness: 200 while the process runs.", "The process runs.", includeUnavailable: false);
        Add(document, context, "/readyz", "Readiness: Redis answers, the authority's metadata was read, the client is registered.",
            "Ready to serve.", includeUnavailable: true);
    }

    private static void Add(OpenApiDocument document, DocumentFilterContext context, string path, string summary, string okDescription, bool includeUnavailable)
    {
        var report = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(HealthReportResponse), context.SchemaRepository) },
        };
        var responses = new Microsoft.OpenApi.OpenApiResponses { ["200"] = new OpenApiResponse { Description = okDescription, Content = report } };
        if (includeUnavailable)
        {
            responses["503"] = new OpenApiResponse { Description = "Not ready: each failing check says why.", Content = report };
        }

        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, new OpenApiOperation
        {
            OperationId = path.TrimStart('/'),
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            Responses = responses,
        });
        document.Paths.Add(path, item);
    }
}
