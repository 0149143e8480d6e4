namespace McpGateway.Sessions;

/// <summary>
/// A session as stored: the identity ticket and the token set are protected separately so that the
/// cookie handler's sliding renewals (ticket) and token refreshes (tokens) never overwrite each other.
/// </summary>
internal sealed record SessionRecord(byte[] ProtectedTicket, byte[] ProtectedTokens, string Subject, string? Sid);
