using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TradSys.Web.Tests.Streaming;
using YamlDotNet.RepresentationModel;

namespace TradSys.Web.Tests.Observability;

/// <summary>
/// The dashboards (deploy/grafana/dashboards) and alert rules (deploy/prometheus) query only what exists: every metric a panel,
/// a template variable or a rule names is either one a node of the platform really exports (checked against a scrape of
/// /metrics after orders, so the Prometheus names with their suffixes are the real ones, and so are the labels the queries
/// match on) or one of the named external exporters' (<see cref="External"/>). The rules file passes <c>promtool check rules</c>
/// and its unit tests (<c>promtool test rules</c>), the example configuration <c>promtool check config</c>, with promtool from Debian's prometheus package (tests/infra/promtool.sh).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class DeployFilesTests
{
    /// <summary>Metrics the files query that the platform does not export, with who does.</summary>
    private static readonly Dictionary<string, string> External = new(StringComparer.Ordinal)
    {
        ["up"] = "Prometheus itself (one series per scrape target)",
        ["probe_ssl_earliest_cert_expiry"] = "the Prometheus blackbox exporter (prometheus-blackbox-exporter), http_2xx probe over TLS",
        ["node_filesystem_avail_bytes"] = "the Prometheus node exporter (prometheus-node-exporter)",
        ["node_filesystem_size_bytes"] = "the Prometheus node exporter (prometheus-node-exporter)",
    };

    /// <summary>Labels Prometheus adds to every scraped series (not in the node's own answer).</summary>
    private static readonly HashSet<string> TargetLabels = ["instance", "job"];

    private static readonly HashSet<string> Keywords =
    [
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan",
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
    ];

    private static string Root { get; } = FindRoot();

    private static string DashboardsDirectory => Path.Combine(Root, "deploy", "grafana", "dashboards");

    private static string RulesFile => Path.Combine(Root, "deploy", "prometheus", "tradsys-alerts.yml");

    [Fact]
    public async Task Every_metric_a_dashboard_or_rule_queries_is_exported_by_the_platform_or_a_named_exporter()
    {
        var queries = DashboardQueries().Concat(RuleQueries()).ToList();
        var recorded = RecordedNames();
        Assert.NotEmpty(recorded);

        // A platform that has seen what the panels show: a rejection by the engine, one by a rule pack (a rule hit), a trade,
        // a WebSocket connection, HTTP requests.
        using var platform = MetricsTests.Platform();
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        await using var stream = await StreamClient.ConnectAsync(platform, "trader1");
        Assert.Equal("Rejected", (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", null, 10, type: "Market")).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Equal("Rejected", (await trader2.SubmitAsync(2002, "COMI.INT", "Buy", 80m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "FAB.INT", "Sell", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Equal("Filled", (await trader2.SubmitAsync(2001, "FAB.INT", "Buy", 14.50m, 30)).Expect(HttpStatusCode.Created).Str("status"));
        var scrape = await MetricsTests.ScrapeFromLoopbackAsync(platform);

        var problems = new List<string>();
        var platformMetrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (where, expr) in queries)
        {
            var names = MetricNames(expr);
            if (names.Count == 0)
            {
                problems.Add($"{where}: no metric found in '{expr}'");
            }
            foreach (var name in names)
            {
                if (External.ContainsKey(name))
                {
                    continue;
                }
                if (name.Contains(':', StringComparison.Ordinal))
                {
                    if (!recorded.Contains(name))
                    {
                        problems.Add($"{where}: {name} is no recording rule of {Path.GetFileName(RulesFile)}");
                    }
                    continue;
                }
                platformMetrics.Add(name);
                if (!scrape.Has(name))
                {
                    problems.Add($"{where}: {name} is not in the platform's /metrics (nor a named external exporter's)");
                }
            }
            foreach (var (name, label, op, value) in Matchers(expr))
            {
                if (External.ContainsKey(name) || name.Contains(':', StringComparison.Ordinal) || TargetLabels.Contains(label) || !scrape.Has(name))
                {
                    continue;
                }
                if (!scrape.HasLabel(name, label))
                {
                    problems.Add($"{where}: {name} has no label {label} in /metrics");
                }
                else if (op == "=" && !scrape.HasSample(name, $"{label}=\"{value}\""))
                {
                    problems.Add($"{where}: {name} has no series with {label}=\"{value}\" in /metrics");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        // The files do look at what the issue asks for: orders, trades, rejections, stages, writer, outbox, rule hits, nodes.
        foreach (var expected in new[]
        {
            "tradsys_orders_received_total", "tradsys_trades_total", "tradsys_orders_rejected_total", "tradsys_rules_hits_total",
            "tradsys_order_path_stage_duration_seconds_bucket", "tradsys_order_path_duration_seconds_bucket",
            "tradsys_writer_batch_size_count", "tradsys_writer_commit_duration_seconds_bucket", "tradsys_writer_queue_depth",
            "tradsys_outbox_lag", "tradsys_websocket_connections", "tradsys_fix_sessions", "http_server_request_duration_seconds_count", "dotnet_gc_collections_total",
        })
        {
            Assert.Contains(expected, platformMetrics);
        }
    }

    [Fact]
    public void Every_dashboard_has_panels_with_queries_and_a_node_selector()
    {
        var files = Directory.GetFiles(DashboardsDirectory, "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[] { "tradsys-latency.json", "tradsys-nodes.json", "tradsys-order-flow.json", "tradsys-rejections.json", "tradsys-writer-outbox.json" },
            files.Select(Path.GetFileName));
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            Assert.True(uids.Add(dashboard["uid"]!.GetValue<string>()), $"{file}: uid used twice");
            var panels = dashboard["panels"]!.AsArray();
            Assert.NotEmpty(panels);
            foreach (var panel in panels)
            {
                var targets = panel!["targets"]!.AsArray();
                Assert.True(targets.Count > 0, $"{file}: panel '{panel["title"]}' queries nothing");
                // Per node: every query follows the dashboard's node selector (the instance label Prometheus adds).
                Assert.All(targets, t => Assert.Contains("instance=~\"$instance\"", t!["expr"]!.GetValue<string>(), StringComparison.Ordinal));
            }
            var variables = dashboard["templating"]!["list"]!.AsArray();
            Assert.Contains(variables, v => v!["name"]!.GetValue<string>() == "instance");
        }
    }

    [Fact]
    public async Task The_alert_rules_and_the_example_configuration_pass_promtool_and_the_rules_unit_tests()
    {
        var install = await RunAsync("bash", ["tests/infra/promtool.sh"]);
        Assert.True(install.ExitCode == 0, $"tests/infra/promtool.sh exited {install.ExitCode}:\n{install.Output}");
        var promtool = install.Stdout.Trim().Split('\n')[^1].Trim();

        var check = await RunAsync(promtool, ["check", "rules", RulesFile]);
        Assert.True(check.ExitCode == 0, $"promtool check rules:\n{check.Output}");
        Assert.Contains("SUCCESS", check.Output, StringComparison.Ordinal);

        // The example configuration beside it, with the rules file it loads.
        var config = await RunAsync(promtool, ["check", "config", Path.Combine(Root, "deploy", "prometheus", "prometheus.yml")]);
        Assert.True(config.ExitCode == 0, $"promtool check config:\n{config.Output}");
        Assert.Contains("is valid prometheus config file syntax", config.Output, StringComparison.Ordinal);

        var test = await RunAsync(promtool, ["test", "rules", Path.Combine(Root, "deploy", "prometheus", "tradsys-alerts.test.yml")]);
        Assert.True(test.ExitCode == 0, $"promtool test rules:\n{test.Output}");
        Assert.Contains("SUCCESS", test.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_names_are_read_from_PromQL_without_functions_keywords_labels_or_variables()
    {
        Assert.Equal(new[] { "a_total", "b_seconds_bucket" },
            MetricNames("histogram_quantile(0.99, sum by (le, stage) (rate(b_seconds_bucket{instance=~\"$instance\", le=\"0.005\"}[$__rate_interval]))) / on (instance) group_left sum without (x) (a_total offset 5m) > 14.4 * 1e3")
                .Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "tradsys_writer_queue_depth" }, MetricNames("label_values(tradsys_writer_queue_depth, instance)"));
        Assert.Equal(new[] { "up" }, MetricNames("up{job=\"tradsys\"} == 0 and time() > 0"));
        Assert.Equal(new[] { ("m", "le", "=", "0.005"), ("m", "code", "=~", "5..") }, Matchers("rate(m{le=\"0.005\", code=~\"5..\"}[5m])"));
    }

    /// <summary>Every query of every dashboard: panels' targets (rows' panels too) and the template variables'.</summary>
    private static IEnumerable<(string Where, string Expr)> DashboardQueries()
    {
        foreach (var file in Directory.GetFiles(DashboardsDirectory, "*.json"))
        {
            var name = Path.GetFileName(file);
            foreach (var (where, expr) in Exprs(JsonNode.Parse(File.ReadAllText(file))!, name))
            {
                yield return (where, expr);
            }
        }
    }

    private static IEnumerable<(string Where, string Expr)> Exprs(JsonNode node, string where)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                if (value is null)
                {
                    continue;
                }
                if (key == "expr" && value is JsonValue)
                {
                    yield return ($"{where} ('{o["refId"]}')", value.GetValue<string>());
                }
                else if (key == "query" && o["type"]?.GetValue<string>() == "query")
                {
                    // A template variable: its query is a string or { "query": "..." }.
                    var query = value is JsonObject q ? q["query"]!.GetValue<string>() : value.GetValue<string>();
                    yield return ($"{where} variable {o["name"]}", query);
                }
                else
                {
                    var title = o["title"] is JsonValue t && t.GetValueKind() == System.Text.Json.JsonValueKind.String ? $"{where} / {t}" : where;
                    foreach (var inner in Exprs(value, title))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                if (item is not null)
                {
                    foreach (var inner in Exprs(item, where))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static YamlMappingNode[] Rules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RulesFile))
        {
            yaml.Load(reader);
        }
        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        return [.. groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())];
    }

    private static IEnumerable<(string Where, string Expr)> RuleQueries()
    {
        foreach (var rule in Rules())
        {
            var name = rule.Children.TryGetValue("alert", out var alert) ? alert.ToString() : rule["record"].ToString();
            yield return ($"{Path.GetFileName(RulesFile)} {name}", rule["expr"].ToString());
        }
    }

    private static HashSet<string> RecordedNames() =>
        [.. Rules().Where(r => r.Children.ContainsKey("record")).Select(r => r["record"].ToString())];

    /// <summary>
    /// The metric names a PromQL expression (or Grafana's <c>label_values(metric, label)</c>) reads: identifiers once string
    /// literals, label matchers, ranges, grouping clauses and Grafana variables are taken out, less functions (an identifier
    /// followed by a parenthesis) and the language's keywords.
    /// </summary>
    internal static List<string> MetricNames(string expr)
    {
        var labelValues = LabelValues().Match(expr);
        if (labelValues.Success)
        {
            expr = labelValues.Groups["metric"].Value;
        }
        var text = Strings().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Variables().Replace(text, " ");
        var names = new List<string>();
        foreach (Match m in Identifiers().Matches(text))
        {
            var rest = text.AsSpan(m.Index + m.Length).TrimStart();
            if ((rest.Length > 0 && rest[0] == '(') || Keywords.Contains(m.Value) || names.Contains(m.Value))
            {
                continue;
            }
            names.Add(m.Value);
        }
        return names;
    }

    /// <summary>The label matchers of each selector: metric, label, operator and value.</summary>
    internal static List<(string Metric, string Label, string Op, string Value)> Matchers(string expr)
    {
        var found = new List<(string, string, string, string)>();
        foreach (Match selector in Selectors().Matches(expr))
        {
            foreach (Match m in MatcherPattern().Matches(selector.Groups["matchers"].Value))
            {
                found.Add((selector.Groups["metric"].Value, m.Groups["label"].Value, m.Groups["op"].Value, m.Groups["value"].Value));
            }
        }
        return found;
    }

    [GeneratedRegex(@"^\s*label_values\(\s*(?<metric>[^,)]+)")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"(?<![\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selectors();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?<op>=~|!~|!=|=)\s*""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex MatcherPattern();

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
