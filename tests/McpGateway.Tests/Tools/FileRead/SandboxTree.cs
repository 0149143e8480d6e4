using System.Diagnostics;
using System.Text;

namespace McpGateway.Tests.Tools.FileRead;

/// <summary>
/// A real directory tree for file_read: an allowed root with files and symbolic links of every kind,
/// a sibling directory outside it, and a link to the root. Deleted when the test ends.
/// </summary>
internal sealed class SandboxTree : IDisposable
{
    public const int MaxBytes = 64;

    public SandboxTree()
    {
        Base = Directory.CreateTempSubdirectory("mcpgw-file-read-").FullName;
        Root = Path.Combine(Base, "root");
        Outside = Path.Combine(Base, "outside");
        Directory.CreateDirectory(Path.Combine(Root, "docs", "deep", "a", "b"));
        Directory.CreateDirectory(Outside);

        Write("hello.txt", "hello\n");
        Write("empty.txt", "");
        Write("docs/readme.md", "# Readme\n");
        Write("docs/deep/a/b/c.txt", "deep");
        Write("unicode.txt", "grüße, 世界 😀\n");
        Write("with space & percent%.txt", "odd name");
        File.WriteAllBytes(Path.Combine(Root, "bom.txt"), [.. Encoding.UTF8.Preamble, .. "bom"u8]);
        File.WriteAllBytes(Path.Combine(Root, "binary.bin"), [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]);
        File.WriteAllBytes(Path.Combine(Root, "latin1.txt"), [0x63, 0x61, 0x66, 0xE9]);
        File.WriteAllBytes(Path.Combine(Root, "exact.txt"), Enumerable.Repeat((byte)'a', MaxBytes).ToArray());
        File.WriteAllBytes(Path.Combine(Root, "big.txt"), Enumerable.Repeat((byte)'a', MaxBytes + 1).ToArray());
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "secret");

        Link("link-inside.txt", "hello.txt");
        Link("link-inside-absolute.txt", Path.Combine(Root, "hello.txt"));
        Link("link-chain.txt", "link-inside.txt");
        Link("docs/link-up.txt", "../hello.txt");
        Link("docs/root", "..");
        Link("docs/grandparent", "../..");
        Link("link-dir-inside", "docs");
        Link("link-outside.txt", "../outside/secret.txt");
        Link("link-outside-absolute.txt", Path.Combine(Outside, "secret.txt"));
        Link("link-dir-outside", "../outside");
        Link("link-dir-outside-absolute", Outside);
        Link("link-etc", "/etc");
        Link("link-back-in.txt", "../root/hello.txt");
        Link("dangling.txt", "missing.txt");
        Link("dangling-outside.txt", "../outside/missing.txt");
        Link("loop-a", "loop-b");
        Link("loop-b", "loop-a");
        Link("link-to-dir-then-out", "link-dir-inside/root/../outside");

        RootLink = Path.Combine(Base, "root-link");
        Directory.CreateSymbolicLink(RootLink, Root);
    }

    public string Base { get; }

    /// <summary>The allowed directory.</summary>
    public string Root { get; }

    /// <summary>A sibling of the root: never readable.</summary>
    public string Outside { get; }

    /// <summary>A symbolic link to the root (a root configured through a link).</summary>
    public string RootLink { get; }

    /// <summary>Creates a FIFO below the root with mkfifo(1); false when the platform has none.</summary>
    public bool TryMakeFifo(string relative)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/mkfifo"))
        {
            return false;
        }

        using var mkfifo = Process.Start(new ProcessStartInfo("/usr/bin/mkfifo", [Path.Combine(Root, relative)]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        return mkfifo.ExitCode == 0;
    }

    public void Write(string relative, string content) => File.WriteAllText(Path.Combine(Root, relative), content, new UTF8Encoding(false));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind is not a test failure
        }
    }

    private void Link(string relative, string target) => File.CreateSymbolicLink(Path.Combine(Root, relative), target);
}
