using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Reporting.Data;
using TradSys.Web.Auditing;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Reports;

/// <summary>
/// The reporting port over the database. A business day in a time zone is the half-open UTC
/// interval from its local midnight to the next (so Cairo's daylight-saving days are 23 or 25 hours).
/// </summary>
public sealed partial class EfReportDataSource(TradSysDbContext db, TradSys.Web.ReferenceData.ReferenceDataCache referenceData,
    TradSys.Web.Ordering.MarketClock clock) : IReportDataSource
{
    public async Task<DailyTradeData> GetDailyTradesAsync(string venueCode, DateOnly businessDate, CancellationToken cancellationToken)
    {
        var venue = await db.Venues.AsNoTracking().SingleAsync(v => v.Code == venueCode, cancellationToken);
        var (from, to) = Day(businessDate, venue.TimeZone);
        var instruments = await db.Instruments.AsNoTracking().Where(i => i.VenueCode == venueCode).ToDictionaryAsync(i => i.Symbol, cancellationToken);
        var symbols = instruments.Keys.ToList();
        var trades = await db.Trades.AsNoTracking()
            .Where(t => symbols.Contains(t.Symbol) && t.ExecutedAt >= from && t.ExecutedAt < to)
            .OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var accounts = await Parties(trades.SelectMany(t => new[] { t.BuyAccountId, t.SellAccountId }), cancellationToken);
        return new DailyTradeData(
            new VenueInfo(venue.Code, venue.Mic, venue.Name, venue.Currency, venue.TimeZone), businessDate,
            [.. trades.Select(t =>
            {
                var i = instruments[t.Symbol];
                return new TradeRow(t.Id, t.ExecutedAt, t.Symbol, i.Isin, i.Name, i.NameAr, t.Price, t.Quantity, t.Currency,
                    accounts[t.BuyAccountId], accounts[t.SellAccountId], t.AggressorSide.ToString());
            })]);
    }

    public async Task<ComplianceData> GetComplianceDecisionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken)
    {
        var (from, to) = Day(businessDate, timeZone);
        string[] outcomes = ["Block", "Review"];
        var rows = await db.RuleDecisions.AsNoTracking()
            .Where(d => d.DecidedAt >= from && d.DecidedAt < to && outcomes.Contains(d.Outcome))
            .Join(db.Orders.AsNoTracking(), d => d.OrderId, o => o.Id, (d, o) => new { Decision = d, Order = o })
            .OrderBy(x => x.Decision.OrderId)
            .ToListAsync(cancellationToken);
        var accounts = await Parties(rows.Select(r => r.Order.AccountId), cancellationToken);
        // Who decided a held order: the approvers and rejecters its review tasks recorded (compliance review, four-eyes).
        var orderIds = rows.Select(r => (long?)r.Order.Id).ToList();
        var tasks = await db.WorkflowInstances.AsNoTracking().Where(i => orderIds.Contains(i.OrderId))
            .Join(db.WorkflowTasks.AsNoTracking(), i => i.Id, t => t.InstanceId,
                (i, t) => new { OrderId = i.OrderId!.Value, t.Approvers, t.RejectedBy, t.RequiredApprovals, t.Status, t.OpenedAt })
            .ToListAsync(cancellationToken);
        string? ReviewerOf(long orderId)
        {
            var parts = new List<string>();
            foreach (var t in tasks.Where(t => t.OrderId == orderId).OrderBy(t => t.OpenedAt))
            {
                var approvers = t.Approvers.Split(',', StringSplitOptions.RemoveEmptyEntries);
                if (approvers.Length > 0)
                {
                    parts.Add($"approved by {string.Join(", ", approvers)}" +
                              (t.Status == "Approved" ? "" : $" ({approvers.Length} of {t.RequiredApprovals})"));
                }
                if (t.RejectedBy is { } rejectedBy)
                {
                    parts.Add($"rejected by {rejectedBy}");
                }
            }
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
        return new ComplianceData(businessDate, timeZone,
        [
            .. rows.OrderBy(r => r.Decision.DecidedAt).ThenBy(r => r.Decision.OrderId).Select(r =>
            {
                var stored = StoredDecision.Read(r.Decision);
                return new DecisionRow(r.Order.Id, r.Decision.DecidedAt, accounts[r.Order.AccountId], r.Order.Symbol, r.Order.Side.ToString(),
                    r.Order.Quantity, r.Order.Price, r.Decision.Outcome, r.Order.Status.ToString(),
                    Reviewer: ReviewerOf(r.Order.Id),
                    [.. stored.Rules.Select(f => new FiredRule(f.PackId, f.PackVersion, f.RuleId, f.Outcome, f.ReasonCode, f.Message, f.Regulation,
                        [.. f.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Text(kv.Value)}")]))],
                    stored.Fault);
            }),
        ]);
    }

    public async Task<AuditTrailData> GetAuditTrailAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken)
    {
        var (from, to) = Day(businessDate, timeZone);
        var records = await db.AuditLog.AsNoTracking().Where(a => a.Timestamp >= from && a.Timestamp < to).OrderBy(a => a.Id)
            .Select(a => new AuditRow(a.Id, a.Timestamp, a.Actor, a.Action, a.Subject, a.Hash, a.PreviousHash))
            .ToListAsync(cancellationToken);
        var v = await AuditVerifier.VerifyAsync(db, cancellationToken);
        return new AuditTrailData(businessDate, timeZone, records, new ChainVerification(v.Valid, v.RecordsChecked, v.FirstBrokenId, v.Problem));
    }

    /// <summary>The UTC interval of a local day.</summary>
    public static (DateTime From, DateTime To) Day(DateOnly date, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var from = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), zone);
        var to = TimeZoneInfo.ConvertTimeToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        return (from, to);
    }

    private async Task<Dictionary<long, PartyInfo>> Parties(IEnumerable<long> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        var parties = await db.Accounts.AsNoTracking().Where(a => wanted.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new PartyInfo(a.Id, a.Name, a.NameAr), ct);
        // The exchange's side of a trade of an order routed to it over FIX.
        parties[TradeRecord.VenueSide] = new PartyInfo(TradeRecord.VenueSide, "the exchange (routed order)", "البورصة (أمر موجّه)");
        return parties;
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        JsonElement { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
