namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Where the repository, the development stack and the test artifacts are.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string DevStack => Path.Combine(RepositoryRoot, "deploy", "dev");

    /// <summary>Logs and screenshots kept after the run (CI can upload this folder).</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot, "tests", "artifacts")).FullName;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("McpGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
