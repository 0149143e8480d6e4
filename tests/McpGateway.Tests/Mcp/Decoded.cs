using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp;

/// <summary>What a dialect made of a frame: exactly one of the two is set.</summary>
internal sealed record Decoded(JsonRpcMessage? Message, JsonRpcError? Error)
{
    public T Is<T>() where T : JsonRpcMessage
    {
        Assert.Null(Error);
        return Assert.IsAssignableFrom<T>(Message);
    }

    /// <summary>Asserts an error with the code, and returns it.</summary>
    public JsonRpcError Failed(int code)
    {
        Assert.Null(Message);
        Assert.NotNull(Error);
        Assert.Equal(code, Error.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(Error.Error.Message));
        return Error;
    }
}
