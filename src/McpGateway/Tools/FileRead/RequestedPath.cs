using System.Diagnostics.CodeAnalysis;

namespace McpGateway.Tools.FileRead;

/// <summary>
/// A caller's path, checked before the file system is touched: relative, without <c>..</c> (plain,
/// percent-encoded or behind either separator), without control characters. Both <c>/</c> and
/// <c>\</c> separate segments, so a path means the same on every platform.
/// </summary>
internal sealed class RequestedPath
{
    private const int MaxDecodingRounds = 3;
    private static readonly char[] Separators = ['/', '\\'];

    private RequestedPath(IReadOnlyList<string> segments)
    {
        Segments = segments;
        Display = string.Join('/', segments);
    }

    /// <summary>The path's segments, without empty and <c>.</c> segments.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The normalized relative path, safe to repeat in a message.</summary>
    public string Display { get; }

    public static bool TryParse(string path, [NotNullWhen(true)] out RequestedPath? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (path.Any(char.IsControl))
        {
            error = "The path contains control characters (such as NUL or a line break); they are not allowed.";
            return false;
        }

        if (path.Length > 0 && (Separators.Contains(path[0]) || IsDriveQualified(path)))
        {
            error = "Absolute paths are not allowed: give a path relative to the allowed directory, e.g. 'notes/today.txt'.";
            return false;
        }

        var segments = path.Split(Separators).Where(segment => segment is not ("" or ".")).ToList();
        if (segments.Contains(".."))
        {
            error = "Paths containing '..' are not allowed: give a path below the allowed directory.";
            return false;
        }

        if (HidesTraversal(path))
        {
            error = "Percent-encoded '..', separators or control characters are not allowed in the path.";
            return false;
        }

        if (segments.Count == 0)
        {
            error = "The path names the allowed directory itself; give the path of a file below it.";
            return false;
        }

        parsed = new RequestedPath(segments);
        error = null;
        return true;
    }

    private static bool IsDriveQualified(string path) => path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':';

    /// <summary>True when decoding percent-escapes (up to three times, for double encoding) reveals a traversal.</summary>
    private static bool HidesTraversal(string path)
    {
        var current = path;
        for (var round = 0; round < MaxDecodingRounds && current.Contains('%', StringComparison.Ordinal); round++)
        {
            var decoded = Uri.UnescapeDataString(current);
            if (decoded == current)
            {
                return false;
            }

            if (decoded.Length == 0 || decoded.Any(char.IsControl)
                || decoded.Split(Separators).Contains("..")
                || (Separators.Contains(decoded[0]) && !Separators.Contains(path[0])))
            {
                return true;
            }

            current = decoded;
        }

        return false;
    }
}
