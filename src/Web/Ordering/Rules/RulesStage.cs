using TradSys.Web.Ordering.Journal;
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
internal sealed class RulesStage(RuleEvaluator evaluator, ReferenceDataCache referenceData, RuleAggregates aggregates, ContextSnapshots snapshots,
    Observability.PlatformMetrics metrics)
{
    private readonly OrderContext _context = new();
    private readonly RuleDecision _decision = new();

    /// <summary>How the context the packs read is kept with the decision.</summary>
    public enum Context
    {
        /// <summary>Not kept (an amendment's decision goes to the audit trail).</summary>
        None,
        /// <summary>The order's own views, with the ids of the account's and instrument's snapshots (a decision to store).</summary>
        Stored,
        /// <summary>The whole context as one JSON text (a check: the rule editor's sample order shows it).</summary>
        Whole,
    }

    /// <summary>Evaluates the packs on a new order and returns the decision with its explanation and the context it read.</summary>
    public StoredDecision Decide(SubmitCommand s, OrderRecord order, Account account, Instrument row, TradableInstrument instrument,
        MatchingEngine engine, JournalRecorder recorder, DateTime now, Context keep = Context.Stored) =>
        Decide(RulesSubject.New(s, order, instrument), account, row, instrument, engine, recorder, now, keep);

    /// <summary>
    /// Evaluates the packs on a working order as an amendment would leave it: the rest of the order (new total quantity
    /// less what has already filled) at the new price, with the order's stored compliance terms, and with the order's own
    /// contribution taken out of the aggregates (its open notional, its count among today's orders, its entry among the
    /// recent orders), so the amended order is judged exactly as a new order for the same remaining quantity would be.
    /// Its decision goes into the audit trail, not <c>rule_decisions</c>, so no context snapshot is taken.
    /// </summary>
    public StoredDecision DecideAmendment(OrderRecord order, Price newPrice, Quantity newQuantity, Price newStopPrice, Account account,
        Instrument row, TradableInstrument instrument, MatchingEngine engine, JournalRecorder recorder, DateTime now) =>
        Decide(RulesSubject.Amended(order, newPrice, newQuantity, newStopPrice, instrument), account, row, instrument, engine, recorder, now,
            Context.None);

    /// <summary>
    /// Whether an amendment goes back to the packs: every amendment does except one that only lowers the quantity, which
    /// can only take exposure away (a trader reducing an order when a limit was tightened must not be stopped).
    /// </summary>
    public static bool AmendmentNeedsRules(OrderRecord order, Price newPrice, Quantity newQuantity, Price newStopPrice, int decimals)
    {
        var priceChanges = newPrice.Raw != 0 && newPrice.ToDecimal(decimals) != order.Price;
        var stopChanges = newStopPrice.Raw != 0 && newStopPrice.ToDecimal(decimals) != order.StopPrice;
        return priceChanges || stopChanges || newQuantity.Raw > order.Quantity;
    }

    // keep: the context goes with the decision stored in rule_decisions (which replays read and a regulator sees), split so
    // that the account's and instrument's views, the bulk of it, are stored once each (StoredContext); whole for a check.
    private StoredDecision Decide(RulesSubject subject, Account account, Instrument row, TradableInstrument instrument,
        MatchingEngine engine, JournalRecorder recorder, DateTime now, Context keep)
    {
        _context.Reset();
        try
        {
            Fill(subject, account, row, instrument, engine, recorder, now);
        }
        catch (InvalidOperationException ex)
        {
            // A figure the packs need cannot be computed (e.g. no FX rate for a currency): fail closed.
            return StoredDecision.Refused($"the order could not be evaluated by the rule packs: {ex.Message}", now);
        }
        evaluator.Evaluate(_context, _decision);
        if (keep != Context.Whole)
        {
            // A rule hit is an order's (a new one's or an amendment's); a check (the ticket's "check", the editor's sample order) is
            // a question, not an order, and is not counted.
            metrics.RuleHits(_decision);
        }
        // The snapshot goes with the decision so a replay (and a regulator) sees exactly what the packs read.
        var decision = StoredDecision.From(_decision.Explain(_context), now);
        if (keep == Context.Stored)
        {
            var (accountSnapshot, instrumentSnapshot) = snapshots.Of(_context, account, row, _context.Market.TradeDate, now);
            decision = decision with
            {
                ContextJson = OrderContextJson.Serialize(new StoredContext.OrderPart(_context.Order, _context.Market, _context.Aggregates)),
                AccountSnapshotId = accountSnapshot,
                InstrumentSnapshotId = instrumentSnapshot,
            };
        }
        else if (keep == Context.Whole)
        {
            decision = decision with { ContextJson = OrderContextJson.Serialize(_context) };
        }
        _context.Reset();
        return decision;
    }

    private void Fill(RulesSubject s, Account account, Instrument row, TradableInstrument instrument,
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
        m.TickSize = instrument.ToDecimal(new Price(instrument.Spec.Venue.Ticks.TickAt(s.PricedAt.Raw > 0 ? s.PricedAt : instrument.Spec.ReferencePrice)));
        m.AverageDailyVolume = row.AverageDailyVolume;

        var o = _context.Order;
        var terms = s.Terms;
        o.ClientOrderId = s.ClientOrderId;
        o.Side = s.Side;
        o.Type = s.Type;
        o.TimeInForce = s.TimeInForce;
        o.Quantity = s.Quantity;
        o.Price = s.Price ?? 0m;
        // Orders without a limit are valued at their stop price, else at the reference price (last trade, else prior close).
        var unitValue = s.Price ?? s.StopPrice ?? m.ReferencePrice;
        o.Notional = unitValue * s.Quantity;
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
        o.HasBorrowedShares = borrowed >= s.Quantity;
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
        i.SectorCode = SectorClassification.CodeOf(row.Sector);
        i.IsDerivative = row.IsDerivative;
        i.IsOtc = row.IsOtc;
        i.AssetClass = row.AssetClass;
        i.IsInterestBearing = row.IsInterestBearing;
        // MiFID II Art 25(4): a derivative is complex whatever its flag says; the flag adds the other complex products.
        i.IsComplex = row.IsComplex || row.IsDerivative;
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
        var (todayNotional, todayOrders) = aggregates.Today(account.Id, now, s.AmendedOrderId);
        var (openCount, openNotional) = aggregates.Open(account.Id, s.AmendedOrderId);
        g.TodayNotional = todayNotional;
        g.TodayOrderCount = todayOrders;
        g.OpenOrderCount = openCount;
        g.OpenOrdersNotional = openNotional;
        g.IdenticalOrdersRecent = aggregates.IdenticalRecent(account.Id, row.Symbol, s.Side, s.Quantity, s.Price, now, s.AmendedOrderId);
        (g.DayTradesLast5Days, g.TradesLast5Days) = aggregates.LastBusinessDays(account.Id, now);
        g.OrderCompletesDayTrade = aggregates.CompletesDayTrade(account.Id, row.Symbol, s.Side, now);
        var position = aggregates.Position(account.Id, row.Symbol);
        g.PositionQuantity = position;
        g.BorrowedSharesAvailable = borrowed;
        var after = s.Side == Side.Sell ? position - s.Quantity : position;
        g.NetShortPositionPct = after < 0 && row.IssuedShares > 0 ? -after * 100m / row.IssuedShares : 0m;
        var held = position < 0 && row.IssuedShares > 0 ? -position * 100m / row.IssuedShares : 0m;
        g.LastNotifiedShortPositionPct = aggregates.NotifiedShortPct(account.Id, row.Symbol, held);
        g.IsInsiderOfIssuer = account.InsiderOfIsins.Contains(row.Isin, StringComparer.OrdinalIgnoreCase);
        (g.OtcDerivativeNotionalEur, g.UnclearedNotionalEur) = aggregates.Otc(account.Id, row.AssetClass);
    }
}

