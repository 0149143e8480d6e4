using McpGateway.Tests.Infrastructure;
using McpGateway.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Tools;

public sealed class ToolsFeatureTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mcpgw-tools-feature-");
    private readonly CapturingLogger<ToolsStartupReporter> _startupLog = new();

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Without_configuration_only_the_calculator_is_registered_and_the_disabled_tools_are_logged()
    {
        using var host = Build([]);
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["calculator"], host.Services.GetRequiredService<ToolRegistry>().Tools.Select(tool => tool.Definition.Name));
        Assert.Equal(
            [
                "Gateway tools available: calculator.",
                "Gateway tool file_read is disabled: Tools:FileRead:Root is empty.",
                "Gateway tool web_search is disabled: Tools:WebSearch:Url is empty.",
            ],
            _startupLog.Entries.Select(entry => entry.Message));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task With_a_root_and_a_search_url_all_three_tools_are_registered_in_order()
    {
        using var host = Build(new()
        {
            ["Tools:FileRead:Root"] = _root.FullName,
            ["Tools:WebSearch:Url"] = "http://127.0.0.1:9/search",
        });
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["calculator", "file_read", "web_search"], host.Services.GetRequiredService<ToolRegistry>().Tools.Select(tool => tool.Definition.Name));
        Assert.Equal("Gateway tools available: calculator, file_read, web_search.", Assert.Single(_startupLog.Entries).Message);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("Tools:FileRead:Root", "relative/path", "Tools:FileRead:Root must be an absolute directory path")]
    [InlineData("Tools:FileRead:MaxBytes", "0", "Tools:FileRead:MaxBytes must be between")]
    [InlineData("Tools:WebSearch:Url", "ftp://example.com", "Tools:WebSearch:Url must be an absolute http(s) URL")]
    [InlineData("Tools:WebSearch:MaxResults", "50", "Tools:WebSearch:MaxResults must be between 1 and 20")]
    [InlineData("Tools:Calculator:MaxDepth", "100000", "Tools:Calculator:MaxDepth must be between 1 and 256")]
    public async Task Bad_configuration_stops_start_up_with_a_message_naming_the_key(string key, string value, string expected)
    {
        using var host = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registered_calculator_works_end_to_end()
    {
        using var host = Build([]);
        Assert.True(host.Services.GetRequiredService<ToolRegistry>().TryGet("calculator", out var calculator));

        var result = await calculator.InvokeAsync(ToolAssert.Arguments("expression", "6*7"), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal("42", ToolAssert.Success(result));
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddGatewayTools();
        builder.Services.AddSingleton<ILogger<ToolsStartupReporter>>(_startupLog);
        return builder.Build();
    }
}
