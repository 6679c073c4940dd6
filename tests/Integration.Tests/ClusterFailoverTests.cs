using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace TradSys.Integration.Tests;

/// <summary>
/// The multi-node layout on this machine (issue 18, part 5): runs <c>tests/cluster.sh failover</c> as an operator would, against
/// the platform's build output: PostgreSQL and RabbitMQ, two nodes of one cluster behind nginx (deploy/nginx/tradsys.conf), a
/// bounded load through nginx while the writer's leader is killed with kill -9, then the standby, then while RabbitMQ is
/// restarted; after each, every acknowledged order and trade is verified through the API and no order is filled beyond its
/// quantity. The result lines are asserted (no acknowledged order lost, the standby took the lease, the outbox caught up); the
/// times are printed into the test's output, not asserted.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed partial class ClusterFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_leader_the_standby_or_restarting_RabbitMQ_under_load_loses_no_acknowledged_order()
    {
        var (exitCode, result, errors) = await Checkout.RunScriptAsync(Path.Combine("tests", "cluster.sh"), ["failover"], new Dictionary<string, string>
        {
            ["CLUSTER_NO_BUILD"] = "1",
            ["CLUSTER_WEB_DIR"] = Checkout.WebBuildOutput,
            ["CLUSTER_PORTS"] = string.Join(' ', FreePort(), FreePort(), FreePort()),
        }, TimeSpan.FromMinutes(10));
        output.WriteLine(result);
        output.WriteLine(Checkout.Tail(errors));
        Assert.True(exitCode == 0, $"tests/cluster.sh failover exited {exitCode}:\n{result}\n{Checkout.Tail(errors)}");

        var leader = LeaderKilled().Match(result);
        Assert.True(leader.Success, result);
        Assert.NotEqual(leader.Groups["before"].Value, leader.Groups["after"].Value);
        Assert.Equal(leader.Groups["victim"].Value, leader.Groups["before"].Value);
        var standby = StandbyKilled().Match(result);
        Assert.True(standby.Success, result);
        Assert.Equal(standby.Groups["before"].Value, standby.Groups["after"].Value);
        foreach (var role in new[] { "leader", "standby" })
        {
            Assert.Matches(new Regex($"result: kill-9 of the {role}: acknowledged lines [1-9][0-9]*, verify exit 0 \\(every acknowledged order and trade found\\), over-filled orders 0",
                RegexOptions.None, TimeSpan.FromSeconds(1)), result);
        }
        Assert.Matches(BusRestart(), result);
        Assert.StartsWith("result: failover PASSED", result.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"result: kill-9 of the leader (?<victim>node-[0-9]+): first order taken through nginx after [0-9.]+ s; leader before (?<before>node-[0-9]+), after (?<after>node-[0-9]+)")]
    private static partial Regex LeaderKilled();

    [GeneratedRegex(@"result: kill-9 of the standby node-[0-9]+: first order taken through nginx after [0-9.]+ s; leader before (?<before>node-[0-9]+), after (?<after>node-[0-9]+)")]
    private static partial Regex StandbyKilled();

    [GeneratedRegex(@"result: RabbitMQ restart: orders acknowledged while it was down [0-9]+, verify exit 0, outbox lag 0 after [0-9]+ s")]
    private static partial Regex BusRestart();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
