using TradSys.Rules.Context;
using TradSys.Rules.Evaluation;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Rules;

/// <summary>
/// The rules stage of the order path, run by the single writer after re-validation and before the engine: it
/// assembles a complete <see cref="OrderContext"/> for a new order from the account and instrument rows (read by
/// the writer for its batch), the order's terms, the engine's book, the trading day's statistics and the writer's
/// <see cref="RuleAggregates"/>, evaluates every applicable pack with the published rule set (read once per order,
/// so a hot swap is seen whole or not at all) and returns the decision.
/// </summary>
/// <remarks>Every field the shipped packs read comes from stored data; the few the platform does not hold yet are
/// listed in <see cref="Fill"/> with what they are set to and why that never lets a rule pass silently.</remarks>
internal sealed class RulesStage(RuleEvaluator evaluator, ReferenceDataCache referenceData, RuleAggregates aggregates)
{
    private readonly OrderContext _context = new();
    private readonly RuleDecision _decision = new();

    /// <summary>Evaluates the packs on a new order and returns the decision with its explanation.</summary>
    public StoredDecision Decide(SubmitCommand s, OrderRecord order, Account account, Instrument row, TradableInstrument instrument,
        MatchingEngine engine, JournalRecorder recorder, DateTime now)
    {
        _context.Reset();
        try
        {
            Fill(s, order, account, row, instrument, engine, recorder, now);
        }
        catch (InvalidOperationException ex)
        {
            // A figure the packs need cannot be computed (e.g. no FX rate for a currency): fail closed.
            return StoredDecision.Refused($"the order could not be evaluated by the rule packs: {ex.Message}", now);
        }
        evaluator.Evaluate(_context, _decision);
        // The snapshot goes with the decision so a replay (and a regulator) sees exactly what the packs read.
        var decision = StoredDecision.From(_decision.Explain(_context), now) with { ContextJson = OrderContextJson.Serialize(_context) };
        _context.Reset();
        return decision;
    }

