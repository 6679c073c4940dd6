using Microsoft.EntityFrameworkCore;

namespace TradSys.Web.Persistence;

/// <summary>An account's position in one instrument: shares bought minus shares sold (negative when short).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Quantity">Net shares.</param>
public sealed record Holding(long AccountId, string Symbol, long Quantity);

/// <summary>
/// Positions derived from the platform's own trades: the data model has no opening positions (an account starts flat
/// when it is onboarded), so a position is the sum of its buys minus its sells. One query shape serves the rules stage
/// (every position now, in the rule aggregates) and the reports (positions at a past moment), so they cannot disagree.
/// </summary>
public static class Holdings
{
    /// <summary>
    /// Net positions from the trades executed before <paramref name="beforeUtc"/> (all trades when null), for the given
    /// accounts (every account when null). Flat positions are left out.
    /// </summary>
    public static async Task<IReadOnlyList<Holding>> AsOfAsync(TradSysDbContext db, DateTime? beforeUtc, IReadOnlyCollection<long>? accounts,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var trades = db.Trades.AsNoTracking();
        if (beforeUtc is { } before)
        {
            trades = trades.Where(t => t.ExecutedAt < before);
        }
        var ids = accounts?.ToList();
        var bought = await (ids is null ? trades : trades.Where(t => ids.Contains(t.BuyAccountId)))
            .GroupBy(t => new { t.BuyAccountId, t.Symbol })
            .Select(g => new { Account = g.Key.BuyAccountId, g.Key.Symbol, Quantity = g.Sum(t => t.Quantity) }).ToListAsync(cancellationToken);
        var sold = await (ids is null ? trades : trades.Where(t => ids.Contains(t.SellAccountId)))
            .GroupBy(t => new { t.SellAccountId, t.Symbol })
            .Select(g => new { Account = g.Key.SellAccountId, g.Key.Symbol, Quantity = g.Sum(t => t.Quantity) }).ToListAsync(cancellationToken);
        var net = new Dictionary<(long, string), long>();
        foreach (var b in bought)
        {
            net[(b.Account, b.Symbol)] = net.GetValueOrDefault((b.Account, b.Symbol)) + b.Quantity;
        }
        foreach (var s in sold)
        {
            net[(s.Account, s.Symbol)] = net.GetValueOrDefault((s.Account, s.Symbol)) - s.Quantity;
        }
        return [.. net.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
            .Select(kv => new Holding(kv.Key.Item1, kv.Key.Item2, kv.Value))];
    }
}
