using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// The Dockerfile's "web" and "build" stages run once, as written, into a temporary folder: the
/// published gateway (what the runtime stage copies to /app) for the tests of this collection.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    private string _root = "";

    internal Dockerfile Dockerfile { get; } = Dockerfile.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "Dockerfile")));

    internal Dockerfile.Stage Web => Dockerfile.StageFrom("node:20-bookworm-slim");

    internal Dockerfile.Stage Build => Dockerfile.StageFrom("mcr.microsoft.com/dotnet/sdk:10.0");

    internal Dockerfile.Stage Runtime => Dockerfile.Stages[^1];

    /// <summary>The build stage's root folder (its /app holds the published gateway).</summary>
    internal string BuildRoot => Path.Combine(_root, Build.Name!);

    /// <summary>Where the runtime stage runs the gateway: its WORKDIR, filled by COPY --from=build.</summary>
    internal string App { get; private set; } = "";

    /// <summary>The <c>-o</c> folder of the build stage's <c>dotnet publish</c>.</summary>
    internal string PublishOutput
    {
        get
        {
            var publish = Build.All("RUN").Single(run => run.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).PlainCommand();
            var output = Array.IndexOf(publish, "-o");
            Assert.True(output > 0, "dotnet publish needs -o");
            return publish[output + 1].TrimEnd('/');
        }
    }

    /// <summary>A path of the runtime image (e.g. /app/McpGateway.dll) on this machine.</summary>
    internal string InImage(string path) => DockerBuild.Rooted(BuildRoot, path);

    public async ValueTask InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("mcpgw-image-").FullName;
        var roots = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Web.Name!] = Directory.CreateDirectory(Path.Combine(_root, Web.Name!)).FullName,
            [Build.Name!] = Directory.CreateDirectory(BuildRoot).FullName,
        };
        await DockerBuild.RunStageAsync(Web, Web.Name!, roots);
        await DockerBuild.RunStageAsync(Build, Build.Name!, roots);

        // The runtime stage copies the publish output to its WORKDIR; both are /app, so the build
        // stage's folder serves as the runtime's too (the Dockerfile tests check that they agree).
        App = InImage(PublishOutput);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
