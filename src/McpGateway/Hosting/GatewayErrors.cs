namespace McpGateway.Hosting;

/// <summary>The error codes the gateway answers with, and how it writes them (<c>{error, error_description}</c>, never cached).</summary>
internal static class GatewayErrors
{
    public const string Unauthenticated = "unauthenticated";
    public const string SessionExpired = "session_expired";
    public const string CsrfHeaderMissing = "csrf_header_missing";
    public const string InvalidRequest = "invalid_request";
    public const string Forbidden = "forbidden";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string ServerError = "server_error";

    public static IResult Result(int statusCode, string error, string description)
        => TypedResults.Json(new ErrorResponse(error, description), GatewayJsonContext.Default.ErrorResponse, statusCode: statusCode);

    public static Task WriteAsync(HttpResponse response, int statusCode, string error, string description)
    {
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        return response.WriteAsJsonAsync(new ErrorResponse(error, description), GatewayJsonContext.Default.ErrorResponse);
    }
}
