using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools.FileRead;

/// <summary>
/// The <c>file_read</c> tool: returns a UTF-8 text file below <c>Tools:FileRead:Root</c> and nothing
/// else. The requested path is checked as text first (<see cref="RequestedPath"/>), then walked
/// component by component with every symbolic link resolved inside the root
/// (<see cref="RealPathResolver"/>), and the opened file is checked once more where the platform
/// tells which file a handle really is. Messages never contain the root's absolute path.
/// </summary>
internal sealed class FileReadTool : IGatewayTool
{
    public const string Name = "file_read";

    private const int ChunkSize = 16 * 1024;
    private const string Outside = "outside the allowed directory";

    private readonly FileReadOptions _options;
    private readonly ILogger<FileReadTool> _logger;

    public FileReadTool(IOptions<FileReadOptions> options, ILogger<FileReadTool> logger)
    {
        _options = options.Value;
        _logger = logger;
        Definition = new Tool
        {
            Name = Name,
            Title = "Read a text file",
            Description =
                "Reads a UTF-8 text file from the gateway's shared directory and returns its content. The path is "
                + "relative to that directory ('/' or '\\' separate folders), e.g. 'notes/today.txt'. Absolute paths, "
                + $"'..', directories, binary files and files over {_options.MaxBytes} bytes are refused.",
            InputSchema = StructuredContent.Schema("""
                {
                  "type": "object",
                  "properties": {
                    "path": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 1024,
                      "description": "Path of the file, relative to the shared directory."
                    }
                  },
                  "required": ["path"],
                  "additionalProperties": false
                }
                """),
            Annotations = new ToolAnnotations { Title = "Read a text file", ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false },
        };
    }

    public Tool Definition { get; }

    public async ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        if (!ToolArguments.TryValidate(Definition.InputSchema, arguments, out var validated, out var error))
        {
            return ToolResults.Error(error);
        }

        if (!RequestedPath.TryParse(validated.GetString("path"), out var path, out error))
        {
            return Refuse(invocation, "path rejected", error);
        }

        try
        {
            return await ReadAsync(path, invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Refuse(invocation, "missing", $"'{path.Display}' does not exist.");
        }
        catch (UnauthorizedAccessException ex)
        {
            ToolsLog.FileReadFailed(_logger, invocation.Subject, ex.GetType().Name);
            return ToolResults.Error($"'{path.Display}' cannot be read: permission denied.");
        }
        catch (IOException ex)
        {
            ToolsLog.FileReadFailed(_logger, invocation.Subject, ex.GetType().Name);
            return ToolResults.Error($"'{path.Display}' could not be read.");
        }
    }

    private async ValueTask<CallToolResult> ReadAsync(RequestedPath path, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var root = RealPathResolver.ResolveAbsolute(Path.GetFullPath(_options.Root));
        if (root.Outcome != PathOutcome.Found || !Directory.Exists(root.RealPath))
        {
            ToolsLog.FileReadFailed(_logger, invocation.Subject, "the allowed directory no longer exists");
            return ToolResults.Error("The allowed directory is not available.");
        }

        var resolution = RealPathResolver.ResolveBelow(root.RealPath, path.Segments);
        switch (resolution.Outcome)
        {
            case PathOutcome.NotFound:
                return Refuse(invocation, "missing", $"'{path.Display}' does not exist.");
            case PathOutcome.TooManyLinks:
                return Refuse(invocation, "link loop", $"'{path.Display}' cannot be resolved: too many symbolic links.");
            case PathOutcome.Outside:
                return Refuse(invocation, "outside", $"'{path.Display}' leads through a symbolic link to a place {Outside}.");
        }

        if (!RealPathResolver.IsWithin(resolution.RealPath, root.RealPath))
        {
            return Refuse(invocation, "outside", $"'{path.Display}' is {Outside}.");
        }

        var type = FileTypeProbe.Probe(resolution.RealPath);
        if (type == FileType.Directory || Directory.Exists(resolution.RealPath))
        {
            return Refuse(invocation, "directory", $"'{path.Display}' is a directory, not a file.");
        }

        if (type is FileType.Special or FileType.SymbolicLink)
        {
            return Refuse(invocation, "not a regular file", $"'{path.Display}' is not a regular file.");
        }

        await using var stream = new FileStream(resolution.RealPath, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });

        // The walk and the open are two steps; if a component was swapped for a link in between, the
        // handle tells where the file really is.
        if (OpenedPath(stream) is { } opened && !RealPathResolver.IsWithin(opened, root.RealPath))
        {
            return Refuse(invocation, "outside after open", $"'{path.Display}' is {Outside}.");
        }

        if (stream.CanSeek && stream.Length > _options.MaxBytes)
        {
            return TooLarge(path, invocation, stream.Length);
        }

        var content = await ReadBoundedAsync(stream, _options.MaxBytes, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return TooLarge(path, invocation, null);
        }

        var bytes = content.WrittenSpan;
        if (bytes.Contains((byte)0) || !Utf8.IsValid(bytes))
        {
            return Refuse(invocation, "binary", $"'{path.Display}' is not a UTF-8 text file.");
        }

        var text = Encoding.UTF8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
        return ToolResults.Success(text);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; null when the stream holds more (it may have grown since it was measured).</summary>
    private static async Task<ArrayBufferWriter<byte>?> ReadBoundedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var initial = stream.CanSeek ? (int)Math.Min(stream.Length + 1, maxBytes + 1L) : ChunkSize;
        var buffer = new ArrayBufferWriter<byte>(Math.Max(initial, 1));
        while (true)
        {
            var memory = buffer.GetMemory(ChunkSize)[..(int)Math.Min(ChunkSize, maxBytes + 1L - buffer.WrittenCount)];
            var read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    /// <summary>On Linux, the path the kernel reports for the open handle; elsewhere null.</summary>
    private static string? OpenedPath(FileStream stream)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var descriptor = stream.SafeFileHandle.DangerousGetHandle();
        try
        {
            return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private CallToolResult TooLarge(RequestedPath path, ToolInvocation invocation, long? size)
        => Refuse(invocation, "too large", size is { } bytes
            ? $"'{path.Display}' is {bytes} bytes; the limit is {_options.MaxBytes} bytes."
            : $"'{path.Display}' is larger than the limit of {_options.MaxBytes} bytes.");

    private CallToolResult Refuse(ToolInvocation invocation, string reason, string message)
    {
        ToolsLog.FileReadRefused(_logger, invocation.Subject, reason);
        return ToolResults.Error(message);
    }
}
