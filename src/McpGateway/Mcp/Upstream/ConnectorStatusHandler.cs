using System.Net;
using McpGateway.Connectors;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Tells the <see cref="ConnectorStatusBoard"/> how the connector's server answers: unreachable or a 5xx is a failure,
/// any other answer (also 401/403: the server is up, the user's authorization is another matter) a success.
/// </summary>
internal sealed class ConnectorStatusHandler(ConnectorStatusBoard board, string connector) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            board.ReportFailure(connector, "it cannot be reached");
            throw;
        }

        if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented)
        {
            board.ReportFailure(connector, $"it answered HTTP {(int)response.StatusCode}");
        }
        else
        {
            board.ReportSuccess(connector);
        }

        return response;
    }
}
