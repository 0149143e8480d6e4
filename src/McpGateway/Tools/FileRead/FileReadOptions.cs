namespace McpGateway.Tools.FileRead;

/// <summary>The <c>Tools:FileRead</c> configuration section.</summary>
internal sealed class FileReadOptions
{
    public const string SectionName = "Tools:FileRead";
    public const int DefaultMaxBytes = 1024 * 1024;

    /// <summary>The only directory file_read reads below; empty disables the tool.</summary>
    public string Root { get; set; } = "";

    /// <summary>Largest file returned, in bytes.</summary>
    public int MaxBytes { get; set; } = DefaultMaxBytes;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Root);
}
