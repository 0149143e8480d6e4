using System.Text;
using System.Text.Json;
using McpGateway.Hosting;
using McpGateway.Mcp.Rest;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Hosting;

public sealed class JsonBodyTests
{
    [Theory]
    [InlineData("""{"arguments":{"expression":"\udfff"}}""")]
    [InlineData("""{"arguments":{"message":"\ud800","nested":{"path":"a\udc00"}}}""")]
    [InlineData("""{"arguments":{"\ud800":"key"}}""")]
    public async Task A_lone_surrogate_kept_as_json_is_refused_with_400_invalid_request(string json)
    {
        var (value, error) = await Read(Encoding.UTF8.GetBytes(json));

        Assert.Null(value);
        var response = await Execute(error);
        Assert.Equal(StatusCodes.Status400BadRequest, response.StatusCode);
        Assert.Equal(GatewayErrors.InvalidRequest, response.BodyJson().Property("error"));
        Assert.Contains("surrogate", response.BodyJson().Property("error_description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_kept_as_json_is_refused_with_400()
    {
        var (value, error) = await Read([.. "{\"arguments\":{\"m\":\""u8, 0xC3, 0x28, .. "\"}}"u8]);

        Assert.Null(value);
        Assert.Equal(StatusCodes.Status400BadRequest, (await Execute(error)).StatusCode);
    }

    [Theory]
    [InlineData("""{"arguments":{"message":"\ud83d\ude00 caf\u00e9 café"}}""")]
    [InlineData("\uFEFF{\"arguments\":{\"expression\":\"1+1\"}}")]
    public async Task Valid_text_with_escapes_non_ascii_or_a_byte_order_mark_is_read(string json)
    {
        var (value, error) = await Read(Encoding.UTF8.GetBytes(json));

        Assert.Null(error);
        Assert.NotNull(value!.Arguments);
        // What the tool endpoint does next with the arguments must not throw.
        _ = JsonSerializer.SerializeToElement(value.Arguments);
    }

    [Theory]
    [InlineData(StatusCodes.Status408RequestTimeout)]
    [InlineData(StatusCodes.Status400BadRequest)]
    [InlineData(StatusCodes.Status413PayloadTooLarge)]
    public async Task A_body_kestrel_cannot_read_answers_the_exceptions_status_as_json(int statusCode)
    {
        var (value, error) = await Read(new FailingStream(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", statusCode)));

        Assert.Null(value);
        var response = await Execute(error);
        Assert.Equal(statusCode, response.StatusCode);
        Assert.Equal(GatewayErrors.InvalidRequest, response.BodyJson().Property("error"));
        Assert.DoesNotContain("arriving too slowly", response.BodyText(), StringComparison.Ordinal);
    }

    private static Task<(ToolCallRequest? Value, IResult? Error)> Read(byte[] body) => Read(new MemoryStream(body));

    private static Task<(ToolCallRequest? Value, IResult? Error)> Read(Stream body)
    {
        var context = HttpResponses.NewContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = body;
        return JsonBody.ReadAsync(context.Request, GatewayJsonContext.Default.ToolCallRequest);
    }

    private static async Task<HttpResponse> Execute(IResult? result)
    {
        Assert.NotNull(result);
        var context = HttpResponses.NewContext();
        await result.ExecuteAsync(context);
        return context.Response;
    }

    /// <summary>A request body whose every read fails as Kestrel's does when the body never completes.</summary>
    private sealed class FailingStream(Exception failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromException<int>(failure);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
