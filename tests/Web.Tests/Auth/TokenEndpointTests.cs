using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// /connect/token against secret guessing: failed client authentications are counted per client id and per address and then
/// refused (429, Retry-After) even with the right secret, each failure is audited without the secret, and an unknown client
/// and a wrong secret get the same answer. Right secrets never count.
/// </summary>
public sealed class TokenEndpointTests : IDisposable
{
    private readonly PlatformFactory _platform = new()
    {
        Settings = new()
        {
            ["Auth:TokenEndpoint:MaxFailuresPerClient"] = "3",
            ["Auth:TokenEndpoint:MaxFailuresPerAddress"] = "6",
            ["Auth:TokenEndpoint:WindowMinutes"] = "15",
        },
        TestServices = ClientAddress.AddTo,
    };

    public void Dispose() => _platform.Dispose();

    private async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> TokenAsync(string clientId, string secret,
        string address = "127.0.0.10")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
            }),
        };
        request.Headers.Add(ClientAddress.Header, address);
        var response = await _platform.CreateClient().SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response);
    }

    [Fact]
    public async Task An_unknown_client_and_a_wrong_secret_get_the_same_answer()
    {
        var unknown = await TokenAsync("no-such-client", "guess-1");
        var wrong = await TokenAsync("trader1", "guess-1");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(unknown.Status, wrong.Status);
        Assert.Equal("invalid_client", unknown.Body["error"]!.GetValue<string>());
        Assert.Equal(unknown.Body.ToJsonString(), wrong.Body.ToJsonString());
        Assert.Equal(unknown.Response.Headers.WwwAuthenticate.ToString(), wrong.Response.Headers.WwwAuthenticate.ToString());
        Assert.Null(unknown.Body["error_uri"]);
    }

    [Fact]
    public async Task After_three_failures_for_a_client_even_the_right_secret_is_refused_and_each_failure_is_audited()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync("trader1", $"guess-{i}-secret-value")).Status);
        }
        var refused = await TokenAsync("trader1", "trader1-demo-secret");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("temporarily_unavailable", refused.Body["error"]!.GetValue<string>());
        Assert.Contains("Too many failed client authentications", refused.Body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(refused.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // Another client from another address is not held back.
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync("trader2", "trader2-demo-secret", "127.0.0.11")).Status);

        // The audit trail (through the API, as an auditor reads it) names the client and the address, never the secret.
        var admin = await _platform.ClientForAsync("admin");
        var failed = (await admin.GetAsync("/api/v1/audit?action=token.failed&pageSize=50")).Expect(HttpStatusCode.OK);
        var records = failed.Json["items"]!.AsArray();
        Assert.Equal(3, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal("trader1", r!["actor"]!.GetValue<string>());
            Assert.Equal("address/127.0.0.10", r["subject"]!.GetValue<string>());
        });
        Assert.DoesNotContain("secret-value", failed.Body, StringComparison.Ordinal);
        var throttled = (await admin.GetAsync("/api/v1/audit?action=token.throttled")).Expect(HttpStatusCode.OK);
        Assert.Single(throttled.Json["items"]!.AsArray());
        Assert.DoesNotContain("demo-secret", throttled.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_client_ids_tried_from_one_address_are_refused_from_that_address_only()
    {
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync($"guessed-client-{i}", "guess", "127.0.0.20")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenAsync("trader2", "trader2-demo-secret", "127.0.0.20")).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync("trader2", "trader2-demo-secret", "127.0.0.21")).Status);
        await _platform.WithDbAsync(async db =>
            Assert.Equal(6, await db.AuditLog.CountAsync(a => a.Action == "token.failed" && a.Subject == "address/127.0.0.20")));
    }

    [Fact]
    public async Task A_refusal_lasts_until_the_oldest_counted_failure_leaves_the_window()
    {
        var start = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock { Fixed = start };
        var scopes = _platform.Services.GetRequiredService<IServiceScopeFactory>();
        var throttle = new TradSys.Web.Auth.TokenEndpointThrottle(scopes, clock, Microsoft.Extensions.Options.Options.Create(
            new TradSys.Web.Auth.TokenEndpointThrottleOptions { MaxFailuresPerClient = 2, MaxFailuresPerAddress = 10, WindowMinutes = 15 }));
        var none = CancellationToken.None;
        await throttle.RecordFailureAsync("window-client", "127.0.0.30", none);
        clock.Fixed = start.AddMinutes(5);
        await throttle.RecordFailureAsync("window-client", "127.0.0.30", none);
        Assert.Equal(start.AddMinutes(15), await throttle.RefusedUntilAsync("window-client", "127.0.0.31", none));
        clock.Fixed = start.AddMinutes(15).AddSeconds(-1);
        Assert.NotNull(await throttle.RefusedUntilAsync("window-client", "127.0.0.31", none));
        clock.Fixed = start.AddMinutes(15);
        Assert.Null(await throttle.RefusedUntilAsync("window-client", "127.0.0.31", none));
        Assert.Null(await throttle.RefusedUntilAsync("trader2", "127.0.0.30", none));

        // A failure recorded after the window moved on deletes the scope's rows that left it; the newer one stays.
        clock.Fixed = start.AddMinutes(19);
        await throttle.RecordFailureAsync("window-client", "127.0.0.32", none);
        await _platform.WithDbAsync(async db =>
            Assert.Equal([start.AddMinutes(5).UtcDateTime, start.AddMinutes(19).UtcDateTime],
                await db.SignInFailures.Where(f => f.Key == "token:u:WINDOW-CLIENT").OrderBy(f => f.At).Select(f => f.At).ToListAsync()));
    }

    [Fact]
    public async Task Right_secrets_are_never_throttled()
    {
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync("trader1", "trader1-demo-secret")).Status);
        }
        // Two failures between successes never reach the limit of three: a success clears the client's count.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync("trader1", "wrong", "127.0.0.12")).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync("trader1", "wrong", "127.0.0.13")).Status);
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync("trader1", "trader1-demo-secret", "127.0.0.14")).Status);
        }
    }
}
