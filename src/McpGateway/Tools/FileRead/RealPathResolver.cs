namespace McpGateway.Tools.FileRead;

/// <summary>
/// Resolves a path one component at a time, following each symbolic link itself (like realpath(3)),
/// and refuses the moment the walk would step outside the boundary: a <c>..</c> above it, or an
/// absolute link target not below it. Nothing outside the boundary is ever looked at, so the answer
/// never tells whether a file outside exists.
/// </summary>
internal static class RealPathResolver
{
    /// <summary>Linux gives up after 40 links (ELOOP); so do we.</summary>
    public const int MaxLinks = 40;

    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The real path of an absolute directory or file, every link resolved; no boundary.</summary>
    public static PathResolution ResolveAbsolute(string absolutePath)
    {
        var root = Path.GetPathRoot(absolutePath)!;
        return Walk(root, boundary: null, Segments(absolutePath[root.Length..]));
    }

    /// <summary>Resolves <paramref name="segments"/> below <paramref name="realBoundary"/>, which must itself be a real path.</summary>
    public static PathResolution ResolveBelow(string realBoundary, IEnumerable<string> segments)
        => Walk(realBoundary, realBoundary, segments);

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or below it.</summary>
    public static bool IsWithin(string path, string directory)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(directory);
        if (path.Equals(trimmed, Comparison))
        {
            return true;
        }

        var prefix = trimmed.EndsWith(Path.DirectorySeparatorChar) ? trimmed : trimmed + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, Comparison);
    }

    private static PathResolution Walk(string start, string? boundary, IEnumerable<string> segments)
    {
        var pending = new Stack<string>(segments.Reverse());
        var current = start;
        var links = 0;
        var followed = false;
        while (pending.TryPop(out var segment))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (boundary is not null && current.Equals(Path.TrimEndingDirectorySeparator(boundary), Comparison))
                {
                    return new(PathOutcome.Outside, current, followed);
                }

                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, segment);
            var entry = new FileInfo(next);
            if (entry.LinkTarget is { } target)
            {
                followed = true;
                if (++links > MaxLinks)
                {
                    return new(PathOutcome.TooManyLinks, next, followed);
                }

                if (Path.IsPathRooted(target))
                {
                    var root = boundary ?? Path.GetPathRoot(target)!;
                    if (!IsWithin(target, root))
                    {
                        return new(PathOutcome.Outside, next, followed);
                    }

                    current = Path.TrimEndingDirectorySeparator(root);
                    target = target[current.Length..];
                }

                Push(pending, Segments(target));
                continue;
            }

            if (Directory.Exists(next))
            {
                current = next;
                continue;
            }

            // A file ends the path; anything after it other than "." is ENOTDIR.
            if (!entry.Exists || pending.Any(rest => rest is not ("" or ".")))
            {
                return new(PathOutcome.NotFound, next, followed);
            }

            current = next;
        }

        return new(PathOutcome.Found, current, followed);
    }

    private static void Push(Stack<string> pending, IEnumerable<string> segments)
    {
        foreach (var segment in segments.Reverse())
        {
            pending.Push(segment);
        }
    }

    private static string[] Segments(string path)
        => path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
