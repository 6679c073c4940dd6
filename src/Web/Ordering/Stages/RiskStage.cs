using System.Globalization;
using TradSys.Engine.Risk.PreTrade;
using TradSys.Rules.Packs;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The pre-trade risk stage: after validation, before the rule packs, run by the single writer so its state includes every
/// earlier order of the batch. It checks the trading statuses that apply (the firm's, the trader's, the account's: the kill
/// switches) and then each scope's limits that apply (the instrument's, the account's, its client category's, the firm's:
/// quantity, notional, price collar, open orders and notional, position, concentration in the account's portfolio, holding of the
/// issuer's shares outstanding, volume collar against the average daily volume), with the pure checks of
/// <see cref="PreTradeRisk"/>. A refusal carries a risk reason code (2xxx), a message naming the limit, its value, where it was
/// set and the order's figure, and an explanation shaped like a rule decision (pack <see cref="PackId"/>), stored with the order.
/// Last, buying power (<see cref="CashLedger"/>): a buy must be paid for by the account's cash and credit line after what its other
/// open buys reserve, a short sale must have margin for its short part.
/// </summary>
internal sealed class RiskStage(OrderBooks books, RiskControls controls, ReferenceDataCache referenceData)
{
    /// <summary>The pseudo-pack id a risk refusal's explanation names.</summary>
    public const string PackId = "risk";

    /// <summary>True: statuses, order limits and buying power are checked.</summary>
    public bool IsBuilt => true;

    /// <summary>The risk stage's verdict on a new order: null passes it on.</summary>
    public StoredDecision? Check(OrderRecord order, Account account, DateTime now) =>
        Check(order, account, order.Side, order.Quantity, order.Price, order.StopPrice, 0, now);

    /// <summary>
    /// The verdict on an order already entered as it would be, against the statuses and limits now (its own open notional left out
    /// of the account's): an amendment that raises the quantity or moves a price, or a held order about to be released to the
    /// market. Null passes it.
    /// </summary>
    public StoredDecision? CheckExisting(OrderRecord order, Account? account, long newQuantity, decimal? newPrice, DateTime now) =>
        account is null ? null : Check(order, account, order.Side, newQuantity, newPrice ?? order.Price, order.StopPrice, order.Id, now);

