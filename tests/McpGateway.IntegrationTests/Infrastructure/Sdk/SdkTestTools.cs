using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// The tools of the test MCP servers built with the SDK. Each records what happened in the
/// <see cref="SdkToolJournal"/> under the calling user, so tests can see the server's side.
/// </summary>
internal static class SdkTestTools
{
    /// <summary>The gateway tool the <c>delegate</c> tool asks the client to run.</summary>
    public const string DelegatedTool = "calculator";

    /// <param name="journal">Where each tool records what it did.</param>
    /// <param name="caller">The user a call is made for: from the request's user, or fixed for a WebSocket connection.</param>
    public static IReadOnlyList<McpServerTool> Create(SdkToolJournal journal, Func<RequestContext<CallToolRequestParams>, string?> caller) =>
    [
        McpServerTool.Create(
            (string message) => $"Echo: {message}",
            new McpServerToolCreateOptions { Name = "echo", Description = "Echoes the message back." }),

        McpServerTool.Create(
            (RequestContext<CallToolRequestParams> context) => caller(context) ?? "(nobody)",
            new McpServerToolCreateOptions { Name = "whoami", Description = "The subject of the bearer token the request came with." }),

        McpServerTool.Create(
            async (int seconds, IProgress<ProgressNotificationValue> progress, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
            {
                var sub = caller(context);
                journal.Record("slow", sub, SdkToolOutcomes.Started);
                try
                {
                    for (var step = 1; step <= seconds; step++)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                        progress.Report(new ProgressNotificationValue { Progress = step, Total = seconds, Message = $"step {step}" });
                    }
                }
                catch (OperationCanceledException)
                {
                    journal.Record("slow", sub, SdkToolOutcomes.Cancelled);
                    throw;
                }

                journal.Record("slow", sub, SdkToolOutcomes.Completed);
                return $"slept {seconds}s";
            },
            new McpServerToolCreateOptions { Name = "slow", Description = "Sleeps for some seconds, reporting progress each second; honours cancellation." }),

        McpServerTool.Create(
            async (string question, McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
            {
                var answer = await server.ElicitAsync(new ElicitRequestParams
                {
                    Message = question,
                    RequestedSchema = new ElicitRequestParams.RequestSchema
                    {
                        Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition> { ["answer"] = new ElicitRequestParams.StringSchema() },
                    },
                }, cancellationToken);
                var text = answer.Content is { } content && content.TryGetValue("answer", out var value) ? value.ToString() : "";
                var detail = $"action={answer.Action}; answer={text}";
                journal.Record("ask", caller(context), SdkToolOutcomes.Answered, detail);
                return detail;
            },
            new McpServerToolCreateOptions { Name = "ask", Description = "Asks the user a question (elicitation)." }),

        McpServerTool.Create(
            async (string text, McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
            {
                var sampled = await server.SampleAsync(new CreateMessageRequestParams
                {
                    MaxTokens = 50,
                    Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = "Summarize: " + text }] }],
                }, cancellationToken);
                var detail = $"{sampled.Model}: {string.Join("", sampled.Content.OfType<TextContentBlock>().Select(block => block.Text))}";
                journal.Record("summarize", caller(context), SdkToolOutcomes.Answered, detail);
                return detail;
            },
            new McpServerToolCreateOptions { Name = "summarize", Description = "Asks the client's model for a summary (sampling)." }),

        McpServerTool.Create(
            async (string expression, McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken) =>
            {
                // The seed's "upstream sends a tool call": a raw tools/call request to the client.
                var response = await server.SendRequestAsync(new JsonRpcRequest
                {
                    Method = RequestMethods.ToolsCall,
                    Params = new JsonObject { ["name"] = DelegatedTool, ["arguments"] = new JsonObject { ["expression"] = expression } },
                }, cancellationToken);
                var result = response.Result.Deserialize<CallToolResult>(McpJsonUtilities.DefaultOptions)!;
                var text = string.Join("", result.Content.OfType<TextContentBlock>().Select(block => block.Text));
                journal.Record("delegate", caller(context), SdkToolOutcomes.Answered, text);
                return result.IsError == true ? "the client failed: " + text : text;
            },
            new McpServerToolCreateOptions { Name = "delegate", Description = $"Asks the client to run its '{DelegatedTool}' tool and returns its answer." }),
    ];

    /// <summary>The user of a Streamable HTTP request, as the bearer check put it on the request.</summary>
    public static string? UserOf(RequestContext<CallToolRequestParams> context) => context.User?.FindFirstValue(BearerIntrospection.SubClaim);
}
