using System.Net;
using Npgsql;

namespace TradSys.Integration.Tests;

/// <summary>
/// Failed client authentications are counted in the shared database (issue 18): secrets guessed on one node of a cluster count
/// on every node, so spreading the guesses over the nodes behind the load balancer does not multiply them.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class SignInThrottleAcrossNodesTests : IAsyncLifetime
{
    private readonly ClusterNodes _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Failures_on_one_node_refuse_the_client_on_the_other_until_the_window_passes()
    {
        var a = _cluster.Node("node-a", leaseSeconds: 30);
        var b = _cluster.Node("node-b", leaseSeconds: 30);
        // Both nodes answer before the guessing starts (the second joins the database the first created).
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(a, "trader1", "trader1-demo-secret"));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(b, "trader1", "trader1-demo-secret"));

        // The default limit is five failures per client id: three on one node and two on the other reach it.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(a, "trader1", "guess-a" + i));
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(b, "trader1", "guess-b" + i));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await TokenAsync(a, "trader1", "trader1-demo-secret"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TokenAsync(b, "trader1", "trader1-demo-secret"));
        // Another client is not held back.
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(b, "trader2", "trader2-demo-secret"));
        await using var connection = new NpgsqlConnection(a.ConnectionString);
        await connection.OpenAsync();
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM sign_in_failures WHERE \"Key\" = 'token:u:TRADER1'", connection))
        {
            Assert.Equal(5L, (long)(await count.ExecuteScalarAsync())!);
        }

        // The nodes read the system clock here, so the failures are aged instead: 16 minutes old, past the 15-minute window,
        // they no longer count on either node.
        await using (var age = new NpgsqlCommand("UPDATE sign_in_failures SET \"At\" = \"At\" - interval '16 minutes'", connection))
        {
            await age.ExecuteNonQueryAsync();
        }
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(b, "trader1", "trader1-demo-secret"));
    }

    private static async Task<HttpStatusCode> TokenAsync(ProductionPlatformFactory node, string clientId, string secret)
    {
        using var response = await node.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        return response.StatusCode;
    }
}
