using System.Text;
using McpGateway.Usage;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Usage;

public sealed class UsageMeteringStreamTests
{
    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"model":"m","provider":"p","usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""");

    [Theory]
    [InlineData(200, "application/json", true)]
    [InlineData(201, "text/event-stream", false)]
    [InlineData(200, "text/plain", false)]
    [InlineData(500, "application/json", false)]
    public async Task Every_byte_passes_through_and_only_a_success_in_a_usage_format_is_metered(int status, string contentType, bool metered)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        using var inner = new MemoryStream();
        using var meter = new UsageMeteringStream(inner, context.Response);

        await meter.WriteAsync(Answer.AsMemory(0, 10), TestContext.Current.CancellationToken);
        meter.Write(Answer, 10, Answer.Length - 10);

        Assert.Equal(Answer, inner.ToArray());
        Assert.Equal(metered ? new ChatUsage("m", "p", 1, 2, 3) : null, meter.Complete());
    }
}
