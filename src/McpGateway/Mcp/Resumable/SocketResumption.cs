using System.Security.Cryptography;
using System.Text;
using McpGateway.Mcp.StreamableHttp;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp.Resumable;

/// <summary>
/// Resumable WebSocket MCP sessions (subprotocols <c>mcp</c> and <c>mcp-v1</c>): the gateway's answer to <c>initialize</c>
/// carries an opaque handle (256 random bits, not the upstream's session id) in <c>result._meta["io.mcpgateway/resume"]</c>;
/// a socket opened with <c>?resume=</c> that handle, on any replica, joins the same upstream session (behind the connector
/// router, each connector's). The binding is kept in
/// <see cref="IMcpSessionBindings"/> (Redis) under the SHA-256 of the handle, for <see cref="McpOptions.ResumeTimeout"/>
/// after its socket was last seen, and only for the sign-in session that created it.
/// </summary>
internal sealed class SocketResumption(IMcpSessionBindings bindings, IInFlightCalls inFlight, IOptions<McpOptions> options, TimeProvider time)
{
    /// <summary>Where the handle is, in the <c>_meta</c> of the <c>initialize</c> result.</summary>
    public const string HandleMeta = "io.mcpgateway/resume";

    /// <summary>Beside the handle: whether this socket continues an earlier session (<see langword="true"/>) or started a new one.</summary>
    public const string ResumedMeta = "io.mcpgateway/resumed";

    /// <summary>In a resumed <c>initialize</c> result: the browser's ids of the calls whose answers the gateway still delivers (the others are to be sent again).</summary>
    public const string PendingMeta = "io.mcpgateway/pending";

    /// <summary>The query parameter a reconnecting browser passes the handle in.</summary>
    public const string QueryParameter = "resume";

    private const int MaxHandleLength = 128;

    /// <summary>
    /// What <paramref name="handle"/> (the <c>?resume=</c> value, or none) resumes for <paramref name="user"/>: the
    /// binding, nothing (no handle; unknown or expired: a new session starts), or a refusal (someone else's).
    /// </summary>
    /// <remarks>A store that cannot be read (Redis down) counts as unknown: the socket starts a new session rather than fail.</remarks>
    public async Task<ResumeLookup> FindAsync(string? handle, BridgeUser user, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(handle))
        {
            return new ResumeLookup(ResumeOutcome.None, null, null);
        }

        McpSessionBinding? binding = null;
        try
        {
            binding = handle.Length > MaxHandleLength ? null : await bindings.FindAsync(KeyOf(handle), cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            ResumeLog.LookupFailed(logger, user.Subject, ex.GetType().Name);
        }

        if (binding?.InitializeResult is null)
        {
            return new ResumeLookup(ResumeOutcome.Unknown, null, null);
        }

        return SameOwner(binding.OwnerKey, user)
            ? new ResumeLookup(ResumeOutcome.Resumed, handle, binding)
            : new ResumeLookup(ResumeOutcome.Foreign, null, null);
    }

    /// <summary>The per-socket state: the found session's handle and binding, or a new handle issued at the first <c>initialize</c>.</summary>
    public ResumableSocket Open(string socketId, BridgeUser user, ResumeLookup lookup, ILogger logger)
    {
        var handle = lookup.Outcome == ResumeOutcome.Resumed ? lookup.Handle! : NewHandle();
        return new(this, socketId, user, handle, lookup.Binding, new InFlightJournal(inFlight, KeyOf(handle), options.Value.ResumeTimeout), logger);
    }

    internal McpOptions Options => options.Value;

    internal TimeProvider Time => time;

    internal Task SaveAsync(string handle, McpSessionBinding binding, CancellationToken cancellationToken)
        => bindings.SaveAsync(KeyOf(handle), binding, options.Value.ResumeTimeout, cancellationToken);

    internal Task TouchAsync(string handle, CancellationToken cancellationToken)
        => bindings.TouchAsync(KeyOf(handle), options.Value.ResumeTimeout, cancellationToken);

    internal Task DeleteAsync(string handle, CancellationToken cancellationToken)
        => bindings.DeleteAsync(KeyOf(handle), cancellationToken);

    /// <summary>The binding's key: apart from the Streamable HTTP sessions' (a prefix), and never the handle itself.</summary>
    internal static string KeyOf(string handle) => "ws-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle)));

    private static string NewHandle() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static bool SameOwner(string ownerKey, BridgeUser user)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ownerKey), Encoding.ASCII.GetBytes(user.Session.StorageKey));
}
