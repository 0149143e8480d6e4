using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// Runs a Dockerfile stage without Docker: each stage gets a folder standing for its "/", and its
/// WORKDIR, COPY (from the build context minus .dockerignore, or from an earlier stage's folder) and RUN
/// (plain npm and dotnet commands, with absolute paths mapped into the folder) are carried out as written.
/// Instructions that only describe the image (ENV, USER, CMD, …) change no file and are passed over.
/// </summary>
internal static class DockerBuild
{
    private static readonly string[] MetadataOnly = ["ENV", "USER", "CMD", "ENTRYPOINT", "EXPOSE", "HEALTHCHECK", "LABEL", "ARG", "VOLUME", "STOPSIGNAL"];
    private static readonly string[] Programs = ["npm", "dotnet"];

    /// <summary>An absolute path of an image (e.g. /app) inside the folder that stands for its root.</summary>
    public static string Rooted(string root, string imagePath) => Path.GetFullPath(Path.Combine(root, imagePath.TrimStart('/')));

    /// <summary>Runs <paramref name="stage"/> in <c>roots[key]</c>; <c>COPY --from=X</c> reads <c>roots[X]</c>.</summary>
    public static async Task RunStageAsync(Dockerfile.Stage stage, string key, IReadOnlyDictionary<string, string> roots)
    {
        var context = TestPaths.RepositoryRoot;
        var ignore = new DockerIgnore(File.ReadAllLines(Path.Combine(context, ".dockerignore")));
        var root = roots[key];
        var workdir = "/";
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = instruction.Arguments.StartsWith('/') ? instruction.Arguments : Path.Combine(workdir, instruction.Arguments);
                    Directory.CreateDirectory(Rooted(root, workdir));
                    break;

                case "COPY":
                    var (flags, parts) = instruction.WithFlags();
                    Assert.False(flags.ContainsKey("chown") || flags.ContainsKey("chmod") || flags.ContainsKey("link"), "COPY flags this test cannot reproduce: " + instruction.Arguments);
                    var destination = Rooted(root, parts[^1].StartsWith('/') ? parts[^1] : Path.Combine(workdir, parts[^1]));
                    foreach (var source in parts[..^1])
                    {
                        string from;
                        Func<string, bool> excludes;
                        if (flags.TryGetValue("from", out var other))
                        {
                            Assert.True(roots.ContainsKey(other), $"COPY --from={other}: no such earlier stage");
                            (from, excludes) = (Rooted(roots[other], source), _ => false);
                            Assert.True(Directory.Exists(from) || File.Exists(from), $"COPY --from={other} {source}: stage {other} did not produce it");
                        }
                        else
                        {
                            Assert.False(ignore.Excludes(source), $"COPY {source}: .dockerignore leaves it out of the context");
                            (from, excludes) = (Path.Combine(context, source), ignore.Excludes);
                        }

                        if (Directory.Exists(from))
                        {
                            CopyTree(from, destination, excludes, source.TrimEnd('/'));
                        }
                        else
                        {
                            Assert.True(File.Exists(from), $"COPY {source}: not in the build context");
                            var target = parts.Length > 2 || parts[^1].EndsWith('/') ? Path.Combine(destination, Path.GetFileName(from)) : destination;
                            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                            File.Copy(from, target, overwrite: true);
                        }
                    }

                    break;

                case "RUN":
                    var command = instruction.PlainCommand();
                    Assert.Contains(command[0], Programs);
                    var arguments = command[1..].Select(argument => argument.StartsWith('/') ? Rooted(root, argument) : argument);
                    var result = await DeployTools.RunAsync(command[0], arguments, Rooted(root, workdir), timeout: TimeSpan.FromMinutes(8));
                    Assert.True(result.ExitCode == 0, result.Describe("RUN " + instruction.Arguments));
                    break;

                default:
                    Assert.True(MetadataOnly.Contains(instruction.Keyword), $"{instruction.Keyword}: an instruction this test cannot reproduce");
                    break;
            }
        }
    }

    /// <summary>The WORKDIR in effect at the end of a stage (where its CMD or ENTRYPOINT runs).</summary>
    public static string FinalWorkdir(Dockerfile.Stage stage)
        => stage.All("WORKDIR").Aggregate("/", (current, workdir) => workdir.Arguments.StartsWith('/') ? workdir.Arguments : Path.Combine(current, workdir.Arguments));

    private static void CopyTree(string from, string to, Func<string, bool> excludes, string contextPath)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in Directory.EnumerateFileSystemEntries(from))
        {
            var name = Path.GetFileName(entry);
            var relative = contextPath.Length == 0 ? name : contextPath + "/" + name;
            if (excludes(relative))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                CopyTree(entry, Path.Combine(to, name), excludes, relative);
            }
            else
            {
                File.Copy(entry, Path.Combine(to, name), overwrite: true);
            }
        }
    }
}
