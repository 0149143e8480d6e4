using System.Text.Json.Nodes;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class FileReadTraversalTests(HostileStack stack, ITestOutputHelper output)
{
    private static readonly string[] Prefixes =
    [
        "../", "..\\", "./../", "sub/../../", "sub/../../../", "%2e%2e/", "%2e%2e%2f", "..%2f", "%252e%252e%252f", "..%252f", "....//", "..../", ".../",
        "%c0%ae%c0%ae/", "%uff0e%uff0e/", "\uFF0E\uFF0E/", "..\u2215", "..%5c", "..%255c", "/", "\\", "//", "\\\\", "C:\\", "c:/", "file:///",
        "/proc/self/root/", "~/", "$HOME/", "${HOME}/", ".\\..\\", "sub\\..\\..\\", "link-up/", "link-root/", "link-etc/", "sub/link-back/",
        "link-inside/../../", "link-outside-dir/", "link-inside/../link-up/", "sub/deeper/../../../", "../root/../", "./", "", "sub/./../../",
        "link-inside-abs/../../", ".%2e/", "%2e./", "..;/", "..\u0000/", "\u202E../", "sub/link-back/../", "loop-a/", "dangling/",
    ];

    private static readonly string[] Targets =
    [
        "etc/passwd", "passwd", "outside/secret.txt", "secret.txt", "proc/self/environ", "etc/shadow", "root/notes.txt", "notes.txt", "sub/inner.txt",
        "../outside/secret.txt", "etc/hostname",
    ];

    private static readonly string[] Suffixes = ["", "", "", "%00", "%00.txt", "\u0000", "\u0000.txt", "?x", "#x", "/", "/.", " ", ".", "::$DATA", "\n", "%0a", "\\"];

    private static readonly string[] Named =
    [
        "link-etc/passwd", "link-passwd", "link-secret", "link-secret-abs", "link-up/outside/secret.txt", "link-up/secret.txt", "link-root/etc/passwd",
        "loop-a", "loop-b", "loop-a/x", "dangling", "sub/link-back/secret.txt", "sub/link-proc", "link-outside-dir/secret.txt",
        "link-inside/inner.txt", "link-inside-abs/inner.txt", "notes.txt", "sub/inner.txt", "sub/deeper/deep.txt", "./notes.txt", "sub//inner.txt",
        "sub\\inner.txt", "sub/./inner.txt", "NOTES.TXT", "notes.txt/", "sub", "sub/deeper", ".", "..", "...", "link-inside", "link-root",
        "link-inside/../notes.txt", "sub/deeper/../inner.txt",
    ];

    [Fact]
    public async Task Traversal_paths_and_symlinks_for_file_read_over_rest_and_both_socket_dialects_never_reveal_anything_outside_the_root()
    {
        var random = HostileSeed.For(nameof(Traversal_paths_and_symlinks_for_file_read_over_rest_and_both_socket_dialects_never_reveal_anything_outside_the_root));
        using var attacker = await stack.SignInAsync("files-" + Guid.NewGuid().ToString("N")[..6]);
        var paths = new HashSet<string>(Named, StringComparer.Ordinal);
        foreach (var prefix in Prefixes)
        {
            paths.Add(prefix + "etc/passwd");
            paths.Add(prefix + "outside/secret.txt");
        }

        while (paths.Count < 450)
        {
            var depth = random.Next(1, 4);
            paths.Add(string.Concat(Enumerable.Range(0, depth).Select(_ => Prefixes[random.Next(Prefixes.Length)]))
                + Targets[random.Next(Targets.Length)] + Suffixes[random.Next(Suffixes.Length)]);
        }

        var arguments = paths.Select(path => (Name: "path " + OpenRedirectTests.Show(path), Arguments: (JsonNode?)new JsonObject { ["path"] = path }))
            .Concat(
            [
                ("path 1024 long", new JsonObject { ["path"] = string.Concat(Enumerable.Repeat("sub/", 256)) }),
                ("path 1025 long", new JsonObject { ["path"] = "a" + string.Concat(Enumerable.Repeat("sub/", 256)) }),
                ("path 60000 long", new JsonObject { ["path"] = string.Concat(Enumerable.Repeat("../", 20_000)) + "etc/passwd" }),
                ("path a number", new JsonObject { ["path"] = 123 }),
                ("path null", new JsonObject { ["path"] = null }),
                ("path an array", new JsonObject { ["path"] = new JsonArray("..", "etc", "passwd") }),
                ("path an object", new JsonObject { ["path"] = new JsonObject { ["path"] = "/etc/passwd" } }),
                ("no path", new JsonObject()),
                ("no arguments", null),
                ("arguments a string", JsonValue.Create("/etc/passwd")),
                ("an extra root", new JsonObject { ["path"] = "notes.txt", ["root"] = "/" }),
            ])
            .ToList();
        var log = new AttackLog();
        var reads = 0;

        await Bystander.DuringAsync(stack, output, async () =>
        {
            await using var channels = await ToolChannels.OpenAsync(stack, attacker, log);
            await Task.WhenAll(Enum.GetValues<ToolChannel>().Select(async channel =>
            {
                foreach (var (name, argument) in arguments)
                {
                    var @case = $"file_read {channel} {name}";
                    var answer = await channels.CallAsync(channel, "file_read", argument, @case);
                    if (answer.Failure is not null)
                    {
                        log.Violation(@case, $"{answer.Failure}: {answer.Raw}");
                    }
                    else if (!answer.IsError)
                    {
                        Interlocked.Increment(ref reads);
                        if (!stack.Files.Inside.Values.Contains(answer.Text))
                        {
                            log.Violation(@case, "read something that is not a file below the root: " + OpenRedirectTests.Show(answer.Text));
                        }
                    }
                }
            }));
        });

        output.WriteLine($"{arguments.Count} file_read arguments on {Enum.GetValues<ToolChannel>().Length} channels: {reads} reads of files below the root, the rest refused {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(attacker), stack.Files.SecretMarker, "root:x:0:0", stack.Files.Parent, "PATH=", "HOME=");
        Assert.True(reads >= 3 * 10, $"only {reads} legitimate reads succeeded: file_read itself may be broken");
    }
}
