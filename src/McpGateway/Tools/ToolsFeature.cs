using System.Net;
using McpGateway.Tools.Calculator;
using McpGateway.Tools.FileRead;
using McpGateway.Tools.WebSearch;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGateway.Tools;

/// <summary>
/// The gateway's own tools (calculator, file_read, web_search) and the <see cref="ToolRegistry"/> that
/// lists and finds them. file_read and web_search are registered only when their configuration key
/// (<c>Tools:FileRead:Root</c>, <c>Tools:WebSearch:Url</c>) is set.
/// </summary>
internal static class ToolsFeature
{
    public static IHostApplicationBuilder AddGatewayTools(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<CalculatorOptions>().BindConfiguration(CalculatorOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CalculatorOptions>, CalculatorOptionsValidator>();
        services.AddOptions<FileReadOptions>().BindConfiguration(FileReadOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileReadOptions>, FileReadOptionsValidator>();
        services.AddOptions<WebSearchOptions>().BindConfiguration(WebSearchOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebSearchOptions>, WebSearchOptionsValidator>();

        // Registration order is the order of tools/list.
        services.AddSingleton<IGatewayTool, CalculatorTool>();

        var fileRead = builder.Configuration.GetSection(FileReadOptions.SectionName).Get<FileReadOptions>() ?? new FileReadOptions();
        if (fileRead.IsEnabled)
        {
            services.AddSingleton<IGatewayTool, FileReadTool>();
        }

        var webSearch = builder.Configuration.GetSection(WebSearchOptions.SectionName).Get<WebSearchOptions>() ?? new WebSearchOptions();
        if (webSearch.IsEnabled)
        {
            services.AddSingleton<IGatewayTool, WebSearchTool>();
            services.AddHttpClient(WebSearchTool.HttpClientName, http =>
                {
                    // The tool's own timeout (Tools:WebSearch:Timeout, on the injected TimeProvider) covers
                    // the request and reading the answer; the client's would only cut the first part.
                    http.Timeout = Timeout.InfiniteTimeSpan;
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("McpGateway/1.0");
                })
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    // Only the configured endpoint is ever asked: a redirect elsewhere is an error, not a hop.
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.All,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                });
        }

        services.AddSingleton<ToolRegistry>();
        services.AddHostedService<ToolsStartupReporter>();
        return builder;
    }
}