/// <summary>What the packs judge: a new order, or the rest of a working order as an amendment would leave it.</summary>
/// <param name="AmendedOrderId">The amended order (its own contributions are taken out of the aggregates); 0 for a new order.</param>
/// <param name="ClientOrderId">The client's order id.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Order type.</param>
/// <param name="TimeInForce">Time in force.</param>
/// <param name="Price">Limit price (null for none).</param>
/// <param name="StopPrice">Stop price (null for none).</param>
/// <param name="Terms">The order's compliance terms.</param>
/// <param name="Quantity">Shares judged: a new order's quantity, or an amended order's new total less what has filled.</param>
/// <param name="PricedAt">The price the tick size is read at: the limit price; zero for none (then the reference price).</param>
internal readonly record struct RulesSubject(long AmendedOrderId, string ClientOrderId, Side Side, OrderType Type, TimeInForce TimeInForce,
    long Quantity, decimal? Price, decimal? StopPrice, Price PricedAt, OrderTerms Terms)
{
    public static RulesSubject New(SubmitCommand s, OrderRecord order, TradableInstrument instrument) =>
        new(0, s.ClientOrderId, s.Side, s.Type, s.TimeInForce, s.Quantity.Raw, order.Price, order.StopPrice,
            s.Price, s.Terms ?? OrderTerms.None);

    public static RulesSubject Amended(OrderRecord order, Price newPrice, Quantity newQuantity, Price newStopPrice, TradableInstrument instrument)
    {
        var decimals = instrument.Decimals;
        var price = order.Type is OrderType.Limit or OrderType.StopLimit or OrderType.MarketToLimit && newPrice.Raw != 0
            ? newPrice.ToDecimal(decimals) : order.Price;
        var stop = order.IsPendingStop && newStopPrice.Raw != 0 ? newStopPrice.ToDecimal(decimals) : order.StopPrice;
        TradSys.Engine.Price.TryFromDecimal(price ?? 0m, decimals, out var pricedAt);
        var terms = new OrderTerms(order.ShortMarking, order.LocateId, order.UsesMargin, order.IsAdvised, order.CounterpartyLei, order.Uti,
            order.IsCleared, order.MarkupBps, order.MarkupDisclosed);
        return new(order.Id, order.ClientOrderId, order.Side, order.Type, order.TimeInForce, newQuantity.Raw - order.FilledQuantity, price, stop,
            pricedAt, terms);
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
