using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradSys.Web.Tests.Support;

/// <summary>A thin JSON client over the platform's HTTP API.</summary>
/// <param name="http">The client of the platform's in-memory test server.</param>
/// <param name="serverErrors">The errors the platform has logged, attached to a 5xx reply so a failure says why.</param>
public sealed class ApiClient(HttpClient http, ServerErrorLog? serverErrors = null)
{
    public HttpClient Http { get; } = http;

    public async Task AuthenticateAsync(string clientId, string secret)
    {
        var response = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token for {clientId}: {(int)response.StatusCode} {body}");
        var token = JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task<Reply> PostJsonAsync(string path, object body) => SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body));

    public Task<Reply> PostRawAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<Reply> PatchJsonAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, JsonSerializer.Serialize(body));

    /// <summary>A PATCH with an <c>Idempotency-Key</c> header (sent as given, unchecked, so a test can send a bad one).</summary>
    public Task<Reply> PatchJsonAsync(string path, object body, string idempotencyKey) =>
        SendAsync(HttpMethod.Patch, path, JsonSerializer.Serialize(body), new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.Location, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds)
        {
            ServerLog = (int)response.StatusCode >= 500 ? serverErrors?.Recent() : null,
            Headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>Submits an order with a fresh client order id unless one is given.</summary>
    /// <remarks>extra: more request fields (e.g. shortMarking), added to the body.</remarks>
    public Task<Reply> SubmitAsync(long accountId, string symbol, string side, decimal? price, decimal quantity,
        string? clientOrderId = null, string? type = null, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["accountId"] = accountId,
            ["clientOrderId"] = clientOrderId ?? Guid.NewGuid().ToString("N"),
            ["symbol"] = symbol,
            ["side"] = side,
            ["type"] = type,
            ["price"] = price,
            ["quantity"] = quantity,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            body[key] = value;
        }
        return PostJsonAsync("/api/v1/orders", body);
    }
}

/// <summary>An HTTP reply with its JSON body.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body as text.</param>
/// <param name="Location">The Location header, when the reply has one.</param>
/// <param name="RetryAfter">The Retry-After header's seconds, when the reply has one.</param>
public sealed record Reply(HttpStatusCode Status, string Body, Uri? Location, int? RetryAfter = null)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    /// <summary>For a 5xx reply, the errors the platform logged up to then (exceptions with their stacks); otherwise null.</summary>
    public string? ServerLog { get; init; }

    /// <summary>The reply's headers (not the content's), each name's values joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The status, the body and, for a 5xx reply, the platform's logged errors: what a failed assertion should print.</summary>
    public string Describe() => $"{(int)Status} {Status}: {Body}{(ServerLog is null ? "" : $"\nserver log:\n{ServerLog}")}";

    public Reply Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status} {status}, got {Describe()}");
        return this;
    }

    /// <summary>The field-level messages of a validation problem.</summary>
    public string[] Errors(string field) =>
        Json["errors"]?[field]?.AsArray().Select(e => e!.GetValue<string>()).ToArray() ?? [];

    public long OrderId => Json["orderId"]!.GetValue<long>();

    public string Str(string name) => Json[name]!.GetValue<string>();

    public long Long(string name) => Json[name]!.GetValue<long>();
}
