using McpGateway.Hosting;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using StackExchange.Redis;

namespace McpGateway.Tests.Hosting;

public sealed class StoreUnavailableExceptionHandlerTests
{
    private const string SecretDetail = "password=hunter2 at redis-internal:6379";

    public static TheoryData<string> StoreOutages => ["connection", "timeout", "nested connection", "deeply nested timeout"];

    [Theory]
    [MemberData(nameof(StoreOutages))]
    public async Task Redis_outage_becomes_503_json_with_retry_after(string kind)
    {
        var (handler, logger) = NewHandler();
        var context = HttpResponses.NewContext();

        var handled = await handler.TryHandleAsync(context, Outage(kind), TestContext.Current.CancellationToken);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        var body = context.Response.BodyJson();
        Assert.Equal("temporarily_unavailable", body.Property("error"));
        Assert.False(string.IsNullOrEmpty(body.Property("error_description")));
        Assert.DoesNotContain(SecretDetail, context.Response.BodyText(), StringComparison.Ordinal);
        Assert.Contains(logger.Entries, entry => entry.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Other_exception_becomes_500_json_without_message_type_or_stack_trace()
    {
        var (handler, logger) = NewHandler();
        var context = HttpResponses.NewContext();
        context.TraceIdentifier = "trace-42";
        var exception = Thrown(new InvalidOperationException(SecretDetail));

        var handled = await handler.TryHandleAsync(context, exception, TestContext.Current.CancellationToken);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        var text = context.Response.BodyText();
        var body = context.Response.BodyJson();
        Assert.Equal("server_error", body.Property("error"));
        Assert.Contains("trace-42", body.Property("error_description"), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Thrown), text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        // The operator still gets the whole exception.
        Assert.Contains(logger.Entries, entry => entry.Level == LogLevel.Error && ReferenceEquals(entry.Exception, exception));
    }

    [Theory]
    [InlineData(StatusCodes.Status400BadRequest)]
    [InlineData(StatusCodes.Status408RequestTimeout)]
    [InlineData(StatusCodes.Status413PayloadTooLarge)]
    public async Task A_body_kestrel_could_not_read_keeps_its_4xx_as_json_and_is_no_error_log(int statusCode)
    {
        var (handler, logger) = NewHandler();
        var context = HttpResponses.NewContext();
        var exception = Thrown(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly. " + SecretDetail, statusCode));

        var handled = await handler.TryHandleAsync(context, new InvalidOperationException("wrapper", exception), TestContext.Current.CancellationToken);

        Assert.True(handled);
        Assert.Equal(statusCode, context.Response.StatusCode);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        var body = context.Response.BodyJson();
        Assert.Equal("invalid_request", body.Property("error"));
        Assert.False(string.IsNullOrEmpty(body.Property("error_description")));
        Assert.DoesNotContain("hunter2", context.Response.BodyText(), StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Null(entry.Exception);
        Assert.DoesNotContain("hunter2", logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_error_that_is_not_an_outage_is_a_500()
    {
        var (handler, _) = NewHandler();
        var context = HttpResponses.NewContext();

        await handler.TryHandleAsync(context, new RedisServerException(RedisErrorKind.WrongType, CommandFlags.None, "WRONGTYPE Operation against a key holding the wrong kind of value"), TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
    }

    [Fact]
    public async Task Response_already_started_is_left_alone()
    {
        var (handler, _) = NewHandler();
        var context = HttpResponses.NewContext();
        context.Features.Set<IHttpResponseFeature>(new StartedResponseFeature { StatusCode = StatusCodes.Status200OK });

        var handled = await handler.TryHandleAsync(context, Outage("connection"), TestContext.Current.CancellationToken);

        Assert.False(handled);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Fact]
    public void Outage_is_recognised_through_any_depth_of_inner_exceptions_only_for_connection_and_timeout()
    {
        Assert.True(StoreUnavailableExceptionHandler.IsStoreOutage(Outage("deeply nested timeout")));
        Assert.False(StoreUnavailableExceptionHandler.IsStoreOutage(new InvalidOperationException("x", new RedisServerException(RedisErrorKind.UnknownError, CommandFlags.None, "ERR"))));
        Assert.False(StoreUnavailableExceptionHandler.IsStoreOutage(new TimeoutException()));
    }

    private static (StoreUnavailableExceptionHandler Handler, CapturingLogger<StoreUnavailableExceptionHandler> Logger) NewHandler()
    {
        var logger = new CapturingLogger<StoreUnavailableExceptionHandler>();
        return (new StoreUnavailableExceptionHandler(logger), logger);
    }

    private static Exception Outage(string kind) => kind switch
    {
        "connection" => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, SecretDetail, null, CommandStatus.Unknown),
        "timeout" => new RedisTimeoutException(CommandFlags.None, SecretDetail, CommandStatus.Sent),
        "nested connection" => new InvalidOperationException("wrapper", new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, SecretDetail, null, CommandStatus.Sent)),
        "deeply nested timeout" => new AggregateException(new InvalidOperationException("wrapper", new RedisTimeoutException(CommandFlags.None, SecretDetail, CommandStatus.WaitingToBeSent))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A thrown exception, so that it carries a stack trace that must not leak.</summary>
    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed class StartedResponseFeature : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
