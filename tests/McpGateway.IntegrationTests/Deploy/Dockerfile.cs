using System.Text.Json;
using System.Text.RegularExpressions;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// The instructions of a Dockerfile, stage by stage (comments dropped, continuation lines joined), so
/// that a test can run the build stage's steps as written and check the runtime stage's settings.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    public sealed record Instruction(string Keyword, string Arguments)
    {
        /// <summary>The exec form <c>["a", "b"]</c> of the arguments as its parts.</summary>
        public string[] ExecForm() => ParseExecForm(Arguments);

        /// <summary>A plain command (shell form without any shell syntax), split on blanks.</summary>
        public string[] PlainCommand()
        {
            Assert.DoesNotMatch(@"[;&|<>`$(){}*?'""\\]", Arguments);
            return Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        }

        /// <summary>The <c>--flag=value</c> options in front of the arguments, and what follows them.</summary>
        public (Dictionary<string, string> Flags, string[] Operands) WithFlags()
        {
            var parts = Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var flags = parts.TakeWhile(part => part.StartsWith("--", StringComparison.Ordinal))
                .Select(part => part[2..].Split('=', 2))
                .ToDictionary(flag => flag[0], flag => flag.Length > 1 ? flag[1] : "", StringComparer.Ordinal);
            return (flags, parts.SkipWhile(part => part.StartsWith("--", StringComparison.Ordinal)).ToArray());
        }
    }

    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<Instruction> All(string keyword) => Instructions.Where(instruction => instruction.Keyword == keyword);

        public Instruction One(string keyword) => Assert.Single(All(keyword));

        /// <summary>The ENV variables of the stage (<c>ENV A=1 B=2</c> and the legacy <c>ENV A 1</c>).</summary>
        public Dictionary<string, string> Environment()
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var instruction in All("ENV"))
            {
                if (!instruction.Arguments.Contains('=', StringComparison.Ordinal))
                {
                    var parts = instruction.Arguments.Split(' ', 2);
                    environment[parts[0]] = parts[1].Trim();
                    continue;
                }

                foreach (Match pair in EnvPair().Matches(instruction.Arguments))
                {
                    environment[pair.Groups["key"].Value] = pair.Groups["value"].Value.Trim('"');
                }
            }

            return environment;
        }
    }

    /// <summary>An exec form <c>["a", "b"]</c> as its parts.</summary>
    public static string[] ParseExecForm(string arguments)
    {
        Assert.StartsWith("[", arguments, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<string[]>(arguments)!;
    }

    public Stage StageFrom(string imagePrefix)
        => Assert.Single(Stages, stage => stage.Image.StartsWith(imagePrefix, StringComparison.Ordinal));

    public Stage Named(string name) => Assert.Single(Stages, stage => stage.Name == name);

    public static Dockerfile Parse(string text)
    {
        var logical = new List<string>();
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (current.Length == 0 && line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (current.Length > 0 && line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                logical.Add(current.Trim());
            }

            current = "";
        }

        var stages = new List<Stage>();
        List<Instruction>? instructions = null;
        foreach (var line in logical)
        {
            var split = line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            var keyword = split[0].ToUpperInvariant();
            var arguments = split.Length > 1 ? split[1].Trim() : "";
            if (keyword == "FROM")
            {
                var from = FromLine().Match(arguments);
                Assert.True(from.Success, "FROM " + arguments);
                instructions = [];
                stages.Add(new Stage(from.Groups["image"].Value, from.Groups["name"].Success ? from.Groups["name"].Value : null, instructions));
                continue;
            }

            Assert.True(instructions is not null, $"{keyword} before FROM");
            instructions.Add(new Instruction(keyword, arguments));
        }

        return new Dockerfile(stages);
    }

    [GeneratedRegex(@"^(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+(?i:AS)\s+(?<name>\S+))?$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S*)")]
    private static partial Regex EnvPair();
}
