namespace McpGateway.Tools.FileRead;

internal enum PathOutcome
{
    /// <summary>Every component exists; <see cref="PathResolution.RealPath"/> is free of symbolic links.</summary>
    Found,

    /// <summary>A component does not exist, or a file is used as a directory.</summary>
    NotFound,

    /// <summary>Resolution left the allowed directory (through <c>..</c> in a link target, or an absolute link target).</summary>
    Outside,

    /// <summary>More symbolic links than a path may reasonably hold (a loop).</summary>
    TooManyLinks,
}
