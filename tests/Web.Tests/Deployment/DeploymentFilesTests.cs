using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace TradSys.Web.Tests.Deployment;

/// <summary>
/// The deployment files (issue 18 item 6, docs/deployment.md): the nginx configurations pass <c>nginx -t</c> with Debian's
/// nginx (tests/infra/nginx.sh), the local one routes as documented when it really runs (an order command that a node did
/// not carry out goes to the next node, WebSockets pass through), and the Kubernetes manifests pass a schema check against
/// the Kubernetes API's own schemas (tests/infra/kubeschema.sh: kubernetes-models' validators and @kubernetes/client-node's
/// field names, the equivalent of kubeconform -strict, which no registry here serves), set only settings the platform reads,
/// and hang together (probes, disruption budget, nginx's upstreams against the Services).
/// </summary>
public sealed partial class DeploymentFilesTests
{
    /// <summary>Settings the manifests set that ASP.NET Core itself reads, not the platform's code.</summary>
    private static readonly Dictionary<string, string> FrameworkKeys = new(StringComparer.Ordinal)
    {
        ["Urls"] = "ASP.NET Core's host: the addresses Kestrel listens on (README, Production configuration)",
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "ASP.NET Core's web host defaults: the forwarded-headers middleware for X-Forwarded-For and -Proto",
    };

    private static string Root { get; } = FindRoot();

    private static string K8s => Path.Combine(Root, "deploy", "k8s");

    private static string LocalNginxConf => Path.Combine(Root, "deploy", "nginx", "tradsys.conf");

