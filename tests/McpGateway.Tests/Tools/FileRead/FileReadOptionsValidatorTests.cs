using McpGateway.Tools.FileRead;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Tools.FileRead;

public sealed class FileReadOptionsValidatorTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mcpgw-file-read-options-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_root_disables_the_tool_and_is_valid(string root)
    {
        var options = new FileReadOptions { Root = root };

        Assert.False(options.IsEnabled);
        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public void An_existing_absolute_directory_is_valid()
        => Assert.True(Validate(new FileReadOptions { Root = _directory.FullName }).Succeeded);

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("./data")]
    [InlineData("~/data")]
    public void A_relative_root_fails_and_names_the_key(string root)
        => Assert.StartsWith($"Tools:FileRead:Root must be an absolute directory path, got '{root}'",
            Assert.Single(Validate(new FileReadOptions { Root = root }).Failures!), StringComparison.Ordinal);

    [Fact]
    public void A_missing_directory_fails_and_names_the_key()
    {
        var missing = Path.Combine(_directory.FullName, "missing");

        Assert.StartsWith($"Tools:FileRead:Root '{missing}' is not an existing directory",
            Assert.Single(Validate(new FileReadOptions { Root = missing }).Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_is_not_a_root()
    {
        var file = Path.Combine(_directory.FullName, "file.txt");
        File.WriteAllText(file, "x");

        Assert.Contains("is not an existing directory", Assert.Single(Validate(new FileReadOptions { Root = file }).Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData((16 * 1024 * 1024) + 1)]
    public void Max_bytes_out_of_range_fails_and_names_the_key(int maxBytes)
        => Assert.StartsWith("Tools:FileRead:MaxBytes must be between 1 and 16777216",
            Assert.Single(Validate(new FileReadOptions { Root = _directory.FullName, MaxBytes = maxBytes }).Failures!), StringComparison.Ordinal);

    [Fact]
    public void Max_bytes_is_checked_while_the_tool_is_disabled_too()
        => Assert.True(Validate(new FileReadOptions { MaxBytes = 0 }).Failed);

    private static ValidateOptionsResult Validate(FileReadOptions options) => new FileReadOptionsValidator().Validate(null, options);
}
