namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>
/// <c>GET /mcp</c> with <c>Last-Event-ID</c>: the events of that stream the client has not seen, from the log, so on any
/// replica. A POST's answer stream then follows the log until the stream ends (its response, written by the replica
/// that runs the request); the standalone stream goes on live here once the replay is written.
/// </summary>
internal sealed class StreamResumption(IMcpEventLog log, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether the log knows the stream (it may have expired, <see cref="IMcpEventLog.RetainFor"/> after its last event).</summary>
    public async Task<bool> ExistsAsync(string sessionKey, McpEventId after, CancellationToken cancellationToken)
        => (await log.ReadAfterAsync(sessionKey, after.Stream, long.MaxValue, cancellationToken)).Exists;

    /// <summary>Writes what followed <paramref name="after"/>; for a POST's stream, until it has ended or its log expired.</summary>
    public async Task ReplayAsync(HttpContext context, string sessionKey, McpEventId after, TimeSpan keepAlive)
    {
        var aborted = context.RequestAborted;
        await McpHttpWriter.StartEventStreamAsync(context);
        var sequence = after.Sequence;
        var quietSince = time.GetTimestamp();
        while (!aborted.IsCancellationRequested)
        {
            var page = await log.ReadAfterAsync(sessionKey, after.Stream, sequence, aborted);
            foreach (var (eventSequence, json) in page.Events)
            {
                await McpHttpWriter.WriteEventAsync(context.Response, new McpEventId(after.Stream, eventSequence), json, aborted);
                sequence = eventSequence;
                quietSince = time.GetTimestamp();
            }

            if (after.IsStandalone || page.Ended)
            {
                return;
            }

            if (keepAlive > TimeSpan.Zero && time.GetElapsedTime(quietSince) >= keepAlive)
            {
                await McpHttpWriter.WriteKeepAliveAsync(context.Response, aborted);
                quietSince = time.GetTimestamp();
            }

            await Task.Delay(PollInterval, time, aborted);
        }
    }
}
