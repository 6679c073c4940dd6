using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Orders;

namespace TradSys.LoadTest.Verify;

/// <summary>An order as GET /api/v1/orders lists it (the fields verification compares).</summary>
public sealed record ApiOrder(long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side, string Type, decimal? Price,
    long Quantity, long FilledQuantity, long LeavesQuantity, decimal? AveragePrice, string Status, int? RejectCode);

/// <summary>A trade as GET /api/v1/trades lists it (a read-only role sees both sides).</summary>
public sealed record ApiTrade(long TradeId, string Symbol, decimal Price, long Quantity, long? BuyOrderId, long? SellOrderId,
    long? BuyAccountId, long? SellAccountId, string AggressorSide, DateTime ExecutedAt);

/// <summary>A page of a list endpoint.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>The instrument fields the generator needs.</summary>
public sealed record ApiInstrument(string Symbol, string Venue, long LotSize, decimal ReferencePrice, decimal LowerLimit, decimal UpperLimit,
    IReadOnlyList<TickBand> TickTable, string Status, string VenuePhase);

/// <summary>
/// The tool's ordinary HTTP client (HttpClient, System.Text.Json) for everything that is not load: tokens, reference data
/// before the run, and the paged reads of verification afterwards.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private const int PageSize = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    public ApiClient(Uri baseUrl)
    {
        Loopback.EndPointOf(baseUrl);
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = 8 })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>An access token by client credentials (POST /connect/token).</summary>
    public async Task<string> TokenAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await _http.PostAsync(new Uri("/connect/token", UriKind.Relative), form, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /connect/token for {clientId}: {(int)response.StatusCode} {body}");
        }
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("access_token").GetString()
               ?? throw new InvalidOperationException($"POST /connect/token for {clientId}: no access_token");
    }

    public Task<ApiInstrument> InstrumentAsync(string symbol, string token, CancellationToken cancellationToken) =>
        GetAsync<ApiInstrument>($"/api/v1/instruments/{Uri.EscapeDataString(symbol)}", token, cancellationToken);

    /// <summary>Every order of the account created at or after <paramref name="from"/>, all pages (four at a time).</summary>
    public Task<List<ApiOrder>> OrdersAsync(long accountId, DateTime from, string token, CancellationToken cancellationToken) =>
        AllPagesAsync<ApiOrder>(string.Create(CultureInfo.InvariantCulture,
            $"/api/v1/orders?accountId={accountId}&from={from:yyyy-MM-ddTHH:mm:ss.fffZ}&pageSize={PageSize}"), token, cancellationToken);

    /// <summary>Every trade of the symbol executed at or after <paramref name="from"/>, all pages.</summary>
    public Task<List<ApiTrade>> TradesAsync(string symbol, DateTime from, string token, CancellationToken cancellationToken) =>
        AllPagesAsync<ApiTrade>(string.Create(CultureInfo.InvariantCulture,
            $"/api/v1/trades?symbol={Uri.EscapeDataString(symbol)}&from={from:yyyy-MM-ddTHH:mm:ss.fffZ}&pageSize={PageSize}"), token, cancellationToken);

    private async Task<List<T>> AllPagesAsync<T>(string path, string token, CancellationToken cancellationToken)
    {
        var first = await GetAsync<ApiPage<T>>($"{path}&page=1", token, cancellationToken).ConfigureAwait(false);
        var pages = (first.Total + PageSize - 1) / PageSize;
        var results = new ApiPage<T>[Math.Max(pages, 1)];
        results[0] = first;
        // The list is newest first with offset paging: stable while nothing is written, which is the case after a run.
        await Parallel.ForEachAsync(Enumerable.Range(2, Math.Max(0, pages - 1)),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (page, ct) => results[page - 1] = await GetAsync<ApiPage<T>>(
                string.Create(CultureInfo.InvariantCulture, $"{path}&page={page}"), token, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var all = new List<T>(first.Total);
        foreach (var page in results)
        {
            all.AddRange(page.Items);
        }
        return all;
    }

    private async Task<T> GetAsync<T>(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
               ?? throw new InvalidOperationException($"GET {path}: empty body");
    }

    public void Dispose() => _http.Dispose();
}