    private void Fill(SubmitCommand s, OrderRecord order, Account account, Instrument row, TradableInstrument instrument,
        MatchingEngine engine, JournalRecorder recorder, DateTime now)
    {
        var fx = referenceData.Fx;
        var venue = instrument.VenueRow;
        var timestamp = now.Ticks;
        var tradeDate = DateOnly.FromDateTime(instrument.Spec.Venue.ToVenueLocal(timestamp));
        var statistics = recorder.StatisticsFor(instrument.Spec.Id, timestamp);

        var m = _context.Market;
        m.TradeDate = tradeDate;
        m.PriorClose = row.ReferencePrice;
        m.ReferencePrice = statistics.HasTrades ? instrument.ToDecimal(statistics.LastPrice) : row.ReferencePrice;
        m.DayLow = statistics.HasTrades ? instrument.ToDecimal(statistics.Low) : 0m;
        Span<DepthLevel> best = stackalloc DepthLevel[1];
        m.BestBid = engine.GetDepth(instrument.Spec.Id, Side.Buy, best) == 1 ? instrument.ToDecimal(best[0].Price) : 0m;
        m.BestAsk = engine.GetDepth(instrument.Spec.Id, Side.Sell, best) == 1 ? instrument.ToDecimal(best[0].Price) : 0m;
        m.SsrCarriedOver = aggregates.SsrCarriedOver(instrument, tradeDate);
        var pricedAt = s.Price.Raw > 0 ? s.Price : instrument.Spec.ReferencePrice;
        m.TickSize = instrument.ToDecimal(new Price(instrument.Spec.Venue.Ticks.TickAt(pricedAt)));
        m.AverageDailyVolume = row.AverageDailyVolume;

        var o = _context.Order;
        var terms = s.Terms ?? OrderTerms.None;
        o.ClientOrderId = s.ClientOrderId;
        o.Side = s.Side;
        o.Type = s.Type;
        o.TimeInForce = s.TimeInForce;
        o.Quantity = s.Quantity.Raw;
        o.Price = order.Price ?? 0m;
        // Orders without a limit are valued at their stop price, else at the reference price (last trade, else prior close).
        var unitValue = order.Price ?? order.StopPrice ?? m.ReferencePrice;
        o.Notional = unitValue * s.Quantity.Raw;
        o.NotionalInAccountCurrency = fx.Convert(o.Notional, row.Currency, account.CreditCurrency);
        o.NotionalEur = fx.Convert(o.Notional, row.Currency, "EUR");
        o.ShortMarking = terms.ShortMarking;
        o.LocateId = terms.LocateId ?? "";
        var borrowed = 0L;
        foreach (var b in account.BorrowedShares)
        {
            if (string.Equals(b.Symbol, row.Symbol, StringComparison.OrdinalIgnoreCase))
            {
                borrowed += b.Quantity;
            }
        }
        o.HasBorrowedShares = borrowed >= s.Quantity.Raw;
        o.UsesMargin = terms.UsesMargin;
        o.IsAdvised = terms.IsAdvised;
        // The API lets a trader enter orders only on accounts they own (checked before the writer), so whoever
        // entered this order is authorised for the account; per-user instrument entitlements do not exist yet.
        o.TraderAuthorised = true;
        o.MarkupBps = terms.MarkupBps;
        o.MarkupDisclosed = terms.MarkupDisclosed;
        o.CounterpartyLei = terms.CounterpartyLei ?? "";
        o.Uti = terms.Uti ?? "";
        o.IsCleared = terms.IsCleared;

        var a = _context.Account;
        a.Id = account.Id;
        a.ClientCategory = account.ClientCategory;
        a.IsClassified = account.IsClassified;
        a.Jurisdiction = account.Jurisdiction;
        a.Lei = account.Lei ?? "";
        a.IsLegalEntity = account.IsLegalEntity;
        a.IsTrust = account.IsTrust;
        a.IsIndividual = !account.IsLegalEntity && !account.IsTrust;
        a.InvestorNumber = account.InvestorNumber ?? "";
        a.FatcaStatus = account.FatcaStatus;
        a.UsIndicia = account.UsIndicia;
        a.HasW9 = account.HasW9;
        a.W8BenExpiresOn = account.W8BenExpiresOn ?? DateOnly.MinValue;
        a.Giin = account.Giin ?? "";
        a.GiinOnFfiList = account.GiinOnFfiList;
        a.IsPreexisting = account.IsPreexisting;
        a.BalanceUsd = account.BalanceUsd;
        a.EnhancedReviewDone = account.EnhancedReviewDone;
        a.ShariaOnly = account.ShariaOnly;
        a.CreditLimit = account.CreditLimit;
        a.IsMarginAccount = account.IsMarginAccount;
        a.EquityUsd = account.EquityUsd;
        a.AppropriatenessAssessed = account.AppropriatenessAssessed;
        a.AppropriatenessPassed = account.AppropriatenessPassed;
        a.SuitabilityAssessed = account.SuitabilityAssessed;
        a.BalanceSheetUsd = account.BalanceSheetUsd;
        a.TurnoverUsd = account.TurnoverUsd;
        a.OwnFundsUsd = account.OwnFundsUsd;
        a.NetAssetsUsd = account.NetAssetsUsd;
        a.HasFinanceExperience = account.HasFinanceExperience;
        a.IsForeignInvestor = account.IsForeignInvestor;
        a.IsGccNational = account.IsGccNational;
        a.EmirClass = account.EmirClass;
        a.EmirReportingExempt = account.EmirReportingExempt;
        a.HasMarginAgreement = account.HasMarginAgreement;

        var i = _context.Instrument;
        i.Symbol = row.Symbol;
        i.Isin = row.Isin;
        i.Currency = row.Currency;
        i.Sector = row.Sector.ToLowerInvariant();
        i.IsDerivative = row.IsDerivative;
        i.IsOtc = row.IsOtc;
        i.AssetClass = row.AssetClass;
        i.IsInterestBearing = row.IsInterestBearing;
        i.IsComplex = row.IsComplex;
        i.IsLiquid = row.IsLiquid;
        i.IsUsSource = row.IsUsSource;
        i.IssuedShares = row.IssuedShares;
        i.IsRestricted = row.IsRestricted;
        i.IsOnThresholdList = row.IsOnThresholdList;
        i.IsOnShortSellEligibleList = row.IsOnShortSellEligibleList;
        i.ForeignOwnershipLimitPct = row.ForeignOwnershipLimitPct;
        i.ForeignHoldingPct = row.ForeignHoldingPct;
        i.DaysToFinancialStatements = row.NextFinancialStatementsOn is { } fs && fs >= tradeDate ? fs.DayNumber - tradeDate.DayNumber : -1;
        var sh = i.Sharia;
        sh.TotalDebt = row.Sharia.TotalDebt;
        sh.CashAndInterestBearingSecurities = row.Sharia.CashAndInterestBearingSecurities;
        sh.Receivables = row.Sharia.Receivables;
        sh.NonPermissibleIncome = row.Sharia.NonPermissibleIncome;
        sh.TotalRevenue = row.Sharia.TotalRevenue;
        sh.MarketCap = row.Sharia.MarketCap;
        sh.AverageMarketCap36M = row.Sharia.AverageMarketCap36M;
        sh.TotalAssets = row.Sharia.TotalAssets;
        sh.AsOf = row.Sharia.AsOf ?? DateOnly.MinValue;

        var v = _context.Venue;
        v.Mic = venue.Mic;
        v.Country = venue.Country;
        v.IsEea = venue.IsEea;

        var g = _context.Aggregates;
        var (todayNotional, todayOrders) = aggregates.Today(account.Id, now);
        var (openCount, openNotional) = aggregates.Open(account.Id);
        g.TodayNotional = todayNotional;
        g.TodayOrderCount = todayOrders;
        g.OpenOrderCount = openCount;
        g.OpenOrdersNotional = openNotional;
        g.IdenticalOrdersRecent = aggregates.IdenticalRecent(account.Id, row.Symbol, s.Side, s.Quantity.Raw, order.Price, now);
        (g.DayTradesLast5Days, g.TradesLast5Days) = aggregates.LastBusinessDays(account.Id, now);
        var position = aggregates.Position(account.Id, row.Symbol);
        g.PositionQuantity = position;
        g.BorrowedSharesAvailable = borrowed;
        var after = s.Side == Side.Sell ? position - s.Quantity.Raw : position;
        g.NetShortPositionPct = after < 0 && row.IssuedShares > 0 ? -after * 100m / row.IssuedShares : 0m;
        // No register of the short positions already notified to the NCA exists yet: 0 makes MIFID.SSR_NOTIFY report at
        // every 0.1% step (over-reporting, never a silent pass) until the reporting issue records notifications.
        g.LastNotifiedShortPositionPct = 0m;
        g.IsInsiderOfIssuer = account.InsiderOfIsins.Contains(row.Isin, StringComparer.OrdinalIgnoreCase);
        (g.OtcDerivativeNotionalEur, g.UnclearedNotionalEur) = aggregates.Otc(account.Id, row.AssetClass);
    }
}

