using McpGateway.Auth.Tokens;
using McpGateway.Hosting;
using McpGateway.Hosting.Telemetry;
using McpGateway.Sessions;
using McpGateway.Usage;
using Yarp.ReverseProxy.Forwarder;

namespace McpGateway.Proxy;

/// <summary>
/// The proxy pipeline's own step before YARP forwards a chat call: the CSRF header, a fresh access
/// token (401 when the session ended, 503 when it cannot be refreshed now), usage metering of the
/// answer as it streams through, and JSON errors when the upstream is down (502) or too slow (504).
/// </summary>
internal sealed class ChatProxyGuard(
    RequestDelegate next, SessionTokenService tokens, UsageLedger usage, GatewayTelemetry telemetry, TimeProvider time, ILogger<ChatProxyGuard> logger)
{
    public const string UpstreamUnavailable = "upstream_unavailable";
    public const string UpstreamTimeout = "upstream_timeout";

    private static readonly object[] BoxedStatusCodes = [.. Enumerable.Range(100, 500).Select(status => (object)status)];

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers[CsrfHeaderFilter.HeaderName] != "1")
        {
            await GatewayErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, GatewayErrors.CsrfHeaderMissing,
                $"This request changes state and must carry the header '{CsrfHeaderFilter.HeaderName}: 1'.");
            return;
        }

        var token = await tokens.GetAccessTokenAsync(context);
        if (!token.Succeeded)
        {
            await token.WriteFailureAsync(context.Response);
            return;
        }

        context.Features.Set(ProxiedAccessToken.For(token.Tokens!));
        if (token.Tokens!.IsDpopBound)
        {
            // A DPoP nonce challenge is answered by forwarding the request once more (AccessTokenTransformProvider).
            context.Request.EnableBuffering();
        }

        var started = time.GetTimestamp();
        var body = context.Response.Body;
        using var meter = new UsageMeteringStream(body, context.Response);
        context.Response.Body = meter;
        try
        {
            await next(context);
            if (context.Items.Remove(AccessTokenTransformProvider.NonceRetryItem) && !context.Response.HasStarted && context.Request.Body.CanSeek)
            {
                McpGateway.Auth.Dpop.DpopLog.ChatNonceRetry(logger);
                context.Response.Clear();
                context.Request.Body.Position = 0;
                context.Items[AccessTokenTransformProvider.NonceRetriedItem] = true;
                await next(context);
            }
        }
        finally
        {
            context.Response.Body = body;
            telemetry.ProxyDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("http.response.status_code", StatusTag(context.Response.StatusCode)));
        }

        if (context.Features.Get<IForwarderErrorFeature>() is { Error: not ForwarderError.None } failure)
        {
            await WriteFailureAsync(context, failure);
            return;
        }

        if (context.Response.StatusCode is >= 200 and < 300 && meter.Complete() is { } used)
        {
            usage.Record(ActiveSession.SubjectOf(context)!, used);
        }
    }

    /// <summary>The status code as a metric tag, boxed once per code rather than on every call.</summary>
    private static object StatusTag(int status) => status is >= 100 and < 600 ? BoxedStatusCodes[status - 100] : status;

    private Task WriteFailureAsync(HttpContext context, IForwarderErrorFeature failure)
    {
        ProxyLog.ForwardingFailed(logger, failure.Error.ToString(), failure.Exception?.GetType().Name ?? "none");
        if (context.Response.HasStarted)
        {
            // Mid-stream: the status line is gone; the aborted stream is the signal.
            return Task.CompletedTask;
        }

        return failure.Error == ForwarderError.RequestTimedOut
            ? GatewayErrors.WriteAsync(context.Response, StatusCodes.Status504GatewayTimeout, UpstreamTimeout, "The chat server did not answer in time.")
            : GatewayErrors.WriteAsync(context.Response, StatusCodes.Status502BadGateway, UpstreamUnavailable, "The chat server is unavailable.");
    }
}
