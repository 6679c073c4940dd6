using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// Where an access token is accepted: in the Authorization header only (RFC 6750 section 2.1). A token in the query string or
/// a form body (sections 2.2 and 2.3) ends up in logs and Referer headers: it is refused with a clear error, and nothing
/// changes. And what a token must be: signed by this platform, unchanged.
/// </summary>
public sealed class BearerTokenTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private static StringContent OrderJson(string clientOrderId) => new(
        $$"""{"accountId":1001,"clientOrderId":"{{clientOrderId}}","symbol":"COMI.INT","side":"Buy","price":80.00,"quantity":10}""",
        Encoding.UTF8, "application/json");

    private static string TokenOf(ApiClient client) => client.Http.DefaultRequestHeaders.Authorization!.Parameter!;

    [Fact]
    public async Task A_token_in_the_query_string_places_no_order_and_cancels_nothing()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var token = TokenOf(trader1);
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        var before = await platform.CountRowsAsync();
        var anonymous = platform.CreateClient();

        using var post = await anonymous.PostAsync($"/api/v1/orders?access_token={token}", OrderJson("query-token-1"));
        using var cancel = await anonymous.DeleteAsync($"/api/v1/orders/{resting.OrderId}?access_token={token}");
        using var read = await anonymous.GetAsync($"/api/v1/orders/{resting.OrderId}?access_token={token}");

        foreach (var response in new[] { post, cancel, read })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("error=\"invalid_request\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Contains("Authorization header only", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await platform.CountRowsAsync());
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_refused_even_beside_a_header()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var token = TokenOf(trader1);
        var before = await platform.CountRowsAsync();
        using var post = await trader1.Http.PostAsync($"/api/v1/orders?access_token={token}", OrderJson("query-token-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(before, await platform.CountRowsAsync());
    }

    [Fact]
    public async Task A_token_in_a_form_body_places_no_order_and_cancels_nothing()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var token = TokenOf(trader1);
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        var before = await platform.CountRowsAsync();
        var anonymous = platform.CreateClient();
        FormUrlEncodedContent Form() => new(new Dictionary<string, string>
        {
            ["access_token"] = token, ["accountId"] = "1001", ["clientOrderId"] = "form-token-1", ["symbol"] = "COMI.INT",
            ["side"] = "Buy", ["price"] = "80", ["quantity"] = "10",
        });

        using var post = await anonymous.PostAsync("/api/v1/orders", Form());
        using var cancel = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/orders/{resting.OrderId}") { Content = Form() });

        foreach (var response in new[] { post, cancel })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("error=\"invalid_request\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("never in a form body", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Beside a valid header too: a client that puts its token in a body is told so rather than half-served.
        using var both = await trader1.Http.PostAsync("/api/v1/orders", Form());
        Assert.Equal(HttpStatusCode.Unauthorized, both.StatusCode);
        Assert.Equal(before, await platform.CountRowsAsync());
        Assert.Equal("Accepted", (await trader1.GetAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task Access_tokens_are_signed_not_encrypted_and_a_changed_one_is_refused()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var token = TokenOf(trader1);
        // A JWS (header.payload.signature), not a JWE (five parts): nothing secret is in it.
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(parts[1])))!;
        Assert.Equal("trader1", payload["name"]!.GetValue<string>());

        // The same token with the role changed to admin: the signature no longer matches.
        payload["role"] = "admin";
        var forged = $"{parts[0]}.{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        var client = platform.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        using var response = await client.GetAsync("/api/v1/users");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // The genuine one still works, from the cache as at first.
        (await trader1.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
        (await trader1.GetAsync("/api/v1/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_request_without_a_token_is_told_how_to_send_one()
    {
        using var response = await platform.CreateClient().GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
