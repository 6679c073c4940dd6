using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// The single writer's handling of a change to the risk controls: the new trading status or limits version takes effect for the
/// next command, its row and an audit record are committed with the batch. The API has validated the change before sending it.
/// </summary>
internal sealed class RiskControlCommands(RiskControls controls)
{
    public SequencerResult SetStatus(SetTradingStatusCommand c, WriterBatch batch)
    {
        var before = c.Scope switch
        {
            RiskScope.Firm => controls.FirmStatus,
            RiskScope.Trader => controls.TraderStatus(long.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)),
            _ => controls.AccountStatus(long.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)),
        };
        var row = new TradingStatusRecord { Scope = c.Scope, Key = c.Key, Status = c.Status, Reason = c.Reason, SetBy = c.Actor, SetAt = batch.Now };
        controls.Set(row);
        batch.Record(c.Actor, "risk.trading_status_set", Subject(c.Scope, c.Key), new
        {
            scope = c.Scope.ToString(), key = c.Key, status = c.Status.ToString(), previous = (before?.Status ?? TradingStatus.Active).ToString(), reason = c.Reason,
        });
        return new SequencerResult(SequencerOutcome.RiskControlSet, null, [], Risk: row);
    }

    public SequencerResult SetLimits(SetRiskLimitsCommand c, WriterBatch batch)
    {
        var current = controls.Limits(c.Scope, c.Key);
        var version = current?.Version ?? 0;
        if (c.ExpectedVersion is { } expected && expected != version)
        {
            return new SequencerResult(SequencerOutcome.RiskControlConflict, null, [], Risk: current);
        }
        var l = c.Limits;
        var row = new RiskLimitRecord
        {
            Scope = c.Scope, Key = c.Key, Version = version + 1, Currency = c.Currency, MaxOrderQuantity = l.MaxOrderQuantity,
            MaxOrderNotional = l.MaxOrderNotional, PriceCollarPct = l.PriceCollarPct, MaxOpenOrders = l.MaxOpenOrders,
            MaxOpenNotional = l.MaxOpenNotional, MaxLongPosition = l.MaxLongPosition, MaxShortPosition = l.MaxShortPosition,
            Reason = c.Reason, ChangedBy = c.Actor, ChangedAt = batch.Now,
        };
        controls.Set(row);
        batch.Record(c.Actor, "risk.limits_set", Subject(c.Scope, c.Key), new
        {
            scope = c.Scope.ToString(), key = c.Key, version = row.Version, currency = c.Currency, limits = l, previous = current?.Limits, reason = c.Reason,
        });
        return new SequencerResult(SequencerOutcome.RiskControlSet, null, [], Risk: row);
    }

    /// <summary>The audit subject of a scope: firm, account/N, user/N, category/X, instrument/X.</summary>
    public static string Subject(RiskScope scope, string key) => scope switch
    {
        RiskScope.Firm => "risk/firm",
        RiskScope.Account => $"account/{key}",
        RiskScope.Trader => $"user/{key}",
        RiskScope.ClientCategory => $"category/{key}",
        _ => $"instrument/{key}",
    };
}
