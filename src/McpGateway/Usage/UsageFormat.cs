namespace McpGateway.Usage;

/// <summary>How a chat answer's body can carry its usage report, told by its content type.</summary>
internal enum UsageFormat
{
    /// <summary>Not a format that carries usage (an HTML error page, plain text, a file): not scanned.</summary>
    None,

    /// <summary><c>application/json</c> or a <c>…+json</c> type: one object with a <c>usage</c> member.</summary>
    Json,

    /// <summary><c>text/event-stream</c>: the last <c>data:</c> object with a <c>usage</c> member.</summary>
    EventStream,
}
