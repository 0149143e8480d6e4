using Microsoft.AspNetCore.Diagnostics;
using StackExchange.Redis;

namespace McpGateway.Hosting;

/// <summary>
/// Turns unhandled exceptions into JSON errors without internals: a Redis outage becomes 503 with
/// <c>Retry-After</c> (nothing is lost: the sessions are still in Redis when it returns), a body Kestrel
/// could not read keeps its own 4xx (400, 408, 413), anything else 500.
/// </summary>
internal sealed class StoreUnavailableExceptionHandler(ILogger<StoreUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        if (IsStoreOutage(exception))
        {
            HostingLog.StoreUnavailable(logger, httpContext.Request.Path, exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "5";
            await GatewayErrors.WriteAsync(httpContext.Response, StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable,
                "The session store is unavailable; retry in a few seconds.");
            return true;
        }

        if (RequestBodyFailure.Find(exception) is { } badRequest)
        {
            // The client's doing (a slow or broken body), not the gateway's: no error log an attacker could fill.
            HostingLog.BadRequestBody(logger, httpContext.Request.Path, badRequest.StatusCode);
            await GatewayErrors.WriteAsync(httpContext.Response, badRequest.StatusCode, GatewayErrors.InvalidRequest, RequestBodyFailure.Describe(badRequest.StatusCode));
            return true;
        }

        HostingLog.UnhandledException(logger, httpContext.Request.Path, exception);
        await GatewayErrors.WriteAsync(httpContext.Response, StatusCodes.Status500InternalServerError, GatewayErrors.ServerError,
            "The gateway failed to handle the request. The error was logged with the request id "
            + (httpContext.Response.Headers.TryGetValue(CorrelationMiddleware.HeaderName, out var id) ? id.ToString() : httpContext.TraceIdentifier) + ".");
        return true;
    }

    private static readonly string[] TransientServerErrors = ["LOADING", "MASTERDOWN", "CLUSTERDOWN", "READONLY", "TRYAGAIN"];

    internal static bool IsStoreOutage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisConnectionException or RedisTimeoutException)
            {
                return true;
            }

            // A Redis that is loading its data, failing over or read-only for now answers with these errors.
            if (current is RedisServerException server && TransientServerErrors.Any(prefix => server.Message.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