/// <summary>
/// The optional compliance terms a trader sends with an order (all default to "not given").
/// </summary>
/// <param name="ShortMarking">Long, Short or ShortExempt for a sell (Reg SHO 200(g); RTS 22 field 62).</param>
/// <param name="LocateId">Locate or borrow reference for a short sale.</param>
/// <param name="UsesMargin">The order uses margin (borrowed money).</param>
/// <param name="IsAdvised">The order results from advice or a discretionary mandate.</param>
/// <param name="CounterpartyLei">The other counterparty's LEI (OTC, derivatives).</param>
/// <param name="Uti">A pre-agreed UTI.</param>
/// <param name="IsCleared">The trade will be cleared by a CCP.</param>
/// <param name="MarkupBps">Mark-up over the execution price, basis points.</param>
/// <param name="MarkupDisclosed">The mark-up was disclosed to the client before the order.</param>
public sealed record OrderTerms(ShortMarking ShortMarking = ShortMarking.None, string? LocateId = null, bool UsesMargin = false,
    bool IsAdvised = false, string? CounterpartyLei = null, string? Uti = null, bool IsCleared = false, decimal MarkupBps = 0,
    bool MarkupDisclosed = false)
{
    /// <summary>No terms given.</summary>
    public static OrderTerms None { get; } = new();
}
