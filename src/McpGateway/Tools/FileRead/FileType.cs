namespace McpGateway.Tools.FileRead;

internal enum FileType
{
    /// <summary>The platform cannot tell (not Linux, or the call failed): the caller proceeds.</summary>
    Unknown,
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, socket or device: opening it could block or never end.</summary>
    Special,
}
