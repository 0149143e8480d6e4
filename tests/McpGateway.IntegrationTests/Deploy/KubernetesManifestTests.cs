using System.Globalization;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Deploy;

/// <summary>
/// deploy/k8s: every overlay builds with <c>kubectl kustomize</c>, and what it renders is a gateway
/// that survives node drains, rolls out without dropping requests, runs locked down, and takes its
/// configuration from a ConfigMap and its secrets from a Secret.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string Gateway = "mcpgateway";

    public static TheoryData<string> Overlays => new() { "production", "trial" };

    private static string K8s => Path.Combine(TestPaths.RepositoryRoot, "deploy", "k8s");

    [Theory]
    [InlineData("base")]
    [InlineData("redis")]
    [InlineData("overlays/production")]
    [InlineData("overlays/trial")]
    public async Task Every_kustomization_builds(string directory)
    {
        var resources = await BuildAsync(directory);

        Assert.NotEmpty(resources);
        Assert.All(resources, resource => Assert.False(string.IsNullOrEmpty(Name(resource))));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_runs_several_replicas_spread_out_and_protected_by_a_disruption_budget(string overlay)
    {
        var resources = await BuildAsync("overlays/" + overlay);
        var deployment = Single(resources, "Deployment", Gateway);
        var spec = deployment.GetProperty("spec");
        var pod = spec.GetProperty("template").GetProperty("spec");
        var labels = spec.GetProperty("template").GetProperty("metadata").GetProperty("labels");

        Assert.True(spec.GetProperty("replicas").GetInt32() >= (overlay == "production" ? 3 : 2));
        Assert.True(Selects(spec.GetProperty("selector").GetProperty("matchLabels"), labels));
        Assert.Equal(0, spec.GetProperty("strategy").GetProperty("rollingUpdate").GetProperty("maxUnavailable").GetInt32());
        Assert.NotEmpty(pod.GetProperty("topologySpreadConstraints").EnumerateArray());
        Assert.All(pod.GetProperty("topologySpreadConstraints").EnumerateArray(), constraint => Assert.True(Selects(constraint.GetProperty("labelSelector").GetProperty("matchLabels"), labels)));
        Assert.True(pod.GetProperty("affinity").TryGetProperty("podAntiAffinity", out _));

        var budget = Single(resources, "PodDisruptionBudget", Gateway);
        Assert.Equal(1, budget.GetProperty("spec").GetProperty("minAvailable").GetInt32());
        Assert.True(Selects(budget.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels"), labels));

        var image = Container(deployment).GetProperty("image").GetString()!;
        Assert.Matches(@"^[\w.\-/:]+/mcpgateway:[\w.\-]+$", image);
        Assert.False(image.EndsWith(":latest", StringComparison.Ordinal), "overlays pin an image tag");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_has_probes_resources_and_a_graceful_shutdown_that_fits_the_grace_period(string overlay)
    {
        var resources = await BuildAsync("overlays/" + overlay);
        var deployment = Single(resources, "Deployment", Gateway);
        var pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = Container(deployment);
        var httpPort = container.GetProperty("ports").EnumerateArray().Single(port => port.GetProperty("name").GetString() == "http");

        Assert.Equal(8080, httpPort.GetProperty("containerPort").GetInt32());
        Assert.Equal(("/readyz", "http"), Probe(container, "readinessProbe"));
        Assert.Equal(("/healthz", "http"), Probe(container, "livenessProbe"));
        Assert.Equal(("/healthz", "http"), Probe(container, "startupProbe"));
        foreach (var bound in new[] { "requests", "limits" })
        {
            var quantities = container.GetProperty("resources").GetProperty(bound);
            Assert.True(quantities.TryGetProperty("cpu", out _) && quantities.TryGetProperty("memory", out _), $"resources.{bound} needs cpu and memory");
        }

        // preStop sleep (endpoints drain) + the host's shutdown timeout must end before SIGKILL.
        var preStop = container.GetProperty("lifecycle").GetProperty("preStop").GetProperty("exec").GetProperty("command").EnumerateArray().Select(part => part.GetString()!).ToArray();
        Assert.Equal("sleep", preStop[0]);
        var config = ConfigMapOf(resources, deployment);
        var shutdownTimeout = int.Parse(config.GetProperty("shutdownTimeoutSeconds").GetString()!, CultureInfo.InvariantCulture);
        var grace = pod.GetProperty("terminationGracePeriodSeconds").GetInt32();
        Assert.Equal(45, grace);
        Assert.True(int.Parse(preStop[1], CultureInfo.InvariantCulture) + shutdownTimeout < grace, $"preStop {preStop[1]} s + shutdown {shutdownTimeout} s must be < {grace} s");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_runs_as_non_root_on_a_read_only_file_system_without_capabilities(string overlay)
    {
        var resources = await BuildAsync("overlays/" + overlay);
        var deployment = Single(resources, "Deployment", Gateway);
        var pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = Container(deployment);
        var security = container.GetProperty("securityContext");

        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.NotEqual(0, pod.GetProperty("securityContext").GetProperty("runAsUser").GetInt32());
        Assert.True(security.GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.False(security.GetProperty("allowPrivilegeEscalation").GetBoolean());
        Assert.Equal(["ALL"], security.GetProperty("capabilities").GetProperty("drop").EnumerateArray().Select(capability => capability.GetString()));
        Assert.False(pod.GetProperty("automountServiceAccountToken").GetBoolean());
        var tmp = container.GetProperty("volumeMounts").EnumerateArray().Single(mount => mount.GetProperty("mountPath").GetString() == "/tmp");
        var volume = pod.GetProperty("volumes").EnumerateArray().Single(volume => volume.GetProperty("name").GetString() == tmp.GetProperty("name").GetString());
        Assert.True(volume.TryGetProperty("emptyDir", out _));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_service_and_the_ingress_reach_the_gateway_with_websocket_and_streaming_friendly_settings(string overlay)
    {
        var resources = await BuildAsync("overlays/" + overlay);
        var deployment = Single(resources, "Deployment", Gateway);
        var labels = deployment.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");
        var service = Single(resources, "Service", Gateway);
        var ingress = Single(resources, "Ingress", Gateway);
        var annotations = ingress.GetProperty("metadata").GetProperty("annotations");

        Assert.True(Selects(service.GetProperty("spec").GetProperty("selector"), labels));
        var servicePort = Assert.Single(service.GetProperty("spec").GetProperty("ports").EnumerateArray());
        Assert.Equal("http", servicePort.GetProperty("targetPort").GetString());

        Assert.Equal("3600", annotations.GetProperty("nginx.ingress.kubernetes.io/proxy-read-timeout").GetString());
        Assert.Equal("3600", annotations.GetProperty("nginx.ingress.kubernetes.io/proxy-send-timeout").GetString());
        Assert.Equal("off", annotations.GetProperty("nginx.ingress.kubernetes.io/proxy-buffering").GetString());
        var rule = Assert.Single(ingress.GetProperty("spec").GetProperty("rules").EnumerateArray());
        var backend = Assert.Single(rule.GetProperty("http").GetProperty("paths").EnumerateArray()).GetProperty("backend").GetProperty("service");
        Assert.Equal(Name(service), backend.GetProperty("name").GetString());
        Assert.Equal(servicePort.GetProperty("name").GetString(), backend.GetProperty("port").GetProperty("name").GetString());
        var tls = Assert.Single(ingress.GetProperty("spec").GetProperty("tls").EnumerateArray());
        var host = rule.GetProperty("host").GetString();
        Assert.Equal([host], tls.GetProperty("hosts").EnumerateArray().Select(name => name.GetString()));

        // The gateway builds its redirect URI and checks WebSocket origins from the public origin: it
        // must be the ingress host, over https.
        var origin = new Uri(ConfigMapOf(resources, deployment).GetProperty("Gateway__PublicOrigin").GetString()!);
        Assert.Equal(("https", host), (origin.Scheme, origin.Host));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Configuration_comes_from_the_config_map_and_secrets_from_the_secret(string overlay)
    {
        var resources = await BuildAsync("overlays/" + overlay);
        var deployment = Single(resources, "Deployment", Gateway);
        var container = Container(deployment);
        var config = ConfigMapOf(resources, deployment);
        var secretName = container.GetProperty("envFrom").EnumerateArray()
            .Where(source => source.TryGetProperty("secretRef", out _))
            .Select(source => source.GetProperty("secretRef").GetProperty("name").GetString()!)
            .Single();

        foreach (var key in new[] { "Gateway__PublicOrigin", "Auth__Authority", "Upstreams__Mcp__Url", "Upstreams__Chat__Url" })
        {
            Assert.False(string.IsNullOrEmpty(config.GetProperty(key).GetString()), $"the ConfigMap must set {key}");
        }

        Assert.StartsWith("https://", config.GetProperty("Auth__Authority").GetString(), StringComparison.Ordinal);
        var configKeys = config.EnumerateObject().Select(entry => entry.Name).ToList();
        Assert.DoesNotContain(configKeys, key => key.Contains("Secret", StringComparison.OrdinalIgnoreCase) || key.Contains("Token", StringComparison.OrdinalIgnoreCase) || key == "Redis__Configuration");
        Assert.All(container.TryGetProperty("env", out var env) ? env.EnumerateArray() : [], variable => Assert.True(variable.TryGetProperty("value", out _) || variable.TryGetProperty("valueFrom", out _)));

        if (overlay == "trial")
        {
            // The in-cluster Redis, with append-only persistence on a claim; its address is in the Secret.
            var secret = Single(resources, "Secret", "mcpgateway-secrets");
            Assert.Equal(Name(secret), secretName);
            var redisConfiguration = ReadSecret(secret, "Redis__Configuration");
            var redisService = Single(resources, "Service", "mcpgateway-redis");
            Assert.StartsWith(Name(redisService) + ":6379", redisConfiguration, StringComparison.Ordinal);
            var redis = Single(resources, "StatefulSet", "mcpgateway-redis");
            var args = Container(redis).GetProperty("args").EnumerateArray().Select(arg => arg.GetString()).ToList();
            Assert.Equal("yes", args[args.IndexOf("--appendonly") + 1]);
            Assert.Equal("data", Assert.Single(redis.GetProperty("spec").GetProperty("volumeClaimTemplates").EnumerateArray()).GetProperty("metadata").GetProperty("name").GetString());
            Assert.True(Selects(redisService.GetProperty("spec").GetProperty("selector"), redis.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels")));
        }
        else
        {
            // Production's Secret comes from outside git; the example lists its keys with placeholders only.
            Assert.DoesNotContain(resources, resource => Kind(resource) == "Secret");
            Assert.DoesNotContain(resources, resource => Kind(resource) == "StatefulSet");
            Assert.Equal("mcpgateway-secrets", secretName);
            var example = await DeployTools.ParseYamlFileAsync(Path.Combine(K8s, "overlays", "production", "secret.example.yaml"));
            Assert.Equal(secretName, Name(example));
            var redisConfiguration = example.GetProperty("stringData").GetProperty("Redis__Configuration").GetString()!;
            Assert.Contains("password=<", redisConfiguration, StringComparison.Ordinal);

            // The data-protection keys in the shared Redis are encrypted with a certificate from its own Secret.
            var certificatePath = env.EnumerateArray().Single(variable => variable.GetProperty("name").GetString() == "DataProtection__CertificatePath").GetProperty("value").GetString()!;
            var mount = container.GetProperty("volumeMounts").EnumerateArray().Single(mount => certificatePath.StartsWith(mount.GetProperty("mountPath").GetString()! + "/", StringComparison.Ordinal));
            Assert.True(mount.GetProperty("readOnly").GetBoolean());
            var volume = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("volumes").EnumerateArray()
                .Single(volume => volume.GetProperty("name").GetString() == mount.GetProperty("name").GetString());
            Assert.Equal("mcpgateway-dataprotection", volume.GetProperty("secret").GetProperty("secretName").GetString());
            Assert.True(example.GetProperty("stringData").TryGetProperty("DataProtection__CertificatePassword", out _));
        }
    }

    private static async Task<IReadOnlyList<JsonElement>> BuildAsync(string directory)
    {
        var result = await DeployTools.RunAsync(DeployTools.Kubectl(), ["kustomize", Path.Combine(K8s, directory)]);
        Assert.True(result.ExitCode == 0, result.Describe($"kubectl kustomize deploy/k8s/{directory}"));
        return await DeployTools.ParseYamlAsync(result.Output);
    }

    private static string Kind(JsonElement resource) => resource.GetProperty("kind").GetString()!;

    private static string Name(JsonElement resource) => resource.GetProperty("metadata").GetProperty("name").GetString()!;

    /// <summary>The one resource of a kind whose name is <paramref name="name"/>, or that name plus a generator's hash suffix.</summary>
    private static JsonElement Single(IEnumerable<JsonElement> resources, string kind, string name)
        => Assert.Single(resources, resource => Kind(resource) == kind && (Name(resource) == name || (Name(resource).StartsWith(name + "-", StringComparison.Ordinal) && Name(resource).Length == name.Length + 11)));

    private static JsonElement Container(JsonElement workload)
        => workload.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];

    private static (string? Path, string? Port) Probe(JsonElement container, string probe)
    {
        var get = container.GetProperty(probe).GetProperty("httpGet");
        return (get.GetProperty("path").GetString(), get.GetProperty("port").GetString());
    }

    /// <summary>The data of the ConfigMap the gateway container takes its environment from (it must be in the output).</summary>
    private static JsonElement ConfigMapOf(IEnumerable<JsonElement> resources, JsonElement deployment)
    {
        var name = Container(deployment).GetProperty("envFrom").EnumerateArray()
            .Where(source => source.TryGetProperty("configMapRef", out _))
            .Select(source => source.GetProperty("configMapRef").GetProperty("name").GetString())
            .Single();
        return Assert.Single(resources, resource => Kind(resource) == "ConfigMap" && Name(resource) == name).GetProperty("data");
    }

    private static string ReadSecret(JsonElement secret, string key)
        => secret.TryGetProperty("stringData", out var stringData) && stringData.TryGetProperty(key, out var plain)
            ? plain.GetString()!
            : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret.GetProperty("data").GetProperty(key).GetString()!));

    /// <summary>Whether a selector (label map) matches a pod's labels.</summary>
    private static bool Selects(JsonElement selector, JsonElement labels)
        => selector.EnumerateObject().Any() && selector.EnumerateObject().All(label => labels.TryGetProperty(label.Name, out var value) && value.GetString() == label.Value.GetString());
}
