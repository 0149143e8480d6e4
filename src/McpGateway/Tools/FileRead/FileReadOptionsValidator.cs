using Microsoft.Extensions.Options;

namespace McpGateway.Tools.FileRead;

internal sealed class FileReadOptionsValidator : IValidateOptions<FileReadOptions>
{
    /// <summary>A file is returned inside one JSON message; beyond this it belongs in another channel.</summary>
    public const int MaxBytesLimit = 16 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, FileReadOptions options)
    {
        var failures = new List<string>();
        if (options.IsEnabled)
        {
            if (!Path.IsPathFullyQualified(options.Root))
            {
                failures.Add($"Tools:FileRead:Root must be an absolute directory path, got '{options.Root}'. Leave it empty to disable file_read.");
            }
            else if (!Directory.Exists(options.Root))
            {
                failures.Add($"Tools:FileRead:Root '{options.Root}' is not an existing directory. Leave it empty to disable file_read.");
            }
        }

        if (options.MaxBytes is < 1 or > MaxBytesLimit)
        {
            failures.Add($"Tools:FileRead:MaxBytes must be between 1 and {MaxBytesLimit}, got {options.MaxBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
