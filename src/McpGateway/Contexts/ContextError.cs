namespace McpGateway.Contexts;

/// <summary>Why a context operation was refused; the message is safe to show the user.</summary>
internal sealed record ContextError(ContextErrorKind Kind, string Message);

internal enum ContextErrorKind
{
    Invalid,
    NotFound,
    LimitReached,
}
