namespace McpGateway.Hosting;

/// <summary>
/// What to tell a client whose request body the server could not read (Kestrel's
/// <see cref="BadHttpRequestException"/>: too slow, malformed chunking, too large). The status code
/// comes from the exception; the description is the gateway's own, never the exception's message.
/// </summary>
internal static class RequestBodyFailure
{
    public static string Describe(int statusCode) => statusCode switch
    {
        StatusCodes.Status408RequestTimeout => "The request body did not arrive in time.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        _ => "The request body could not be read (it is malformed or incomplete).",
    };

    /// <summary>The bad request in <paramref name="exception"/> or among its inner exceptions.</summary>
    public static BadHttpRequestException? Find(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException badRequest)
            {
                return badRequest;
            }
        }

        return null;
    }
}
