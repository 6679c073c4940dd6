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

    /// <summary>Every order of the account created in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<List<ApiOrder>> OrdersAsync(long accountId, DateTime from, DateTime to, string token, CancellationToken cancellationToken) =>
        WindowsAsync<ApiOrder>(string.Create(CultureInfo.InvariantCulture, $"/api/v1/orders?accountId={accountId}&pageSize={PageSize}"),
            from, to, token, cancellationToken);

    /// <summary>Every trade of the symbol executed in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<List<ApiTrade>> TradesAsync(string symbol, DateTime from, DateTime to, string token, CancellationToken cancellationToken) =>
        WindowsAsync<ApiTrade>(string.Create(CultureInfo.InvariantCulture, $"/api/v1/trades?symbol={Uri.EscapeDataString(symbol)}&pageSize={PageSize}"),
            from, to, token, cancellationToken);

    /// <summary>
    /// Reads a list endpoint whole by time windows (its from/to filter, on an indexed time column) rather than by pages:
    /// the API pages by offset, so page k costs k pages' worth of rows and reading 200,000 orders took 385 s (0.2 s for
    /// page 1, 0.85 s for page 500), while the first page of a narrow window costs about 0.03 s. A window with more than one
    /// page of items is cut into slices of about 150 items by time (its count says how many), until each fits on a page;
    /// a window that cannot be cut (all its items at one instant) is read by offset pages. Four requests at a time. The
    /// items collected must add up to the count of the whole range, else the read is refused (something was written
    /// meanwhile).
    /// </summary>
    private async Task<List<T>> WindowsAsync<T>(string path, DateTime from, DateTime to, string token, CancellationToken cancellationToken)
    {
        var leaves = new System.Collections.Concurrent.ConcurrentBag<IReadOnlyList<T>>();
        var pending = System.Threading.Channels.Channel.CreateUnbounded<(DateTime From, DateTime To)>();
        var outstanding = 1;
        long expected = -1;
        pending.Writer.TryWrite((from, to));
        async Task Read((DateTime From, DateTime To) window, CancellationToken ct)
        {
            var range = string.Create(CultureInfo.InvariantCulture, $"{path}&from={window.From:O}&to={window.To:O}");
            var first = await GetAsync<ApiPage<T>>(range + "&page=1", token, ct).ConfigureAwait(false);
            if (window.From == from && window.To == to)
            {
                expected = first.Total;
            }
            if (first.Total <= first.Items.Count)
            {
                leaves.Add(first.Items);
                return;
            }
            var width = window.To.Ticks - window.From.Ticks;
            if (width >= 2)
            {
                var slices = (int)Math.Clamp((first.Total + 149) / 150, 2, Math.Min(256, width));
                for (var i = 0; i < slices; i++)
                {
                    var a = new DateTime(window.From.Ticks + width * i / slices, DateTimeKind.Utc);
                    var b = i == slices - 1 ? window.To : new DateTime(window.From.Ticks + width * (i + 1) / slices, DateTimeKind.Utc);
                    Interlocked.Increment(ref outstanding);
                    pending.Writer.TryWrite((a, b));
                }
                return;
            }
            leaves.Add(first.Items);
            for (var page = 2; (page - 1) * PageSize < first.Total; page++)
            {
                leaves.Add((await GetAsync<ApiPage<T>>(string.Create(CultureInfo.InvariantCulture, $"{range}&page={page}"), token, ct)
                    .ConfigureAwait(false)).Items);
            }
        }
        await Parallel.ForEachAsync(pending.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (window, ct) =>
            {
                try
                {
                    await Read(window, ct).ConfigureAwait(false);
                }
                finally
                {
                    if (Interlocked.Decrement(ref outstanding) == 0)
                    {
                        pending.Writer.TryComplete();
                    }
                }
            }).ConfigureAwait(false);
        var all = new List<T>(expected > 0 ? (int)expected : 0);
        foreach (var leaf in leaves)
        {
            all.AddRange(leaf);
        }
        if (all.Count != expected)
        {
            throw new InvalidOperationException($"{path}: read {all.Count} items by time windows, but the whole range counts {expected} (written to meanwhile?)");
        }
        return all;
    }

    /// <summary>The admin health report (GET /api/v1/admin/health), as JSON.</summary>
    public async Task<JsonDocument> HealthAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/admin/health", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /api/v1/admin/health: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
        return JsonDocument.Parse(body);
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
