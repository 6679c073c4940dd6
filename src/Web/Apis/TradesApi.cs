using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;

namespace TradSys.Web.Apis;

/// <summary>Trades under /api/v1/trades: a trader sees the trades of their own accounts.</summary>
public static class TradesApi
{
    public static IEndpointRouteBuilder MapTradesApiV1(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/trades", ListAsync).WithTags("Trades").RequireAuthorization(Policies.Read)
            .Produces<PageOf<TradeResponse>>().WithSummary("List trades").WithDescription(
                "Filters: symbol, accountId, orderId, from, to (ISO 8601, on execution time); page, pageSize (1-200). Newest first.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var symbol = q.String("symbol", 16);
        var accountId = q.Long("accountId");
        var orderId = q.Long("orderId");
        var from = q.Time("from");
        var to = q.Time("to");
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 200);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var readable = await Caller.From(user).ReadableAccountsAsync(db, ct);
        if (accountId is not null && readable is not null && !readable.Contains(accountId.Value))
        {
            return Problems.NotYourAccount(accountId.Value);
        }
        var trades = db.Trades.AsNoTracking();
        HashSet<long>? visible = null;
        if (readable is not null)
        {
            visible = [.. readable];
            trades = trades.Where(t => readable.Contains(t.BuyAccountId) || readable.Contains(t.SellAccountId));
        }
        if (symbol is not null)
        {
            trades = trades.Where(t => t.Symbol == symbol.ToUpperInvariant());
        }
        if (accountId is not null)
        {
            trades = trades.Where(t => t.BuyAccountId == accountId || t.SellAccountId == accountId);
        }
        if (orderId is not null)
        {
            trades = trades.Where(t => t.BuyOrderId == orderId || t.SellOrderId == orderId);
        }
        if (from is not null)
        {
            trades = trades.Where(t => t.ExecutedAt >= from);
        }
        if (to is not null)
        {
            trades = trades.Where(t => t.ExecutedAt < to);
        }
        var total = await trades.CountAsync(ct);
        var items = await trades.OrderByDescending(t => t.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new PageOf<TradeResponse>([.. items.Select(t => TradeResponse.From(t, visible))], page, pageSize, total));
    }
}
