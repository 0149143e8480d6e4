using McpGateway.Tests.Infrastructure;
using McpGateway.Tools;
using McpGateway.Tools.FileRead;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Tools.FileRead;

public sealed class FileReadToolTests : IDisposable
{
    private readonly SandboxTree _tree = new();
    private readonly CapturingLogger<FileReadTool> _logger = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("hello.txt", "hello\n")]
    [InlineData("./hello.txt", "hello\n")]
    [InlineData("docs/readme.md", "# Readme\n")]
    [InlineData("docs//readme.md", "# Readme\n")]
    [InlineData("docs\\readme.md", "# Readme\n")]
    [InlineData("docs/./deep/a/b/c.txt", "deep")]
    [InlineData("docs/deep/a/b/c.txt/", "deep")]
    [InlineData("unicode.txt", "grüße, 世界 😀\n")]
    [InlineData("with space & percent%.txt", "odd name")]
    [InlineData("empty.txt", "")]
    [InlineData("exact.txt", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Reads_text_files_below_the_root(string path, string expected)
        => Assert.Equal(expected, ToolAssert.Success(await Read(path)));

    [Fact]
    public async Task A_byte_order_mark_is_not_part_of_the_text()
        => Assert.Equal("bom", ToolAssert.Success(await Read("bom.txt")));

    [Theory]
    [InlineData("link-inside.txt")]
    [InlineData("link-inside-absolute.txt")]
    [InlineData("link-chain.txt")]
    [InlineData("docs/link-up.txt")]
    [InlineData("docs/root/hello.txt")]
    [InlineData("link-dir-inside/root/hello.txt")]
    public async Task Symbolic_links_that_stay_inside_the_root_are_followed(string path)
        => Assert.Equal("hello\n", ToolAssert.Success(await Read(path)));

    [Fact]
    public async Task A_symlinked_directory_inside_the_root_is_followed()
        => Assert.Equal("deep", ToolAssert.Success(await Read("link-dir-inside/deep/a/b/c.txt")));

    [Theory]
    [InlineData("link-outside.txt")]
    [InlineData("link-outside-absolute.txt")]
    [InlineData("link-dir-outside/secret.txt")]
    [InlineData("link-dir-outside-absolute/secret.txt")]
    [InlineData("link-etc/passwd")]
    [InlineData("link-etc/hostname")]
    [InlineData("docs/grandparent/outside/secret.txt")]
    [InlineData("link-to-dir-then-out/secret.txt")]
    [InlineData("link-back-in.txt")]
    public async Task Symbolic_links_leading_out_of_the_root_are_refused(string path)
    {
        var text = ToolAssert.Error(await Read(path), "outside the allowed directory");

        Assert.Equal($"'{path}' leads through a symbolic link to a place outside the allowed directory.", text);
        AssertNoHostPath(text);
    }

    [Theory]
    [InlineData("link-etc/no-such-file")]
    [InlineData("link-dir-outside/missing.txt")]
    [InlineData("dangling-outside.txt")]
    public async Task Whether_a_file_exists_outside_the_root_is_not_revealed(string path)
        => ToolAssert.Error(await Read(path), "outside the allowed directory");

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("docs/../../outside/secret.txt")]
    [InlineData("a/../../x")]
    [InlineData("..")]
    [InlineData("docs/..")]
    [InlineData("..\\outside\\secret.txt")]
    [InlineData("docs\\..\\..\\outside\\secret.txt")]
    [InlineData("docs/..\\../outside/secret.txt")]
    [InlineData("docs/deep/../../../outside/secret.txt")]
    public async Task Dot_dot_traversal_is_refused(string path)
        => Assert.Equal("Paths containing '..' are not allowed: give a path below the allowed directory.", ToolAssert.Error(await Read(path)));

    [Theory]
    [InlineData("%2e%2e/outside/secret.txt")]
    [InlineData("%2E%2E%2Foutside%2Fsecret.txt")]
    [InlineData("..%2foutside%2fsecret.txt")]
    [InlineData("..%5coutside%5csecret.txt")]
    [InlineData("docs/%2e%2e/%2e%2e/outside/secret.txt")]
    [InlineData("%252e%252e/outside/secret.txt")]
    [InlineData("%25252e%25252e/outside")]
    [InlineData("%2fetc%2fpasswd")]
    [InlineData("hello.txt%00.png")]
    public async Task Percent_encoded_traversal_is_refused(string path)
        => Assert.Equal("Percent-encoded '..', separators or control characters are not allowed in the path.", ToolAssert.Error(await Read(path)));

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("\\etc\\passwd")]
    [InlineData("//server/share/x")]
    [InlineData("\\\\server\\share\\x")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("c:/x")]
    public async Task Absolute_paths_are_refused(string path)
        => ToolAssert.Error(await Read(path), "Absolute paths are not allowed");

    [Fact]
    public async Task The_absolute_path_of_a_file_inside_the_root_is_refused_too()
        => ToolAssert.Error(await Read(Path.Combine(_tree.Root, "hello.txt")), "Absolute paths are not allowed");

    [Theory]
    [InlineData("hello.txt\0")]
    [InlineData("hello\0.txt")]
    [InlineData("hello.txt\n")]
    [InlineData("docs\r/readme.md")]
    [InlineData("\u001b[31mhello.txt")]
    [InlineData("hello\u007f.txt")]
    public async Task Control_characters_are_refused(string path)
        => ToolAssert.Error(await Read(path), "control characters");

    [Theory]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("/")]
    public async Task The_root_itself_is_not_a_file(string path)
        => ToolAssert.Error(await Read(path));

    [Theory]
    [InlineData("docs")]
    [InlineData("docs/deep/")]
    [InlineData("link-dir-inside")]
    [InlineData("docs/root")]
    public async Task Directories_are_refused(string path)
        => Assert.Equal($"'{path.TrimEnd('/')}' is a directory, not a file.", ToolAssert.Error(await Read(path)));

    [Theory]
    [InlineData("missing.txt")]
    [InlineData("docs/missing/x.txt")]
    [InlineData("hello.txt/x")]
    [InlineData("dangling.txt")]
    public async Task Missing_files_and_dangling_links_inside_the_root_are_refused(string path)
        => Assert.Equal($"'{path}' does not exist.", ToolAssert.Error(await Read(path)));

    [Fact]
    public async Task A_link_loop_is_refused()
        => Assert.Equal("'loop-a' cannot be resolved: too many symbolic links.", ToolAssert.Error(await Read("loop-a")));

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_with_both_sizes()
        => Assert.Equal($"'big.txt' is {SandboxTree.MaxBytes + 1} bytes; the limit is {SandboxTree.MaxBytes} bytes.", ToolAssert.Error(await Read("big.txt")));

    [Fact]
    public async Task The_default_size_limit_is_one_mebibyte()
    {
        File.WriteAllBytes(Path.Combine(_tree.Root, "mebibyte.txt"), Enumerable.Repeat((byte)'x', (1024 * 1024) + 1).ToArray());
        var tool = Tool(new FileReadOptions { Root = _tree.Root });

        ToolAssert.Error(await tool.InvokeAsync(ToolAssert.Arguments("path", "mebibyte.txt"), ToolAssert.Alice, TestContext.Current.CancellationToken), "the limit is 1048576 bytes");
        Assert.Equal(FileReadOptions.DefaultMaxBytes, new FileReadOptions().MaxBytes);
    }

    [Theory]
    [InlineData("binary.bin")]
    [InlineData("latin1.txt")]
    public async Task Binary_and_non_utf8_files_are_refused(string path)
        => Assert.Equal($"'{path}' is not a UTF-8 text file.", ToolAssert.Error(await Read(path)));

    [Fact]
    public async Task A_fifo_is_refused_without_blocking()
    {
        Assert.SkipUnless(_tree.TryMakeFifo("pipe"), "mkfifo is not available here");

        var read = Read("pipe").AsTask();
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Same(read, finished);
        Assert.Equal("'pipe' is not a regular file.", ToolAssert.Error(await read));
    }

    [Fact]
    public async Task A_root_configured_through_a_symbolic_link_works_and_its_links_resolve_inside_it()
    {
        var tool = Tool(new FileReadOptions { Root = _tree.RootLink, MaxBytes = SandboxTree.MaxBytes });

        Assert.Equal("hello\n", ToolAssert.Success(await tool.InvokeAsync(ToolAssert.Arguments("path", "link-inside-absolute.txt"), ToolAssert.Alice, TestContext.Current.CancellationToken)));
        ToolAssert.Error(await tool.InvokeAsync(ToolAssert.Arguments("path", "link-outside.txt"), ToolAssert.Alice, TestContext.Current.CancellationToken), "outside the allowed directory");
    }

    [Fact]
    public async Task A_root_that_disappeared_after_start_is_reported_without_its_path()
    {
        var tool = Tool(new FileReadOptions { Root = Path.Combine(_tree.Base, "gone") });

        var text = ToolAssert.Error(await tool.InvokeAsync(ToolAssert.Arguments("path", "x.txt"), ToolAssert.Alice, TestContext.Current.CancellationToken));

        Assert.Equal("The allowed directory is not available.", text);
    }

    [Theory]
    [InlineData("""{}""", "Missing required argument 'path'.")]
    [InlineData("""{"path":7}""", "Argument 'path' must be a string, got a number.")]
    [InlineData("""{"path":""}""", "Argument 'path' must not be empty.")]
    [InlineData("""{"path":"a","root":"/"}""", "Unknown argument 'root'; this tool accepts 'path'.")]
    public async Task Bad_arguments_are_error_results(string arguments, string expected)
    {
        var result = await Tool().InvokeAsync(ToolAssert.Arguments(arguments), ToolAssert.Alice, TestContext.Current.CancellationToken);

        Assert.Equal(expected, ToolAssert.Error(result));
    }

    [Fact]
    public async Task A_path_longer_than_1024_characters_is_refused()
        => ToolAssert.Error(await Read(string.Join('/', Enumerable.Repeat("abcdefghi", 110))), "from 1 to 1024 characters long");

    [Fact]
    public async Task No_message_reveals_the_host_path_of_the_root()
    {
        string[] paths =
        [
            "../x", "/etc/passwd", "%2e%2e/x", "missing.txt", "docs", "big.txt", "binary.bin", "link-outside.txt",
            "link-etc/passwd", "loop-a", "dangling.txt", "hello.txt/x", "a\0b",
        ];
        foreach (var path in paths)
        {
            AssertNoHostPath(ToolAssert.Error(await Read(path)));
        }

        AssertNoHostPath(_logger.AllText());
    }

    [Fact]
    public async Task Refusals_are_logged_with_the_subject_and_a_reason_but_not_the_path()
    {
        await Read("link-etc/passwd");

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(5010, entry.EventId.Id);
        Assert.Contains("alice", entry.Message, StringComparison.Ordinal);
        Assert.Contains("outside", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("passwd", _logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_definition_describes_a_read_only_tool_with_one_path_argument()
    {
        var definition = Tool().Definition;

        Assert.Equal("file_read", definition.Name);
        Assert.Equal("path", Assert.Single(definition.InputSchema.GetProperty("required").EnumerateArray()).GetString());
        Assert.True(definition.Annotations!.ReadOnlyHint);
        Assert.DoesNotContain(_tree.Root, definition.Description, StringComparison.Ordinal);
    }

    private FileReadTool Tool(FileReadOptions? options = null)
        => new(Options.Create(options ?? new FileReadOptions { Root = _tree.Root, MaxBytes = SandboxTree.MaxBytes }), _logger);

    private ValueTask<CallToolResult> Read(string path)
        => Tool().InvokeAsync(ToolAssert.Arguments("path", path), ToolAssert.Alice, TestContext.Current.CancellationToken);

    private void AssertNoHostPath(string text)
    {
        Assert.DoesNotContain(_tree.Base, text, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", text, StringComparison.Ordinal);
    }
}
