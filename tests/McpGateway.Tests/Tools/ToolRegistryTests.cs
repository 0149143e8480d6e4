using System.Text.Json;
using McpGateway.Tests.Infrastructure;
using McpGateway.Tools;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Tools;

public sealed class ToolRegistryTests
{
    private readonly CapturingLogger<ToolRegistry> _logger = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Lists_tools_in_registration_order_and_finds_them_by_exact_name()
    {
        var registry = Registry(new StubTool("b"), new StubTool("a"));

        Assert.Equal(["b", "a"], registry.Tools.Select(tool => tool.Definition.Name));
        Assert.Equal(["b", "a"], registry.Definitions.Select(tool => tool.Name));
        Assert.True(registry.TryGet("a", out var found));
        Assert.Equal("a", found.Definition.Name);
        Assert.False(registry.TryGet("A", out _));
        Assert.False(registry.TryGet("c", out _));
    }

    [Fact]
    public void Two_tools_with_one_name_are_a_start_up_error()
        => Assert.Equal("Two gateway tools are named 'a'.",
            Assert.Throws<InvalidOperationException>(() => Registry(new StubTool("a"), new StubTool("a"))).Message);

    [Fact]
    public async Task Calls_are_logged_with_subject_tool_outcome_and_duration()
    {
        var tool = new StubTool("slow", async () =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
            return ToolResults.Success("done");
        });
        Assert.True(Registry(tool).TryGet("slow", out var guarded));

        Assert.Equal("done", ToolAssert.Success(await guarded.InvokeAsync(default, ToolAssert.Alice, TestContext.Current.CancellationToken)));

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(5002, entry.EventId.Id);
        Assert.Equal("alice called tool slow: ok in 250 ms.", entry.Message);
    }

    [Fact]
    public async Task Error_results_are_logged_as_errors()
    {
        Assert.True(Registry(new StubTool("t", () => Task.FromResult(ToolResults.Error("no")))).TryGet("t", out var guarded));

        await guarded.InvokeAsync(default, ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Contains(": error in", Assert.Single(_logger.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_an_error_result_without_internals()
    {
        var tool = new StubTool("broken", () => throw new InvalidOperationException("secret detail at /srv/app/internal.cs"));
        Assert.True(Registry(tool).TryGet("broken", out var guarded));

        var result = await guarded.InvokeAsync(default, ToolAssert.Alice, TestContext.Current.CancellationToken);

        var text = ToolAssert.Error(result);
        Assert.Equal("The tool 'broken' failed unexpectedly. The failure has been logged.", text);
        var failure = Assert.Single(_logger.Entries, entry => entry.EventId.Id == 5003);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_propagates()
    {
        var tool = new StubTool("waits", () => throw new OperationCanceledException());
        Assert.True(Registry(tool).TryGet("waits", out var guarded));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guarded.InvokeAsync(default, ToolAssert.Alice, cancelled.Token).AsTask());
        Assert.Contains("cancelled", Assert.Single(_logger.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancellation_the_caller_did_not_ask_for_is_an_error_result()
    {
        Assert.True(Registry(new StubTool("t", () => throw new TaskCanceledException())).TryGet("t", out var guarded));

        ToolAssert.Error(await guarded.InvokeAsync(default, ToolAssert.Alice, TestContext.Current.CancellationToken), "failed unexpectedly");
    }

    [Fact]
    public void Merging_puts_gateway_tools_first_and_drops_upstream_tools_with_the_same_name()
    {
        var registry = Registry(new StubTool("calculator"), new StubTool("file_read"));
        Tool[] upstream = [Definition("echo"), Definition("calculator"), Definition("get-sum"), Definition("Calculator")];

        var merged = registry.MergeWith(upstream);

        Assert.Equal(["calculator", "file_read", "echo", "get-sum", "Calculator"], merged.Select(tool => tool.Name));
        Assert.Same(registry.Definitions[0], merged[0]);
        Assert.Contains(_logger.Entries, entry => entry.EventId.Id == 5004 && entry.Message.Contains("calculator", StringComparison.Ordinal));
    }

    [Fact]
    public void Merging_with_no_upstream_tools_lists_the_gateway_tools()
        => Assert.Equal(["calculator"], Registry(new StubTool("calculator")).MergeWith([]).Select(tool => tool.Name));

    private ToolRegistry Registry(params IGatewayTool[] tools) => new(tools, _time, _logger);

    private static Tool Definition(string name) => new() { Name = name, InputSchema = ToolAssert.Arguments("""{"type":"object"}""") };

    private sealed class StubTool(string name, Func<Task<CallToolResult>>? invoke = null) : IGatewayTool
    {
        public Tool Definition { get; } = ToolRegistryTests.Definition(name);

        public async ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
            => invoke is null ? ToolResults.Success(name) : await invoke();
    }
}
