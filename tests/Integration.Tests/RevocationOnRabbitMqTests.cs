using System.Diagnostics;
using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// Two nodes of the production stack (one PostgreSQL database, RabbitMQ, the same signing keys): a revocation decided on one
/// reaches the other over the bus within a second. The table poll is set to a minute here, so only the bus can deliver in
/// time: each node consumes revocations on a temporary queue of its own, not a shared competing-consumer queue.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class RevocationOnRabbitMqTests : IAsyncLifetime
{
    private readonly SharedKeys _keys = new();
    private ProductionPlatformFactory _a = null!;
    private ProductionPlatformFactory _b = null!;

    public Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(_keys.Settings)
        {
            ["Auth:Revocation:PollMilliseconds"] = "60000",
            ["Auth:Revocation:MaxStalenessSeconds"] = "600",
        };
        _a = new ProductionPlatformFactory { Settings = settings };
        _b = new ProductionPlatformFactory(_a.DatabaseName) { DropDatabaseOnDispose = false, Settings = settings };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _keys.Dispose();
    }

    [Fact]
    public async Task A_password_reset_on_one_node_stops_the_users_token_on_the_other_within_a_second_over_the_bus()
    {
        var admin = await _a.ClientForAsync("admin");
        var onA = await _a.ClientForAsync("trader2");
        var onB = new ApiClient(_b.CreateClient());
        onB.Http.DefaultRequestHeaders.Authorization = onA.Http.DefaultRequestHeaders.Authorization;
        Assert.Equal("trader2", (await onB.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK).Str("userName"));

        var sinceChange = Stopwatch.StartNew();
        (await admin.SendAsync(HttpMethod.Put, "/api/v1/users/3/password", """{"password":"a-fresh-long-password"}""")).Expect(HttpStatusCode.NoContent);
        Reply reply;
        while ((reply = await onB.GetAsync("/api/v1/me")).Status == HttpStatusCode.OK && sinceChange.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }
        var refusedAfter = sinceChange.Elapsed;
        reply.Expect(HttpStatusCode.Unauthorized);
        Assert.True(refusedAfter <= TimeSpan.FromSeconds(1), $"node B still accepted the token {refusedAfter.TotalMilliseconds:F0} ms after the change");

        // A token issued after the reset, on either node, works on both.
        var renewed = await _b.ClientForAsync("trader2");
        var renewedOnA = new ApiClient(_a.CreateClient());
        renewedOnA.Http.DefaultRequestHeaders.Authorization = renewed.Http.DefaultRequestHeaders.Authorization;
        (await renewedOnA.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
    }
}