    [Fact]
    public async Task The_local_nginx_configuration_passes_nginx_t()
    {
        var nginx = await NginxAsync();
        var check = await RunAsync(nginx, ["-t", "-c", LocalNginxConf]);
        Assert.True(check.ExitCode == 0, $"nginx -t:\n{check.Output}");
        Assert.Contains("test is successful", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Kubernetes_nginx_configuration_passes_nginx_t()
    {
        var check = await RunAsync("bash", ["tests/infra/nginx-check-pod-conf.sh"]);
        Assert.True(check.ExitCode == 0, $"tests/infra/nginx-check-pod-conf.sh:\n{check.Output}");
        Assert.Contains("test is successful", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_nginx_configurations_route_alike()
    {
        var local = File.ReadAllText(LocalNginxConf);
        var pod = File.ReadAllText(Path.Combine(K8s, "nginx.conf"));
        foreach (var text in new[] { local, pod })
        {
            // POST and PATCH are resent after an error (the node may have carried them out) under /api/v1/orders only.
            Assert.Single(text.Split('\n'), line => line.TrimStart().StartsWith("proxy_next_upstream ", StringComparison.Ordinal) && line.Contains("non_idempotent", StringComparison.Ordinal));
            Assert.Matches(@"location /api/v1/orders \{\s*proxy_pass http://tradsys_api;\s*proxy_next_upstream error timeout http_503 non_idempotent;", text);
            Assert.Contains("        proxy_next_upstream error timeout http_503;\n        proxy_next_upstream_tries 3;", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("least_conn;", text, StringComparison.Ordinal);
            Assert.Contains("hash $remote_addr consistent;", text, StringComparison.Ordinal);
        }
        // The same locations, each to the same upstream.
        Assert.Equal(Locations(local), Locations(pod));
        Assert.Contains(("/ws", "tradsys_sticky"), Locations(local));
        Assert.Contains(("/", "tradsys_api"), Locations(local));
    }

    [Fact]
    public async Task Nginx_resends_an_order_command_a_node_did_not_carry_out_to_the_next_node_and_passes_WebSockets()
    {
        var nginx = await NginxAsync();
        var (portA, portB, portProxy) = (FreePort(), FreePort(), FreePort());
        var standby = new List<string>();
        var leader = new List<string>();
        await using var a = await FakeNodeAsync(portA, leader: false, standby);
        await using var b = await FakeNodeAsync(portB, leader: true, leader);

        // The local layout's file as it is, with its ports and its pid and temporary paths moved out of the way.
        var dir = Directory.CreateTempSubdirectory("tradsys-nginx-test");
        try
        {
            var conf = File.ReadAllText(LocalNginxConf)
                .Replace("127.0.0.1:5201", $"127.0.0.1:{portA}", StringComparison.Ordinal)
                .Replace("127.0.0.1:5202", $"127.0.0.1:{portB}", StringComparison.Ordinal)
                .Replace("listen 127.0.0.1:8080;", $"listen 127.0.0.1:{portProxy};", StringComparison.Ordinal)
                .Replace("/tmp/tradsys-nginx", Path.Combine(dir.FullName, "nginx"), StringComparison.Ordinal);
            var path = Path.Combine(dir.FullName, "tradsys.conf");
            File.WriteAllText(path, conf);
            using var proxy = Process.Start(new ProcessStartInfo(nginx, ["-c", path, "-g", "daemon off;"]))!;
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portProxy}") };
                await WaitForAsync(http);

                // Every order lands on the leader, whichever node nginx asked first; the standby refused some (least_conn
                // alternates between idle nodes) and none of those was lost.
                for (var i = 0; i < 10; i++)
                {
                    using var response = await http.PostAsync("/api/v1/orders", new StringContent($"{{\"clientOrderId\":\"o{i}\"}}", Encoding.UTF8, "application/json"));
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    Assert.Equal($"leader o{i}", await response.Content.ReadAsStringAsync());
                }
                Assert.Contains(standby, s => s.StartsWith("POST /api/v1/orders", StringComparison.Ordinal));
                Assert.Equal(10, leader.Count(s => s.StartsWith("POST /api/v1/orders", StringComparison.Ordinal)));

                // A rule-pack replay's 503 comes after it was stored: nginx does not send that POST again.
                var refused = 0;
                for (var i = 0; i < 6; i++)
                {
                    using var response = await http.PostAsync("/api/v1/rulepacks/replays", new StringContent("{}", Encoding.UTF8, "application/json"));
                    refused += response.StatusCode == HttpStatusCode.ServiceUnavailable ? 1 : 0;
                }
                var replaysA = standby.Count(s => s.StartsWith("POST /api/v1/rulepacks/replays", StringComparison.Ordinal));
                Assert.True(replaysA > 0, "nginx never sent a replay to the first node");
                Assert.Equal(replaysA, refused);
                Assert.Equal(6 - replaysA, leader.Count(s => s.StartsWith("POST /api/v1/rulepacks/replays", StringComparison.Ordinal)));

                // A node lost mid-request: an amend is resent (the platform answers a repeated amend or cancel with the order as
                // it is), an instrument import is not (it would be applied twice): its caller gets the 502 and decides.
                for (var i = 0; i < 6; i++)
                {
                    using var response = await http.PatchAsync($"/api/v1/orders/{i}", new StringContent("{\"quantity\":10}", Encoding.UTF8, "application/json"));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
                Assert.Contains(standby, s => s.StartsWith("PATCH /api/v1/orders/", StringComparison.Ordinal));
                Assert.Equal(6, leader.Count(s => s.StartsWith("PATCH /api/v1/orders/", StringComparison.Ordinal)));
                var badGateway = 0;
                for (var i = 0; i < 6; i++)
                {
                    using var response = await http.PostAsync("/api/v1/instruments/import", new StringContent("{}", Encoding.UTF8, "application/json"));
                    badGateway += response.StatusCode == HttpStatusCode.BadGateway ? 1 : 0;
                }
                var importsA = standby.Count(s => s == "POST /api/v1/instruments/import");
                Assert.True(importsA > 0, "nginx never sent an import to the first node");
                Assert.Equal(importsA, badGateway);
                Assert.Equal(6 - importsA, leader.Count(s => s == "POST /api/v1/instruments/import"));

                // The portal sticks to one node for one client address.
                for (var i = 0; i < 6; i++)
                {
                    (await http.GetAsync("/portal/orders")).Dispose();
                }
                var portalA = standby.Count(s => s == "GET /portal/orders");
                var portalB = leader.Count(s => s == "GET /portal/orders");
                Assert.True(portalA == 6 ^ portalB == 6, $"portal pages went to both nodes ({portalA} and {portalB}) from one address");

                // A WebSocket through nginx: the upgrade is passed on and messages flow both ways.
                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{portProxy}/ws"), CancellationToken.None);
                await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                var buffer = new byte[64];
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                Assert.StartsWith("echo ping from ", Encoding.UTF8.GetString(buffer, 0, received.Count), StringComparison.Ordinal);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            finally
            {
                proxy.Kill(entireProcessTree: true);
                await proxy.WaitForExitAsync();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_Kubernetes_manifests_pass_the_schema_check()
    {
        var node = await KubeSchemaAsync();
        var files = Manifests().ToList();
        Assert.Contains(files, f => f.EndsWith("secrets.example.yaml", StringComparison.Ordinal));
        var check = await RunAsync(node, ["tests/infra/k8s-schema/validate.mjs", .. files]);
        Assert.True(check.ExitCode == 0, $"schema check:\n{check.Output}");
        var documents = Documents().Count;
        Assert.Contains($"{documents} document(s), 0 problem(s)", check.Output, StringComparison.Ordinal);
        Assert.Equal(documents, Regex.Matches(check.Output, "^ok ", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task The_schema_check_refuses_what_the_Kubernetes_API_would()
    {
        var node = await KubeSchemaAsync();
        var file = Path.Combine(Path.GetTempPath(), $"tradsys-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: bad}
            spec:
              serviceName: bad
              replicas: two
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: c
                      image: i
                      readinesProbe: {httpGet: {path: /health/ready, port: 8080}}
                      livenessProbe: {httpGet: {path: /health/live}}
                      resources: {limits: {memory: four gigabytes}}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudgett
            metadata: {name: bad}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: bad}
            spec: {type: Balancer, ports: [{port: 80}]}
            """);
        try
        {
            var check = await RunAsync(node, ["tests/infra/k8s-schema/validate.mjs", file]);
            Assert.Equal(1, check.ExitCode);
            foreach (var expected in new[]
            {
                "spec/replicas must be integer",
                "livenessProbe/httpGet must have required property port",
                "resources/limits/memory must match format \"quantity\"",
                "unknown field \"readinesProbe\"",
                "kind PodDisruptionBudgett is no built-in Kubernetes resource",
                "spec/type must be equal to one of the allowed values",
            })
            {
                Assert.Contains(expected, check.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_but_the_example_secrets()
    {
        var kustomization = Load(Path.Combine(K8s, "kustomization.yaml"))[0];
        var resources = ((YamlSequenceNode)kustomization["resources"]).Select(n => n.ToString()).Order(StringComparer.Ordinal);
        var files = Manifests().Select(Path.GetFileName).Where(f => f != "secrets.example.yaml").Order(StringComparer.Ordinal);
        Assert.Equal(files, resources);
        var generated = (YamlMappingNode)((YamlSequenceNode)kustomization["configMapGenerator"])[0];
        Assert.Equal("tradsys-nginx", generated["name"].ToString());
        Assert.Equal(["nginx.conf"], ((YamlSequenceNode)generated["files"]).Select(n => n.ToString()));
    }

    [Fact]
    public void The_nodes_are_two_writer_candidates_with_probes_a_disruption_budget_and_no_privileges()
    {
        var documents = Documents();
        var nodes = documents.Single(d => Kind(d) == "StatefulSet");
        var spec = (YamlMappingNode)nodes["spec"];
        Assert.Equal("2", spec["replicas"].ToString());
        // A rollout replaces one node at a time: one stays ready.
        Assert.Equal("1", spec["updateStrategy"]["rollingUpdate"]["maxUnavailable"].ToString());
        var labels = (YamlMappingNode)spec["template"]["metadata"]["labels"];
        var budget = documents.Single(d => Kind(d) == "PodDisruptionBudget" && d["metadata"]["name"].ToString() == "tradsys");
        Assert.Equal("1", budget["spec"]["minAvailable"].ToString());
        Assert.True(Selects((YamlMappingNode)budget["spec"]["selector"]["matchLabels"], labels), "the budget does not select the nodes");

        var pod = (YamlMappingNode)spec["template"]["spec"];
        Assert.Equal("true", pod["securityContext"]["runAsNonRoot"].ToString());
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        Assert.Equal("/health/live", container["livenessProbe"]["httpGet"]["path"].ToString());
        Assert.Equal("/health/ready", container["readinessProbe"]["httpGet"]["path"].ToString());
        Assert.Equal("true", container["securityContext"]["readOnlyRootFilesystem"].ToString());
        Assert.Equal("false", container["securityContext"]["allowPrivilegeEscalation"].ToString());
        Assert.Equal(["ALL"], ((YamlSequenceNode)container["securityContext"]["capabilities"]["drop"]).Select(n => n.ToString()));
        Assert.NotNull(container["resources"]["requests"]["cpu"]);
        Assert.NotNull(container["resources"]["limits"]["memory"]);
        // Each node's name is its pod's name.
        var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>();
        Assert.Contains(env, e => e["name"].ToString() == "Cluster__NodeName" && e["valueFrom"]["fieldRef"]["fieldPath"].ToString() == "metadata.name");
        // Settings from the ConfigMap and the Secret, both by name.
        var from = ((YamlSequenceNode)container["envFrom"]).Cast<YamlMappingNode>().ToList();
        Assert.Contains(from, f => f.Children.ContainsKey("configMapRef") && f["configMapRef"]["name"].ToString() == "tradsys-config");
        Assert.Contains(from, f => f.Children.ContainsKey("secretRef") && f["secretRef"]["name"].ToString() == "tradsys-secrets");
        var config = documents.Single(d => Kind(d) == "ConfigMap");
        Assert.Equal("true", config["data"]["Cluster__Enabled"].ToString());
        Assert.Equal("Postgres", config["data"]["Platform__Database"].ToString());
    }

    [Fact]
    public void Nginx_in_Kubernetes_names_one_Service_per_node_and_each_selects_its_pod()
    {
        var documents = Documents();
        var replicas = int.Parse(documents.Single(d => Kind(d) == "StatefulSet")["spec"]["replicas"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var servers = Regex.Matches(File.ReadAllText(Path.Combine(K8s, "nginx.conf")), @"^\s*server\s+([a-z0-9-]+):(\d+)", RegexOptions.Multiline)
            .Select(m => (Host: m.Groups[1].Value, Port: m.Groups[2].Value)).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, replicas).Select(i => ($"tradsys-{i}", "8080")), servers);
        foreach (var (host, port) in servers)
        {
            var service = documents.Single(d => Kind(d) == "Service" && d["metadata"]["name"].ToString() == host);
            Assert.Equal(host, service["spec"]["selector"]["statefulset.kubernetes.io/pod-name"].ToString());
            Assert.Contains(((YamlSequenceNode)service["spec"]["ports"]).Cast<YamlMappingNode>(), p => p["port"].ToString() == port);
        }
    }

    [Fact]
    public void Every_setting_the_manifests_set_is_one_the_platform_or_ASP_NET_Core_reads()
    {
        var sources = Directory.GetFiles(Path.Combine(Root, "src", "Web"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var keys = SettingKeys().ToList();
        Assert.Contains("ConnectionStrings__Postgres", keys);
        Assert.Contains("Auth__SigningCertificatePath", keys);
        var problems = new List<string>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (FrameworkKeys.ContainsKey(key) || Read(key, sources))
            {
                continue;
            }
            problems.Add($"{key}: no code under src/Web reads it");
        }
        Assert.Contains("Cluster__Enabled", keys);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// Whether the platform's code reads a setting (environment form Section__Sub__Key): the whole path as a string literal
    /// ("Logging:Format"), a connection string by name, or every section as a literal and the key as a literal or as a
    /// property of a bound options class.
    /// </summary>
    private static bool Read(string key, List<string> sources)
    {
        var parts = key.Split("__");
        var path = string.Join(':', parts);
        if (sources.Any(s => s.Contains($"\"{path}\"", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        if (parts is ["ConnectionStrings", var name])
        {
            return sources.Any(s => s.Contains($"GetConnectionString(\"{name}\")", StringComparison.Ordinal));
        }
        bool Literal(string segment) => sources.Any(s =>
            Regex.IsMatch(s, $"\"(?:[A-Za-z0-9]+:)*{Regex.Escape(segment)}(?::[A-Za-z0-9]+)*\"", RegexOptions.IgnoreCase));
        return parts.Length > 1 && parts[..^1].All(Literal)
            && (Literal(parts[^1]) || sources.Any(s => Regex.IsMatch(s, $@"\b{Regex.Escape(parts[^1])}\s*\{{\s*get;")));
    }

    /// <summary>Every setting the manifests give the nodes: the ConfigMap's and the Secrets' keys, the containers' env names.</summary>
    private static IEnumerable<string> SettingKeys()
    {
        foreach (var document in Documents())
        {
            var kind = Kind(document);
            if (kind == "ConfigMap" && document.Children.ContainsKey("data"))
            {
                foreach (var key in ((YamlMappingNode)document["data"]).Children.Keys)
                {
                    yield return key.ToString();
                }
            }
            if (kind == "Secret" && document["metadata"]["name"].ToString() == "tradsys-secrets")
            {
                foreach (var key in ((YamlMappingNode)document["stringData"]).Children.Keys)
                {
                    yield return key.ToString();
                }
            }
            if (kind == "StatefulSet")
            {
                foreach (var container in ((YamlSequenceNode)document["spec"]["template"]["spec"]["containers"]).Cast<YamlMappingNode>())
                {
                    foreach (var env in ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>())
                    {
                        yield return env["name"].ToString();
                    }
                }
            }
        }
    }

    private static bool Selects(YamlMappingNode selector, YamlMappingNode labels) =>
        selector.Children.All(kv => labels.Children.TryGetValue(kv.Key, out var v) && v.ToString() == kv.Value.ToString());

    private static string Kind(YamlMappingNode document) => document["kind"].ToString();

    private static IEnumerable<string> Manifests() =>
        Directory.GetFiles(K8s, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal);

    private static List<YamlMappingNode> Documents() => [.. Manifests().SelectMany(Load)];

    private static List<YamlMappingNode> Load(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }
        return [.. yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    /// <summary>Each location of an nginx configuration with the upstream it passes to, in order.</summary>
    private static List<(string Location, string Upstream)> Locations(string conf) =>
        [.. LocationPattern().Matches(conf).Select(m => (m.Groups["path"].Value, m.Groups["upstream"].Value))];

    [GeneratedRegex(@"location\s+(?<path>/\S*)\s*\{\s*(?:#[^\n]*\n\s*)*proxy_pass\s+http://(?<upstream>\w+);")]
    private static partial Regex LocationPattern();

    /// <summary>A stand-in for a platform node behind nginx: the leader takes order commands (201), a standby answers them
    /// 503 "not carried out" as the cluster's nodes do; both answer a rule-pack replay (the standby with 503), portal pages,
    /// and a WebSocket echo. Each request is recorded as "METHOD path".</summary>
    private static async Task<WebApplication> FakeNodeAsync(int port, bool leader, List<string> seen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        var name = leader ? "leader" : "standby";
        app.Use(async (context, next) =>
        {
            lock (seen)
            {
                seen.Add($"{context.Request.Method} {context.Request.Path}");
            }
            await next(context);
        });
        app.MapPost("/api/v1/orders", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var id = Regex.Match(body, "\"clientOrderId\":\"(\\w+)\"").Groups[1].Value;
            if (!leader)
            {
                context.Response.Headers.RetryAfter = "1";
                return Results.Problem(statusCode: 503, title: "Not carried out", detail: "this node does not hold the order writer's leadership");
            }
            return Results.Text($"leader {id}", statusCode: 201);
        });
        app.MapPost("/api/v1/rulepacks/replays", () => leader
            ? Results.Text("accepted", statusCode: 202)
            : Results.Problem(statusCode: 503, title: "Service unavailable", detail: "replay 1 was stored but could not be queued; try again later"));
        // A node that dies after the request reached it (it may have carried it out): the connection drops before any answer.
        app.MapPatch("/api/v1/orders/{id:long}", (HttpContext context, long id) =>
        {
            if (!leader)
            {
                context.Abort();
                return Results.Empty;
            }
            return Results.Text($"leader amended {id}");
        });
        app.MapPost("/api/v1/instruments/import", (HttpContext context) =>
        {
            if (!leader)
            {
                context.Abort();
                return Results.Empty;
            }
            return Results.Text("imported");
        });
        app.MapGet("/portal/orders", () => Results.Text(name));
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.Map("/ws", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            var answer = Encoding.UTF8.GetBytes($"echo {Encoding.UTF8.GetString(buffer, 0, received.Count)} from {name}");
            await socket.SendAsync(answer, WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        });
        await app.StartAsync();
        return app;
    }

    private static async Task WaitForAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "nginx did not answer within 20 s");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> NginxAsync()
    {
        var install = await RunAsync("bash", ["tests/infra/nginx.sh"]);
        Assert.True(install.ExitCode == 0, $"tests/infra/nginx.sh exited {install.ExitCode}:\n{install.Output}");
        return install.Stdout.Trim().Split('\n')[^1].Trim();
    }

    private static async Task<string> KubeSchemaAsync()
    {
        var install = await RunAsync("bash", ["tests/infra/kubeschema.sh"]);
        Assert.True(install.ExitCode == 0, $"tests/infra/kubeschema.sh exited {install.ExitCode}:\n{install.Output}");
        return install.Stdout.Trim().Split('\n')[^1].Trim();
    }

    private static async Task<(int ExitCode, string Stdout, string Output)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no TradSys.sln above {AppContext.BaseDirectory}");
    }
}
