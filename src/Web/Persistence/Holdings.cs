using Microsoft.EntityFrameworkCore;

namespace TradSys.Web.Persistence;

/// <summary>An account's position in one instrument: shares bought minus shares sold (negative when short).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Quantity">Net shares.</param>
public sealed record Holding(long AccountId, string Symbol, long Quantity);

/// <summary>One account's side of one trade: a positive quantity bought, a negative one sold.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Quantity">Shares bought (positive) or sold (negative).</param>
/// <param name="Price">The trade's price.</param>
/// <param name="Currency">The trade's currency.</param>
/// <param name="TradeId">The trade.</param>
/// <param name="ExecutedAt">When it executed (UTC).</param>
/// <param name="Split">Set when this line is a split's adjustment, not a trade (<see cref="Entities.PositionAdjustment"/>): the shares
/// added are <paramref name="Quantity"/>, the price is zero and the average cost is scaled by old/new.</param>
public sealed record HoldingTrade(long AccountId, string Symbol, long Quantity, decimal Price, string Currency, long TradeId, DateTime ExecutedAt,
    SplitLine? Split = null);

/// <summary>A split's adjustment in a position's ledger: the ratio, and the cash paid for the fraction it left (signed like the position);
/// or a symbol change's move (ratio 1 for 1), with the average cost carried from the old symbol to the new one.</summary>
public sealed record SplitLine(int RatioNew, int RatioOld, decimal CashInLieu, string Reference, decimal? CarriedAverageCost = null);

/// <summary>
/// Positions derived from the platform's own trades: the data model has no opening positions (an account starts flat
/// when it is onboarded), so a position is the sum of its buys minus its sells, plus the corporate actions' adjustments
/// (<see cref="Entities.PositionAdjustment"/>: a split's shares added or taken away). One query shape serves the rules stage
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
        return await NetAsync(TradesBefore(db, beforeUtc), AdjustmentsBefore(db, beforeUtc), accounts, cancellationToken);
    }

    /// <summary>
    /// Net positions of every account in the given instruments (the lines of one security) from the trades executed before
    /// <paramref name="beforeUtc"/>: what a corporate action's entitlement reads. Flat positions are left out.
    /// </summary>
    public static async Task<IReadOnlyList<Holding>> InAsync(TradSysDbContext db, DateTime beforeUtc, IReadOnlyCollection<string> symbols,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var list = symbols.ToList();
        return await NetAsync(TradesBefore(db, beforeUtc).Where(t => list.Contains(t.Symbol)),
            AdjustmentsBefore(db, beforeUtc).Where(a => list.Contains(a.Symbol)), null, cancellationToken);
    }

    private static async Task<IReadOnlyList<Holding>> NetAsync(IQueryable<Entities.TradeRecord> trades,
        IQueryable<Entities.PositionAdjustment> adjustments, IReadOnlyCollection<long>? accounts, CancellationToken cancellationToken)
    {
        var ids = accounts?.ToList();
        if (ids is not null)
        {
            adjustments = adjustments.Where(a => ids.Contains(a.AccountId));
        }
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
        foreach (var a in await adjustments.GroupBy(a => new { a.AccountId, a.Symbol })
                     .Select(g => new { g.Key.AccountId, g.Key.Symbol, Quantity = g.Sum(a => a.Quantity) }).ToListAsync(cancellationToken))
        {
            net[(a.AccountId, a.Symbol)] = net.GetValueOrDefault((a.AccountId, a.Symbol)) + a.Quantity;
        }
        return [.. net.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key.Item1).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
            .Select(kv => new Holding(kv.Key.Item1, kv.Key.Item2, kv.Value))];
    }

    /// <summary>
    /// The trades behind <see cref="AsOfAsync"/> with each account's side of them, oldest first (execution time, then trade
    /// id): the ledger from which the positions API prices each position (average cost, realised P&amp;L). Summing its
    /// signed quantities per account and instrument gives exactly <see cref="AsOfAsync"/>'s net quantities, since both read
    /// the same trades.
    /// </summary>
    /// <param name="db">The database.</param>
    /// <param name="beforeUtc">Only trades executed before this moment (all when null).</param>
    /// <param name="accounts">Only these accounts' sides (every account when null).</param>
    /// <param name="symbol">Only this instrument (every instrument when null).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public static async Task<IReadOnlyList<HoldingTrade>> LedgerAsync(TradSysDbContext db, DateTime? beforeUtc,
        IReadOnlyCollection<long>? accounts, string? symbol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var trades = TradesBefore(db, beforeUtc);
        if (symbol is not null)
        {
            trades = trades.Where(t => t.Symbol == symbol);
        }
        var ids = accounts?.ToList();
        if (ids is not null)
        {
            trades = trades.Where(t => ids.Contains(t.BuyAccountId) || ids.Contains(t.SellAccountId));
        }
        var rows = await trades.OrderBy(t => t.ExecutedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var adjustments = AdjustmentsBefore(db, beforeUtc);
        if (symbol is not null)
        {
            adjustments = adjustments.Where(a => a.Symbol == symbol);
        }
        if (ids is not null)
        {
            adjustments = adjustments.Where(a => ids.Contains(a.AccountId));
        }
        var adjusted = await adjustments.OrderBy(a => a.EnteredAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        var ledger = new List<HoldingTrade>(rows.Count * 2 + adjusted.Count);
        foreach (var t in rows)
        {
            // A trade between two of the listed accounts (or any two, without a list) is a buy for one and a sell for the other.
            if (ids is null || ids.Contains(t.BuyAccountId))
            {
                ledger.Add(new HoldingTrade(t.BuyAccountId, t.Symbol, t.Quantity, t.Price, t.Currency, t.Id, t.ExecutedAt));
            }
            if (ids is null || ids.Contains(t.SellAccountId))
            {
                ledger.Add(new HoldingTrade(t.SellAccountId, t.Symbol, -t.Quantity, t.Price, t.Currency, t.Id, t.ExecutedAt));
            }
        }
        if (adjusted.Count == 0)
        {
            return ledger;
        }
        // A split's adjustment goes between the trades before it and those after it (the book was not trading when it was applied).
        foreach (var a in adjusted)
        {
            ledger.Add(new HoldingTrade(a.AccountId, a.Symbol, a.Quantity, 0m, "", 0, a.EnteredAt,
                new SplitLine(a.RatioNew, a.RatioOld, a.CashInLieu, a.Reference, a.CarriedAverageCost)));
        }
        return [.. ledger.OrderBy(l => l.ExecutedAt).ThenBy(l => l.Split is null ? 0 : 1).ThenBy(l => l.TradeId)];
    }

    private static IQueryable<Entities.PositionAdjustment> AdjustmentsBefore(TradSysDbContext db, DateTime? beforeUtc)
    {
        var adjustments = db.PositionAdjustments.AsNoTracking();
        return beforeUtc is { } before ? adjustments.Where(a => a.EnteredAt < before) : adjustments;
    }

    private static IQueryable<Entities.TradeRecord> TradesBefore(TradSysDbContext db, DateTime? beforeUtc)
    {
        var trades = db.Trades.AsNoTracking();
        return beforeUtc is { } before ? trades.Where(t => t.ExecutedAt < before) : trades;
    }
}
