namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// One thing a test tool did on the server, for the user <see cref="Sub"/> (from the request's
/// bearer token): one of the <see cref="SdkToolOutcomes"/>, with what the client answered or the
/// result in <see cref="Detail"/> when there is one.
/// </summary>
internal sealed record SdkToolEvent(DateTimeOffset At, string Tool, string? Sub, string Outcome, string? Detail = null);
