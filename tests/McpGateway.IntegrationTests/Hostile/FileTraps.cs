namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// A file_read root and, next to it, a directory it must never reveal. The root holds readable files
/// and symbolic links of every kind: inside (allowed), out of the root by an absolute or a relative
/// target, to /etc, to /, a loop, a dangling link, and a link that escapes from a subdirectory.
/// </summary>
internal sealed class FileTraps : IDisposable
{
    private FileTraps(string parent)
    {
        Parent = parent;
        Root = Path.Combine(parent, "root");
        Outside = Path.Combine(parent, "outside");
    }

    public string Parent { get; }

    public string Root { get; }

    public string Outside { get; }

    public string SecretMarker { get; } = "SECRET-" + Guid.NewGuid().ToString("N");

    /// <summary>Readable files below the root, by relative path, with their content.</summary>
    public IReadOnlyDictionary<string, string> Inside { get; private set; } = new Dictionary<string, string>();

    public static FileTraps Create()
    {
        var traps = new FileTraps(Directory.CreateTempSubdirectory("mcpgw-hostile-").FullName);
        traps.Build();
        return traps;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Build()
    {
        Directory.CreateDirectory(Path.Combine(Root, "sub", "deeper"));
        Directory.CreateDirectory(Outside);
        var inside = new Dictionary<string, string>
        {
            ["notes.txt"] = "NOTES-" + Guid.NewGuid().ToString("N"),
            ["sub/inner.txt"] = "INNER-" + Guid.NewGuid().ToString("N"),
            ["sub/deeper/deep.txt"] = "DEEP-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (path, content) in inside)
        {
            File.WriteAllText(Path.Combine(Root, path), content);
        }

        Inside = inside;
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), SecretMarker);
        File.WriteAllText(Path.Combine(Parent, "secret.txt"), SecretMarker);

        Link("link-inside", "sub");
        Link("link-inside-abs", Path.Combine(Root, "sub"));
        Link("link-etc", "/etc");
        Link("link-passwd", "/etc/passwd");
        Link("link-root", "/");
        Link("link-up", "..");
        Link("link-secret", "../outside/secret.txt");
        Link("link-secret-abs", Path.Combine(Outside, "secret.txt"));
        Link("link-outside-dir", "../outside");
        Link("loop-a", "loop-b");
        Link("loop-b", "loop-a");
        Link("dangling", "/nonexistent-" + Guid.NewGuid().ToString("N"));
        Link("sub/link-back", "../../outside");
        Link("sub/link-proc", "/proc/self/environ");
    }

    private void Link(string path, string target) => File.CreateSymbolicLink(Path.Combine(Root, path), target);
}
