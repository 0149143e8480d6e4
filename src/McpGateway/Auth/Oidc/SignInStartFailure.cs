using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Oidc;

/// <summary>
/// Sorts the exceptions of starting a sign-in (reading the metadata, the pushed authorization request of
/// RFC 9126): those of an authorization server that is away, slow or refusing become a 503, not a 500.
/// </summary>
internal static class SignInStartFailure
{
    /// <summary>
    /// True when the authorization server could not be reached, did not answer within the backchannel
    /// timeout (HttpClient reports that as a <see cref="TaskCanceledException"/>), or refused the request;
    /// false when the browser went away or the exception is the gateway's own.
    /// </summary>
    public static bool IsAuthorityProblem(Exception exception, CancellationToken requestAborted) => exception switch
    {
        OperationCanceledException => !requestAborted.IsCancellationRequested,
        OpenIdConnectProtocolException or HttpRequestException or IOException or InvalidOperationException => true,
        _ => false,
    };

    /// <summary>The authorization server answered <c>invalid_client</c>: it no longer accepts the registered client.</summary>
    public static bool IsInvalidClient(Exception exception)
        => exception is OpenIdConnectProtocolException && exception.Data["error"] is "invalid_client";
}
