using System.Text.Json;

namespace McpGateway.Tests.Infrastructure;

/// <summary>Builds a <see cref="DefaultHttpContext"/> whose response body can be read back as JSON.</summary>
internal static class HttpResponses
{
    public static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        context.Response.Body = new MemoryStream();
        return context;
    }

    public static string BodyText(this HttpResponse response)
    {
        var body = (MemoryStream)response.Body;
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    public static JsonElement BodyJson(this HttpResponse response)
    {
        using var document = JsonDocument.Parse(response.BodyText());
        return document.RootElement.Clone();
    }

    public static string? Property(this JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
