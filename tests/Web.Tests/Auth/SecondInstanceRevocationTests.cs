using System.Diagnostics;
using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// Two platform instances sharing one database file and the same signing keys, as nodes behind a load balancer: a token
/// issued on one works on the other, and a revocation decided on one stops the token on the other within a second. Each
/// instance here has its own in-memory bus, so the second learns of the revocation from the table it polls: the path that
/// catches a revocation whose bus message was lost.
/// </summary>
public sealed class SecondInstanceRevocationTests : IDisposable
{
    private readonly SharedKeys _keys = new();
    private readonly PlatformFactory _a;
    private readonly PlatformFactory _b;

    public SecondInstanceRevocationTests()
    {
        _a = new PlatformFactory { Settings = _keys.Settings };
        _b = new PlatformFactory { DatabasePath = _a.DatabasePath, Settings = _keys.Settings };
    }

    public void Dispose()
    {
        _b.Dispose();
        _a.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task A_user_deactivated_on_one_instance_is_refused_by_the_other_within_a_second()
    {
        var admin = await _a.ClientForAsync("admin");
        var created = (await admin.PostJsonAsync("/api/v1/users", new
        {
            userName = "night.trader", displayName = "Night Trader", roles = new[] { "trader" }, password = "a-long-enough-password",
        })).Expect(HttpStatusCode.Created);
        var id = created.Long("id");
        var client = (await admin.PostJsonAsync($"/api/v1/users/{id}/clients", new { })).Expect(HttpStatusCode.Created);

        // Issued on A, used on B: same keys, no per-request database read on B.
        var onA = new ApiClient(_a.CreateClient());
        await onA.AuthenticateAsync(client.Str("clientId"), client.Str("clientSecret"));
        var onB = new ApiClient(_b.CreateClient());
        onB.Http.DefaultRequestHeaders.Authorization = onA.Http.DefaultRequestHeaders.Authorization;
        Assert.Equal("night.trader", (await onB.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK).Str("userName"));

        // An admin on A deactivates the user; B must refuse the token within one second of the change.
        var sinceChange = Stopwatch.StartNew();
        (await admin.PatchJsonAsync($"/api/v1/users/{id}", new { isActive = false })).Expect(HttpStatusCode.OK);
        (await onA.GetAsync("/api/v1/me")).Expect(HttpStatusCode.Unauthorized);
        Reply reply;
        while ((reply = await onB.GetAsync("/api/v1/me")).Status == HttpStatusCode.OK && sinceChange.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(10);
        }
        var refusedAfter = sinceChange.Elapsed;
        reply.Expect(HttpStatusCode.Unauthorized);
        Assert.True(refusedAfter <= TimeSpan.FromSeconds(1), $"instance B still accepted the token {refusedAfter.TotalMilliseconds:F0} ms after the change");
        Assert.Contains("revoked", reply.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_change_on_one_instance_stops_the_old_token_on_the_other_and_a_new_token_carries_the_new_role()
    {
        var admin = await _a.ClientForAsync("admin");
        var onB = await _b.ClientForAsync("compliance1");
        (await onB.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK);

        var sinceChange = Stopwatch.StartNew();
        (await admin.PatchJsonAsync("/api/v1/users/4", new { roles = new[] { "viewer" } })).Expect(HttpStatusCode.OK);
        Reply reply;
        while ((reply = await onB.GetAsync("/api/v1/audit/verify")).Status == HttpStatusCode.OK && sinceChange.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(10);
        }
        var refusedAfter = sinceChange.Elapsed;
        reply.Expect(HttpStatusCode.Unauthorized);
        Assert.True(refusedAfter <= TimeSpan.FromSeconds(1), $"instance B still accepted the token {refusedAfter.TotalMilliseconds:F0} ms after the change");

        var renewed = await _b.ClientForAsync("compliance1");
        (await renewed.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.Forbidden);
        (await renewed.GetAsync("/api/v1/orders")).Expect(HttpStatusCode.OK);
    }
}