    private StoredDecision? Check(OrderRecord order, Account account, Side side, long quantity, decimal? price, decimal? stopPrice,
        long excludeOrderId, DateTime now)
    {
        var position = books.Aggregates.Position(account.Id, order.Symbol);
        if (Status(controls.FirmStatus, side, quantity, position, now) is { } firm)
        {
            return firm;
        }
        if (Status(controls.TraderStatus(order.UserId), side, quantity, position, now) is { } trader)
        {
            return trader;
        }
        if (Status(controls.AccountStatus(account.Id), side, quantity, position, now) is { } own)
        {
            return own;
        }
        var instrumentLimits = controls.InstrumentLimits(order.Symbol);
        var accountLimits = controls.AccountLimits(account.Id);
        var categoryLimits = controls.CategoryLimits(account.ClientCategory);
        var firmLimits = controls.FirmLimits;
        var instrument = referenceData.Get(order.Symbol);
        if (instrumentLimits is null && accountLimits is null && categoryLimits is null && firmLimits is null)
        {
            return BuyingPower(instrument, account, side, quantity, price, position, null, excludeOrderId, now);
        }
        var reference = books.LastOrReference(instrument, now).Price;
        var notional = (price ?? stopPrice ?? reference) * quantity;
        int openOrders;
        decimal openNotional;
        try
        {
            (openOrders, openNotional) = books.Aggregates.Open(account.Id, excludeOrderId);
        }
        catch (InvalidOperationException ex)
        {
            // Fail closed: open orders that cannot be valued in the credit currency (a currency without an FX rate) refuse the order.
            return Refusal(new RiskVerdict(RejectCode.MaxOpenNotionalExceeded, RiskLimitKind.MaxOpenNotional, 0, 0), "RISK.MAX_OPEN_NOTIONAL",
                "open notional", $"the order could not be checked against the open-notional limits of account {account.Id}: {ex.Message}",
                Regulation(RiskLimitKind.MaxOpenNotional), new Dictionary<string, object?>(StringComparer.Ordinal), now);
        }
        var figures = new Figures(side, quantity, price ?? 0m, notional, instrument.Row.Currency, reference, position, openOrders, openNotional,
            account.CreditCurrency);
        if (NeedsAdv(instrumentLimits) || NeedsAdv(accountLimits) || NeedsAdv(categoryLimits) || NeedsAdv(firmLimits))
        {
            var (adv, platformAdv) = books.Aggregates.AverageDailyVolume(instrument, now);
            figures = figures with { Adv = adv, PlatformAdv = platformAdv };
        }
        if (NeedsPortfolio(instrumentLimits) || NeedsPortfolio(accountLimits) || NeedsPortfolio(categoryLimits) || NeedsPortfolio(firmLimits))
        {
            try
            {
                figures = Portfolio(figures, instrument, account, now);
            }
            catch (InvalidOperationException ex)
            {
                // Fail closed: a concentration that cannot be computed (a holding without an FX rate) refuses the order.
                return Refusal(new RiskVerdict(RejectCode.ConcentrationLimitExceeded, RiskLimitKind.MaxConcentrationPct, 0, 0), "RISK.CONCENTRATION",
                    "concentration", $"the order could not be checked against the concentration limits of account {account.Id}: {ex.Message}",
                    Regulation(RiskLimitKind.MaxConcentrationPct), new Dictionary<string, object?>(StringComparer.Ordinal), now);
            }
        }
        return Limits(instrumentLimits, figures, order, now) ?? Limits(accountLimits, figures, order, now) ??
               Limits(categoryLimits, figures, order, now) ?? Limits(firmLimits, figures, order, now) ??
               BuyingPower(instrument, account, side, quantity, price, position, reference, excludeOrderId, now);
    }

