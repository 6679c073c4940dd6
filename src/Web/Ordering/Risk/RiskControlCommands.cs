using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// The single writer's handling of a change to the risk controls: a new trading status takes effect for the next command; a change
/// of limits is a proposal that takes effect for the next command once another officer approves it (maker-checker). Rows and
/// audit records are committed with the batch. The API has validated the change before sending it.
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
        // The same status with the same reason is what is in force already (a resend after an "outcome unknown", a double click):
        // decided here, on the writer's thread, so that two racing resends cannot both write a history row and an audit record.
        if (before is not null && before.Status == c.Status && string.Equals(before.Reason, c.Reason, StringComparison.Ordinal))
        {
            return new SequencerResult(SequencerOutcome.RiskControlUnchanged, null, [], Risk: before);
        }
        var row = new TradingStatusRecord { Scope = c.Scope, Key = c.Key, Status = c.Status, Reason = c.Reason, SetBy = c.Actor, SetAt = batch.Now };
        controls.Set(row);
        batch.Record(c.Actor, "risk.trading_status_set", Subject(c.Scope, c.Key), new
        {
            scope = c.Scope.ToString(), key = c.Key, status = c.Status.ToString(), previous = (before?.Status ?? TradingStatus.Active).ToString(), reason = c.Reason,
        });
        return new SequencerResult(SequencerOutcome.RiskControlSet, null, [], Risk: row);
    }

    public SequencerResult Propose(ProposeRiskLimitsCommand c, WriterBatch batch)
    {
        var current = controls.Limits(c.Scope, c.Key);
        var version = current?.Version ?? 0;
        if (c.ExpectedVersion is { } expected && expected != version)
        {
            return new SequencerResult(SequencerOutcome.RiskControlConflict, null, [], Risk: current);
        }
        // A client sending its request again (a retry, a double click) gets the proposal it made, not a second one.
        var same = controls.PendingProposals.FirstOrDefault(p => p.Scope == c.Scope && p.Key == c.Key && p.ProposedBy == c.Actor &&
            p.BasedOnVersion == version && p.Currency == c.Currency && p.Limits == c.Limits && p.Reason == c.Reason);
        if (same is not null)
        {
            return new SequencerResult(SequencerOutcome.RiskLimitProposal, null, [], Risk: same);
        }
        var l = c.Limits;
        var proposal = new RiskLimitProposal
        {
            Scope = c.Scope, Key = c.Key, BasedOnVersion = version, Currency = c.Currency, MaxOrderQuantity = l.MaxOrderQuantity,
            MaxOrderNotional = l.MaxOrderNotional, PriceCollarPct = l.PriceCollarPct, MaxOpenOrders = l.MaxOpenOrders,
            MaxOpenNotional = l.MaxOpenNotional, MaxLongPosition = l.MaxLongPosition, MaxShortPosition = l.MaxShortPosition,
            MaxConcentrationPct = l.MaxConcentrationPct, MaxIssuerHoldingPct = l.MaxIssuerHoldingPct, MaxAdvPct = l.MaxAdvPct, MaxVar = l.MaxVar,
            Reason = c.Reason, ProposedBy = c.Actor, ProposedAt = batch.Now, Status = RiskLimitProposalStatus.Pending,
        };
        controls.Propose(proposal);
        batch.Record(c.Actor, "risk.limits_proposed", Subject(c.Scope, c.Key), new
        {
            scope = c.Scope.ToString(), key = c.Key, basedOnVersion = version, currency = c.Currency, limits = l, previous = current?.Limits, reason = c.Reason,
        });
        return new SequencerResult(SequencerOutcome.RiskLimitProposal, null, [], Risk: proposal);
    }

    public SequencerResult Decide(DecideRiskLimitProposalCommand c, WriterBatch batch)
    {
        if (controls.PendingProposal(c.ProposalId) is not { } proposal)
        {
            return new SequencerResult(SequencerOutcome.RiskLimitProposalNotPending, null, []);
        }
        if (!c.Approve)
        {
            var withdrawn = string.Equals(proposal.ProposedBy, c.Actor, StringComparison.Ordinal);
            proposal.Status = withdrawn ? RiskLimitProposalStatus.Withdrawn : RiskLimitProposalStatus.Rejected;
            proposal.DecidedBy = c.Actor;
            proposal.DecidedAt = batch.Now;
            proposal.DecisionReason = c.Comment;
            controls.Decided(proposal);
            batch.Record(c.Actor, withdrawn ? "risk.limits_withdrawn" : "risk.limits_rejected", Subject(proposal.Scope, proposal.Key), new
            {
                proposal = proposal.Id, scope = proposal.Scope.ToString(), key = proposal.Key, proposedBy = proposal.ProposedBy, reason = c.Comment,
            });
            return new SequencerResult(SequencerOutcome.RiskLimitProposal, null, [], Risk: proposal);
        }
        // Maker-checker: the second pair of eyes must be another person's (an admin's own proposal included).
        if (string.Equals(proposal.ProposedBy, c.Actor, StringComparison.Ordinal))
        {
            return new SequencerResult(SequencerOutcome.RiskLimitProposalMakerCannotApprove, null, [], Risk: proposal);
        }
        var current = controls.Limits(proposal.Scope, proposal.Key);
        var version = current?.Version ?? 0;
        if (version != proposal.BasedOnVersion)
        {
            // The checker would approve a change against limits the proposer never saw: refuse, and leave it pending to be rejected.
            return new SequencerResult(SequencerOutcome.RiskControlConflict, null, [], Risk: new StaleRiskLimitProposal(proposal, current));
        }
        var row = new RiskLimitRecord
        {
            Scope = proposal.Scope, Key = proposal.Key, Version = version + 1, Currency = proposal.Currency, MaxOrderQuantity = proposal.MaxOrderQuantity,
            MaxOrderNotional = proposal.MaxOrderNotional, PriceCollarPct = proposal.PriceCollarPct, MaxOpenOrders = proposal.MaxOpenOrders,
            MaxOpenNotional = proposal.MaxOpenNotional, MaxLongPosition = proposal.MaxLongPosition, MaxShortPosition = proposal.MaxShortPosition,
            MaxConcentrationPct = proposal.MaxConcentrationPct, MaxIssuerHoldingPct = proposal.MaxIssuerHoldingPct, MaxAdvPct = proposal.MaxAdvPct, MaxVar = proposal.MaxVar,
            Reason = proposal.Reason, ChangedBy = proposal.ProposedBy, ChangedAt = batch.Now, ApprovedBy = c.Actor, ProposalId = proposal.Id,
        };
        controls.Set(row);
        proposal.Status = RiskLimitProposalStatus.Approved;
        proposal.DecidedBy = c.Actor;
        proposal.DecidedAt = batch.Now;
        proposal.DecisionReason = c.Comment;
        proposal.AppliedVersion = row.Version;
        controls.Decided(proposal);
        batch.Record(c.Actor, "risk.limits_set", Subject(proposal.Scope, proposal.Key), new
        {
            scope = proposal.Scope.ToString(), key = proposal.Key, version = row.Version, currency = proposal.Currency, limits = proposal.Limits,
            previous = current?.Limits, reason = proposal.Reason, proposal = proposal.Id, proposedBy = proposal.ProposedBy, approvedBy = c.Actor,
            comment = c.Comment,
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

/// <summary>A proposal refused at approval because the scope's limits moved on from the version it was based on.</summary>
internal sealed record StaleRiskLimitProposal(RiskLimitProposal Proposal, RiskLimitRecord? Current);
