using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpGateway.Connectors.Discovery;

/// <summary>
/// Reads one metadata document: GET, no redirects, a JSON content type, at most <see cref="MaxBytes"/>, a JSON object
/// that binds to the expected shape. A missing document (404) answers null so that the next candidate is tried.
/// </summary>
internal sealed class MetadataDocuments(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "connectors";
    public const int MaxBytes = 64 * 1024;

    public async Task<T?> GetAsync<T>(Uri address, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken) where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.ParseAdd("application/json");
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ConnectorDiscoveryException($"The {what} at {address} could not be fetched: {Describe(ex)}.", ex);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new ConnectorDiscoveryException($"The {what} at {address} answered HTTP {(int)response.StatusCode}, not 200.");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is null || !(mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal)))
            {
                throw new ConnectorDiscoveryException($"The {what} at {address} is not JSON (Content-Type '{mediaType}').");
            }

            var body = await ReadLimitedAsync(response, address, what, cancellationToken);
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ConnectorDiscoveryException($"The {what} at {address} is not a JSON object.");
                }

                return document.RootElement.Deserialize(type);
            }
            catch (JsonException ex)
            {
                throw new ConnectorDiscoveryException($"The {what} at {address} is not valid JSON of the expected shape: {ex.Message}", ex);
            }
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, Uri address, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            throw new ConnectorDiscoveryException($"The {what} at {address} is larger than {MaxBytes / 1024} KiB.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ConnectorDiscoveryException($"The {what} at {address} is larger than {MaxBytes / 1024} KiB.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    internal static string Describe(Exception ex) => ex is OperationCanceledException ? "no answer in time" : ex.InnerException?.Message ?? ex.Message;
}
