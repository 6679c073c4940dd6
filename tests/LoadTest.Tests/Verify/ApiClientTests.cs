using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Tests.Verify;

/// <summary>Verification's reads by time window, against a list endpoint that pages and filters as the platform's does.</summary>
public sealed class ApiClientTests : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 12, 4, 18, 0, 0, DateTimeKind.Utc);
    private readonly List<ApiOrder> _orders = [];
    private readonly List<DateTime> _createdAt = [];
    private WebApplication _app = null!;
    private Uri _url = null!;

    public int Requests { get; private set; }

    public async Task InitializeAsync()
    {
        // 1,000 orders over 10 s, and 450 more all created at one instant (a group commit can stamp a batch alike).
        for (var i = 0; i < 1450; i++)
        {
            _orders.Add(new ApiOrder(i + 1, $"r-{i}", 1001, "COMI.INT", "Buy", "Limit", 80m, 10, 0, 10, null, "Accepted", null));
            _createdAt.Add(i < 1000 ? T0.AddMilliseconds(i * 10.0) : T0.AddSeconds(4.2));
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/api/v1/orders", (DateTimeOffset from, DateTimeOffset to, int page, int pageSize) =>
        {
            Requests++;
            var matching = Enumerable.Range(0, _orders.Count)
                .Where(i => _createdAt[i] >= from.UtcDateTime && _createdAt[i] < to.UtcDateTime)
                .OrderByDescending(i => _orders[i].OrderId).ToList();
            return TypedResults.Ok(new ApiPage<ApiOrder>([.. matching.Skip((page - 1) * pageSize).Take(pageSize).Select(i => _orders[i])],
                page, pageSize, matching.Count));
        });
        await _app.StartAsync();
        _url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_order_is_read_once_by_time_windows_even_many_at_one_instant()
    {
        using var api = new ApiClient(_url);
        var read = await api.OrdersAsync(1001, T0.AddMinutes(-1), T0.AddMinutes(1), "token", default);
        Assert.Equal(1450, read.Count);
        Assert.Equal(Enumerable.Range(1, 1450).Select(i => (long)i), read.Select(o => o.OrderId).Order());
    }

    [Fact]
    public async Task A_range_that_fits_on_a_page_takes_one_request()
    {
        using var api = new ApiClient(_url);
        var read = await api.OrdersAsync(1001, T0.AddSeconds(1), T0.AddSeconds(2), "token", default);
        Assert.Equal(100, read.Count);
        Assert.Equal(1, Requests);
    }
}