    /// <summary>
    /// Buying power against what the order would use of it, in the account's base currency: a buy its cost at its limit price (a market
    /// or stop buy at the top of the day's price band), the short part of a sell <see cref="CashLedger.ShortSaleMarginRate"/> of its
    /// value; a sell of shares held uses nothing. Other open orders' reservations are already out of the buying power.
    /// </summary>
    private StoredDecision? BuyingPower(TradableInstrument instrument, Account account, Side side, long quantity, decimal? price, long position,
        decimal? reference, long excludeOrderId, DateTime now)
    {
        long shortQuantity = side == Side.Sell ? Math.Max(0, quantity - Math.Max(position, 0)) : 0;
        if (side == Side.Sell && shortQuantity == 0)
        {
            return null;
        }
        decimal required, available, reserved;
        try
        {
            var local = side == Side.Buy
                ? CashLedger.ReservePrice(instrument, price) * quantity
                : (price ?? reference ?? books.LastOrReference(instrument, now).Price) * shortQuantity * CashLedger.ShortSaleMarginRate;
            required = referenceData.Fx.Convert(local, instrument.Row.Currency, account.CreditCurrency);
            (available, reserved) = books.Cash.Parts(account.Id, account.CreditCurrency, excludeOrderId);
        }
        catch (InvalidOperationException ex)
        {
            // Fail closed: an order whose cost cannot be compared with the buying power is refused rather than passed unchecked.
            return Refusal(new RiskVerdict(RejectCode.InsufficientBuyingPower, RiskLimitKind.BuyingPower, 0, 0), "RISK.BUYING_POWER", "buying power",
                $"the order could not be checked against the buying power of account {account.Id}: {ex.Message}", BuyingPowerRegulation,
                new Dictionary<string, object?>(StringComparer.Ordinal), now);
        }
        var buyingPower = available + account.CreditLine - reserved;
        var verdict = PreTradeRisk.BuyingPower(buyingPower, required);
        if (verdict.Passed)
        {
            return null;
        }
        var ccy = account.CreditCurrency;
        var what = side == Side.Buy
            ? $"the buy would cost {M(required)} {ccy}"
            : $"the short part of the sell ({N(shortQuantity)} shares beyond the {N(Math.Max(position, 0))} held) needs {M(required)} {ccy} of margin " +
              $"({CashLedger.ShortSaleMarginRate * 100:0}% of its value)";
        var message = $"{what}, more than the buying power of account {account.Id}, {M(buyingPower)} {ccy} " +
                      $"(cash {M(available)} + credit line {M(account.CreditLine)} - reserved by open buys {M(reserved)})";
        return Refusal(verdict, "RISK.BUYING_POWER", "buying power", message, BuyingPowerRegulation,
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Account.BuyingPower"] = buyingPower, ["Account.Cash"] = available, ["Account.CreditLine"] = account.CreditLine,
                ["Account.Reserved"] = reserved, ["Account.BaseCurrency"] = ccy, ["Order.Required"] = required,
            }, now);
    }

    private static bool NeedsPortfolio(RiskLimitRecord? record) => record is not null && record.Limits.NeedsPortfolio;

    private static bool NeedsAdv(RiskLimitRecord? record) => record?.MaxAdvPct is not null;

    /// <summary>
    /// The figures the concentration limits read, in the account's base currency: its net liquidation value (cash in every currency plus
    /// every position at its mark, the day's last trade else the reference price, times the price multiplier; shorts negative), the
    /// position in the instrument after the whole order at the same mark (a trade at the mark leaves the net liquidation value as it is),
    /// and its net holding of the issuer's shares: every listing of the share (the same ISIN) together. Allocates nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">A currency held has no FX rate into the base currency.</exception>
    private Figures Portfolio(in Figures f, TradableInstrument instrument, Account account, DateTime now)
    {
        var ccy = account.CreditCurrency;
        var portfolio = books.Cash.Parts(account.Id, ccy).Available;
        long issuerHolding = 0;
        if (books.Aggregates.PositionsOf(account.Id) is { } positions)
        {
            foreach (var (symbol, quantity) in positions)
            {
                if (quantity == 0 || !referenceData.TryGet(symbol, out var held))
                {
                    continue;
                }
                portfolio += MarketValue(held, quantity, ccy, now);
                if (string.Equals(held.Row.Isin, instrument.Row.Isin, StringComparison.Ordinal))
                {
                    issuerHolding += quantity;
                }
            }
        }
        var after = f.Side == Side.Buy ? f.Position + f.Quantity : f.Position - f.Quantity;
        return f with
        {
            PositionValueAfter = Math.Abs(MarketValue(instrument, after, ccy, now)), PortfolioValue = portfolio, IssuerHolding = issuerHolding,
            SharesOutstanding = instrument.Row.IssuedShares, BaseCurrency = ccy, Isin = instrument.Row.Isin, IsDerivative = instrument.Row.IsDerivative,
        };
    }

    private decimal MarketValue(TradableInstrument instrument, long quantity, string currency, DateTime now) => quantity == 0
        ? 0m
        : referenceData.Fx.Convert(books.LastOrReference(instrument, now).Price * quantity * instrument.Row.PriceMultiplier, instrument.Row.Currency, currency);

    private const string BuyingPowerRegulation = "SEC 15c3-5(c)(1)(i) (credit thresholds); Regulation T (cash account purchases, short sale margin)";

    private static StoredDecision? Status(TradingStatusRecord? status, Side side, long quantity, long position, DateTime now)
    {
        if (status is null || status.Status == TradingStatus.Active)
        {
            return null;
        }
        var verdict = PreTradeRisk.Status(status.Status, side, quantity, position);
        if (verdict.Passed)
        {
            return null;
        }
        var who = ScopeText(status.Scope, status.Key);
        var message = verdict.Code == RejectCode.TradingHalted
            ? $"trading is halted for {who} ({status.Reason}; set by {status.SetBy}): new orders are refused, cancels still pass"
            : $"{who} may only reduce positions ({status.Reason}; set by {status.SetBy}): the position is {position} and a " +
              $"{side.ToString().ToLowerInvariant()} of {quantity} would not bring it closer to flat";
        return Refusal(verdict, "RISK.TRADING_STATUS", $"status {status.Status} since {status.SetAt:yyyy-MM-ddTHH:mm:ssZ}", message,
            "MiFID II RTS 6 Art. 12 (kill functionality); SEC 15c3-5(c)(1)",
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Status.Scope"] = who, ["Status.Value"] = status.Status.ToString(), ["Status.Reason"] = status.Reason,
                ["Order.Side"] = side.ToString(), ["Order.Quantity"] = quantity, ["Account.Position"] = position,
            }, now);
    }

    private StoredDecision? Limits(RiskLimitRecord? record, in Figures f, OrderRecord order, DateTime now)
    {
        if (record is null)
        {
            return null;
        }
        var limits = record.Limits;
        decimal notional, openNotional;
        try
        {
            notional = limits.MaxOrderNotional is null && limits.MaxOpenNotional is null ? 0 : referenceData.Fx.Convert(f.Notional, f.Currency, record.Currency);
            openNotional = limits.MaxOpenNotional is null ? 0 : referenceData.Fx.Convert(f.OpenNotional, f.OpenCurrency, record.Currency);
        }
        catch (InvalidOperationException ex)
        {
            // Fail closed: a money limit that cannot be compared refuses the order rather than pass it unchecked.
            return Refusal(new RiskVerdict(RejectCode.MaxOrderNotionalExceeded, RiskLimitKind.MaxOrderNotional, limits.MaxOrderNotional ?? 0, f.Notional),
                "RISK.MAX_ORDER_NOTIONAL", $"limits v{record.Version}",
                $"the order could not be checked against the money limits set for {ScopeText(record.Scope, record.Key)}: {ex.Message}",
                Regulation(RiskLimitKind.MaxOrderNotional), new Dictionary<string, object?>(StringComparer.Ordinal), now);
        }
        if (f.IsDerivative)
        {
            // A derivative is no share of its issuer: the issuer holding limit is for the shares (every listing of them) alone.
            limits = limits with { MaxIssuerHoldingPct = null };
        }
        var verdict = PreTradeRisk.Limits(limits, new PreTradeOrder(f.Side, f.Quantity, f.LimitPrice, notional, f.Reference, f.Position, f.OpenOrders,
            openNotional, f.PositionValueAfter, f.PortfolioValue, f.IssuerHolding, f.SharesOutstanding, f.Adv));
        if (verdict.Passed)
        {
            return null;
        }
        var who = ScopeText(record.Scope, record.Key);
        var ccy = record.Currency;
        var message = verdict.Limit switch
        {
            RiskLimitKind.MaxOrderQuantity => $"the order's quantity {N(verdict.OrderValue)} is above the maximum order quantity {N(verdict.LimitValue)} set for {who}",
            RiskLimitKind.MaxOrderNotional => $"the order's notional {M(verdict.OrderValue)} {ccy} is above the maximum order notional {M(verdict.LimitValue)} {ccy} set for {who}",
            RiskLimitKind.PriceCollarPct => $"the price {f.LimitPrice.ToString(CultureInfo.InvariantCulture)} is {verdict.OrderValue.ToString("0.####", CultureInfo.InvariantCulture)}% " +
                                            $"from the reference price {f.Reference.ToString(CultureInfo.InvariantCulture)}, beyond the {verdict.LimitValue.ToString(CultureInfo.InvariantCulture)}% price collar set for {who}",
            RiskLimitKind.MaxOpenOrders => $"the account would have {N(verdict.OrderValue)} working orders, above the maximum of {N(verdict.LimitValue)} set for {who}",
            RiskLimitKind.MaxOpenNotional => $"the account's working orders would total {M(verdict.OrderValue)} {ccy}, above the maximum open notional {M(verdict.LimitValue)} {ccy} set for {who}",
            RiskLimitKind.MaxLongPosition => $"the position in {order.Symbol} would be {N(verdict.OrderValue)} long, beyond the maximum long position {N(verdict.LimitValue)} set for {who}",
            RiskLimitKind.MaxConcentrationPct when f.PortfolioValue <= 0 =>
                $"the position in {order.Symbol} would be worth {M(f.PositionValueAfter)} {f.BaseCurrency} while the portfolio value of account {order.AccountId} " +
                $"is {M(f.PortfolioValue)} {f.BaseCurrency}, so it would be above any share, beyond the maximum concentration {P(verdict.LimitValue)}% set for {who}",
            RiskLimitKind.MaxConcentrationPct =>
                $"the position in {order.Symbol} would be {P(verdict.OrderValue)}% of the portfolio value of account {order.AccountId} " +
                $"({M(f.PositionValueAfter)} of {M(f.PortfolioValue)} {f.BaseCurrency}), above the maximum concentration {P(verdict.LimitValue)}% set for {who}",
            RiskLimitKind.MaxAdvPct when f.Adv <= 0 =>
                $"{order.Symbol} has no average daily volume (no trades on the platform in the last {RuleAggregates.AdvDays} trading days of its venue and " +
                $"none in the reference data), so the order cannot be checked against the volume collar {P(verdict.LimitValue)}% set for {who}",
            RiskLimitKind.MaxAdvPct =>
                $"the order's quantity {N(f.Quantity)} is {P(verdict.OrderValue)}% of the average daily volume of {order.Symbol}, {N(f.Adv)} shares " +
                $"({(f.Adv == f.PlatformAdv ? $"the platform's trades over the last {RuleAggregates.AdvDays} trading days" : "the venue's figure in the reference data")}), " +
                $"above the volume collar {P(verdict.LimitValue)}% set for {who}",
            RiskLimitKind.MaxIssuerHoldingPct when f.SharesOutstanding <= 0 =>
                $"the shares outstanding of the issuer of {order.Symbol} (ISIN {f.Isin}) are not in the reference data, so the account's holding cannot be " +
                $"checked against the maximum issuer holding {P(verdict.LimitValue)}% set for {who}",
            RiskLimitKind.MaxIssuerHoldingPct =>
                $"account {order.AccountId} would hold {N(Math.Abs(IssuerAfter(f)))} shares {(IssuerAfter(f) < 0 ? "short " : "")}of the issuer of {order.Symbol} " +
                $"(ISIN {f.Isin}, every listing), {P(verdict.OrderValue)}% of its {N(f.SharesOutstanding)} shares outstanding, above the maximum issuer " +
                $"holding {P(verdict.LimitValue)}% set for {who}",
            _ => $"the position in {order.Symbol} would be {N(verdict.OrderValue)} short, beyond the maximum short position {N(verdict.LimitValue)} set for {who}",
        };
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Limit.Scope"] = who, ["Limit.Name"] = verdict.Limit.ToString(), ["Limit.Value"] = verdict.LimitValue, ["Limit.Version"] = record.Version,
            ["Order.Value"] = verdict.OrderValue,
        };
        if (verdict.Limit is RiskLimitKind.MaxOrderNotional or RiskLimitKind.MaxOpenNotional)
        {
            inputs["Limit.Currency"] = ccy;
        }
        if (verdict.Limit == RiskLimitKind.MaxConcentrationPct)
        {
            inputs["Position.ValueAfter"] = f.PositionValueAfter;
            inputs["Account.PortfolioValue"] = f.PortfolioValue;
            inputs["Account.BaseCurrency"] = f.BaseCurrency;
        }
        if (verdict.Limit == RiskLimitKind.MaxAdvPct)
        {
            inputs["Market.AverageDailyVolume"] = f.Adv;
            inputs["Market.PlatformAverageDailyVolume"] = f.PlatformAdv;
            inputs["Market.AdvDays"] = RuleAggregates.AdvDays;
        }
        if (verdict.Limit == RiskLimitKind.MaxIssuerHoldingPct)
        {
            inputs["Instrument.Isin"] = f.Isin;
            inputs["Issuer.SharesOutstanding"] = f.SharesOutstanding;
            inputs["Account.IssuerHoldingAfter"] = IssuerAfter(f);
        }
        if (verdict.Limit == RiskLimitKind.PriceCollarPct)
        {
            inputs["Order.Price"] = f.LimitPrice;
            inputs["Market.ReferencePrice"] = f.Reference;
        }
        return Refusal(verdict, RuleId(verdict.Limit), $"limits v{record.Version}", message, Regulation(verdict.Limit), inputs, now);
    }

    private static StoredDecision Refusal(RiskVerdict verdict, string ruleId, string version, string message, string regulation,
        Dictionary<string, object?> inputs, DateTime now) =>
        new(nameof(RuleOutcome.Block), now, [new StoredPack(PackId, version)],
            [new StoredRule(PackId, version, ruleId, nameof(RuleOutcome.Block), ((int)verdict.Code).ToString(CultureInfo.InvariantCulture), message, regulation, inputs)],
            null);

    /// <summary>The risk reason code of a refusal made by this stage.</summary>
    public static RejectCode CodeOf(StoredDecision refusal) =>
        (RejectCode)int.Parse(refusal.Rules[0].ReasonCode, CultureInfo.InvariantCulture);

    private static string RuleId(RiskLimitKind limit) => limit switch
    {
        RiskLimitKind.MaxOrderQuantity => "RISK.MAX_ORDER_QUANTITY",
        RiskLimitKind.MaxOrderNotional => "RISK.MAX_ORDER_NOTIONAL",
        RiskLimitKind.PriceCollarPct => "RISK.PRICE_COLLAR",
        RiskLimitKind.MaxOpenOrders => "RISK.MAX_OPEN_ORDERS",
        RiskLimitKind.MaxOpenNotional => "RISK.MAX_OPEN_NOTIONAL",
        RiskLimitKind.MaxLongPosition => "RISK.MAX_LONG_POSITION",
        RiskLimitKind.MaxConcentrationPct => "RISK.CONCENTRATION",
        RiskLimitKind.MaxIssuerHoldingPct => "RISK.ISSUER_HOLDING",
        RiskLimitKind.MaxAdvPct => "RISK.ADV_COLLAR",
        _ => "RISK.MAX_SHORT_POSITION",
    };

    private static string Regulation(RiskLimitKind limit) => limit switch
    {
        RiskLimitKind.MaxOpenNotional => "SEC 15c3-5(c)(1)(i) (credit thresholds); MiFID II RTS 6 Art. 17",
        RiskLimitKind.MaxLongPosition or RiskLimitKind.MaxShortPosition => "firm position limits; MiFID II RTS 6 Art. 17",
        RiskLimitKind.MaxConcentrationPct => "firm concentration limits (share of the client's portfolio); MiFID II RTS 6 Art. 17",
        RiskLimitKind.MaxIssuerHoldingPct => "firm issuer concentration limits; substantial holding thresholds (SCA 5%; SEC 13(d) 5%); EU SSR 236/2012 Arts 5-6",
        _ => "SEC 15c3-5(c)(1)(ii) (erroneous orders); MiFID II RTS 6 Art. 15 (pre-trade controls)",
    };

    public static string ScopeText(RiskScope scope, string key) => scope switch
    {
        RiskScope.Firm => "the firm",
        RiskScope.Trader => $"trader {key}",
        RiskScope.Account => $"account {key}",
        RiskScope.ClientCategory => $"client category {key}",
        _ => $"instrument {key}",
    };

    private static string N(decimal value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string M(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string P(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    private static long IssuerAfter(in Figures f) => f.Side == Side.Buy ? f.IssuerHolding + f.Quantity : f.IssuerHolding - f.Quantity;

    /// <summary>The order's figures, in its instrument's currency (notional, price) and the account's credit currency (open notional).
    /// The portfolio figures (in <c>BaseCurrency</c>) are filled in only when a concentration limit applies (<see cref="Portfolio"/>).</summary>
    private readonly record struct Figures(Side Side, long Quantity, decimal LimitPrice, decimal Notional, string Currency, decimal Reference,
        long Position, int OpenOrders, decimal OpenNotional, string OpenCurrency, decimal PositionValueAfter = 0m, decimal PortfolioValue = 0m,
        long IssuerHolding = 0, long SharesOutstanding = 0, string BaseCurrency = "", string Isin = "", bool IsDerivative = false, long Adv = 0,
        long PlatformAdv = 0);
}
