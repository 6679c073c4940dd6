using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Engine.Risk.Exposure;
using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Ordering.Stages;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// Live exposure and limit utilisation under /api/v1/risk/exposure: the positions of one account (or of every account the caller may
/// read: the firm for risk officers, admins, compliance, regulators and viewers; their own for a trader), marked at the day's last trade
/// (or the reference price), converted into one reporting currency and broken down gross and net, long and short, by instrument, sector,
/// issuer, currency and venue; then every limit in force that applies to those accounts with how much of it is used (positions, working
/// orders, open notional, buying power), nearest the limit first. Read in one moment of the single writer (<see cref="ExposureQuery"/>).
/// </summary>
public static class RiskExposureApi
{
    /// <summary>At most this many accounts in one firm-wide read (the writer reads them in one command).</summary>
    public const int MaxAccounts = 5_000;

    public static RouteGroupBuilder MapRiskExposure(this RouteGroupBuilder api)
    {
        api.MapGet("/exposure", ExposureAsync).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.Read).Produces<ExposureResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetExposure").WithSummary("Live exposure and limit utilisation").WithDescription(
                "Filters: accountId (one account; otherwise every account the caller may read), currency (the reporting currency, an ISO 4217 " +
                "code with a platform FX rate; default the account's base currency, or USD for several accounts). Positions are marked at the " +
                "day's last trade, else the reference price, times the price multiplier. Exposure: long, short (as a positive amount), gross and " +
                "net, in total and by instrument, sector, issuer (the share's ISIN, so two listings of one share are one issuer), currency and " +
                "venue, largest gross first. Utilisation: each limit in force that applies (instrument, account, client category, firm) against " +
                "the position, the working orders and their notional, and the buying power used by open buys, in percent, highest first. A VaR " +
                "limit (MaxVar) shows the account's VaR as the risk alert monitor last computed it (historical simulation, 1 day, 99%, in the " +
                "limit's currency), with its asOf time and method; a VaR limit the monitor has no figure for yet is named in problems.");
        return api;
    }

    private static async Task<IResult> ExposureAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
        ReferenceDataCache referenceData, MarketClock clock, RiskAlertMonitor monitor)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var accountId = q.Long("accountId");
        var currencyText = q.String("currency", 3)?.Trim().ToUpperInvariant();
        if (accountId is <= 0)
        {
            q.Add("accountId", $"'{accountId}' must be a positive account id");
        }
        if (currencyText is not null && !referenceData.Fx.Has(currencyText))
        {
            q.Add("currency", $"'{currencyText}' has no platform FX rate (known: " +
                              $"{referenceData.Fx.Known})");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var caller = Caller.From(user);
        var (rows, refused) = await ReadableAccountsAsync(caller, db, accountId, ct);
        if (refused is not null)
        {
            return refused;
        }
        var currency = currencyText ?? (rows.Count == 1 ? rows[0].CreditCurrency : "USD");
        var (result, unavailable) = await writer.TrySendAsync(new ExposureQuery(caller.UserName, rows), ct);
        if (unavailable is not null)
        {
            return unavailable;
        }
        var states = (IReadOnlyList<AccountRiskState>)result!.Risk!;
        return TypedResults.Ok(Build(states, currency, accountId, writer.RiskControls, referenceData, clock.UtcNow, monitor.LastVar));
    }

    /// <summary>
    /// The accounts a read covers: <paramref name="accountId"/> alone (403 when the caller may not read it, 404 when there is no such
    /// account), or every account the caller may read (the firm, or a trader's own), at most <see cref="MaxAccounts"/>.
    /// </summary>
    internal static async Task<(List<TradSys.Web.Persistence.Entities.Account> Rows, IResult? Problem)> ReadableAccountsAsync(Caller caller,
        TradSysDbContext db, long? accountId, CancellationToken ct)
    {
        var readable = await caller.ReadableAccountsAsync(db, ct);
        var accounts = db.Accounts.AsNoTracking();
        if (accountId is { } id)
        {
            if (readable is not null && !readable.Contains(id))
            {
                return ([], Problems.NotYourAccount(id));
            }
            accounts = accounts.Where(a => a.Id == id);
        }
        else if (readable is not null)
        {
            accounts = accounts.Where(a => readable.Contains(a.Id));
        }
        var rows = await accounts.OrderBy(a => a.Id).Take(MaxAccounts + 1).ToListAsync(ct);
        if (accountId is { } missing && rows.Count == 0)
        {
            return (rows, Problems.NotFound($"there is no account {missing}"));
        }
        if (rows.Count > MaxAccounts)
        {
            return (rows, Problems.Invalid("accountId", $"more than {MaxAccounts} accounts: ask for one account at a time"));
        }
        return (rows, null);
    }

    private static ExposureResponse Build(IReadOnlyList<AccountRiskState> states, string currency, long? accountId, RiskControlsView controls,
        ReferenceDataCache referenceData, DateTime asOf, VarLimitFigures? lastVar)
    {
        var positions = new List<ExposurePosition>();
        var lines = new List<ExposurePositionResponse>();
        var problems = new List<string>();
        foreach (var state in states)
        {
            foreach (var p in state.Positions)
            {
                var instrument = referenceData.Get(p.Symbol);
                var local = p.Quantity * p.Price * instrument.Row.PriceMultiplier;
                decimal value;
                try
                {
                    value = referenceData.Fx.Convert(local, instrument.Row.Currency, currency);
                }
                catch (InvalidOperationException ex)
                {
                    problems.Add($"account {state.Account.Id}, {p.Symbol}: {ex.Message}; left out of the exposure");
                    continue;
                }
                var issuer = instrument.Row.IsDerivative && instrument.Row.UnderlyingIsin is { } underlying ? underlying : instrument.Row.Isin;
                positions.Add(new ExposurePosition(p.Symbol, instrument.Row.Sector, issuer, instrument.Row.Currency, instrument.VenueRow.Code, value));
                lines.Add(new ExposurePositionResponse(state.Account.Id, p.Symbol, p.Quantity, Exact.Trim(p.Price), p.PriceSource, instrument.Row.Currency,
                    Exact.Trim(local), Money(value)));
            }
            if (state.Cash is null)
            {
                problems.Add($"account {state.Account.Id}: a currency of its cash has no FX rate into {state.Account.CreditCurrency}; buying power left out");
            }
        }
        var utilisation = Utilisation(states, controls, referenceData, problems);
        var varRows = VarUtilisation(states, controls, lastVar, problems);
        return new ExposureResponse(currency, accountId, asOf, Row(ExposureReport.Total(positions)),
            By(positions, ExposureDimension.Instrument), By(positions, ExposureDimension.Sector), By(positions, ExposureDimension.Issuer),
            By(positions, ExposureDimension.Currency), By(positions, ExposureDimension.Venue), lines,
            varRows.Count == 0 ? utilisation : Sort(utilisation.Concat(varRows)), problems);
    }

    /// <summary>
    /// The VaR limits' use for these accounts: the risk alert monitor's last figures (<see cref="RiskAlertMonitor.LastVar"/>), each row
    /// with its as-of time and method. A VaR limit in force for an account the monitor has no figure for (it has not computed VaR since
    /// the start or since the limit was set, or could not) is named in the problems rather than shown as zero.
    /// </summary>
    private static List<UtilisationResponse> VarUtilisation(IReadOnlyList<AccountRiskState> states, RiskControlsView controls, VarLimitFigures? lastVar,
        List<string> problems)
    {
        var rows = new List<UtilisationResponse>();
        foreach (var state in states)
        {
            var account = state.Account;
            var id = account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var limit in controls.Limits.Where(l => l.MaxVar is not null && (l.Scope == RiskScope.Firm ||
                         (l.Scope == RiskScope.Account && l.Key == id) || (l.Scope == RiskScope.ClientCategory && l.Key == account.ClientCategory.ToString()))))
            {
                var scope = RiskStage.ScopeText(limit.Scope, limit.Key);
                var row = lastVar?.Rows.FirstOrDefault(r => r.AccountId == account.Id && r.Scope == scope && r.Version == limit.Version);
                if (row is not null)
                {
                    rows.Add(row);
                }
                else if (lastVar is not null && lastVar.Undetermined.Contains((account.Id, scope)))
                {
                    problems.Add($"account {account.Id}, {VarLimitCheck.Limit} set for {scope}: its VaR could not be computed at " +
                                 $"{lastVar.AsOf:yyyy-MM-dd HH:mm:ss} UTC (too little price history in common, or no FX rate into {limit.Currency})");
                }
                else
                {
                    problems.Add($"account {account.Id}, {VarLimitCheck.Limit} set for {scope} (version {limit.Version}): the risk alert monitor has " +
                                 $"not computed its VaR against this limit yet{(lastVar is null ? "" : $" (last VaR computation {lastVar.AsOf:yyyy-MM-dd HH:mm:ss} UTC)")}");
                }
            }
        }
        return rows;
    }

    private static List<UtilisationResponse> Sort(IEnumerable<UtilisationResponse> rows) =>
        [.. rows.OrderByDescending(r => r.UtilisationPct ?? -1m).ThenBy(r => r.AccountId).ThenBy(r => r.Limit, StringComparer.Ordinal)];

    private static IReadOnlyList<ExposureRowResponse> By(List<ExposurePosition> positions, ExposureDimension dimension) =>
        [.. ExposureReport.By(positions, dimension).Select(Row)];

    private static ExposureRowResponse Row(ExposureRow r) => new(r.Key, Money(r.Long), Money(r.Short), Money(r.Gross), Money(r.Net));

    private static decimal Money(decimal value) => Exact.Trim(decimal.Round(value, 2));

    /// <summary>Every limit in force that applies to the accounts, against what each uses of it, highest utilisation first.</summary>
    internal static IReadOnlyList<UtilisationResponse> Utilisation(IReadOnlyList<AccountRiskState> states, RiskControlsView controls,
        ReferenceDataCache referenceData, List<string> problems)
    {
        var rows = new List<UtilisationResponse>();
        foreach (var state in states)
        {
            var account = state.Account;
            var applicable = controls.Limits.Where(l =>
                l.Scope == RiskScope.Firm ||
                (l.Scope == RiskScope.Account && l.Key == account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) ||
                (l.Scope == RiskScope.ClientCategory && l.Key == account.ClientCategory.ToString()) ||
                (l.Scope == RiskScope.Instrument && state.Positions.Any(p => p.Symbol == l.Key)));
            var holdings = Holdings.Of(state, referenceData, problems);
            foreach (var limit in applicable)
            {
                var scope = RiskStage.ScopeText(limit.Scope, limit.Key);
                Concentration(rows, account.Id, limit, scope, holdings);
                foreach (var p in state.Positions.Where(p => limit.Scope != RiskScope.Instrument || p.Symbol == limit.Key))
                {
                    if (p.Quantity > 0 && limit.MaxLongPosition is { } maxLong)
                    {
                        rows.Add(Use(account.Id, p.Symbol, nameof(RiskLimits.MaxLongPosition), scope, limit.Version, maxLong, p.Quantity, "shares"));
                    }
                    if (p.Quantity < 0 && limit.MaxShortPosition is { } maxShort)
                    {
                        rows.Add(Use(account.Id, p.Symbol, nameof(RiskLimits.MaxShortPosition), scope, limit.Version, maxShort, -p.Quantity, "shares"));
                    }
                }
                if (limit.MaxOpenOrders is { } maxOrders && limit.Scope != RiskScope.Instrument)
                {
                    rows.Add(Use(account.Id, null, nameof(RiskLimits.MaxOpenOrders), scope, limit.Version, maxOrders, state.OpenOrders, "orders"));
                }
                if (limit.MaxOpenNotional is { } maxNotional && limit.Scope != RiskScope.Instrument)
                {
                    try
                    {
                        var used = referenceData.Fx.Convert(state.OpenNotional, account.CreditCurrency, limit.Currency);
                        rows.Add(Use(account.Id, null, nameof(RiskLimits.MaxOpenNotional), scope, limit.Version, maxNotional, Money(used), limit.Currency));
                    }
                    catch (InvalidOperationException ex)
                    {
                        problems.Add($"account {account.Id}, open notional against {scope}: {ex.Message}");
                    }
                }
            }
            if (state.Cash is { } cash)
            {
                // Buying power: what open buys reserve out of the cash and credit line.
                rows.Add(Use(account.Id, null, "BuyingPower", $"account {account.Id}", null, Money(cash + account.CreditLine), Money(state.Reserved),
                    account.CreditCurrency));
            }
        }
        return [.. rows.OrderByDescending(r => r.UtilisationPct ?? -1m).ThenBy(r => r.AccountId).ThenBy(r => r.Limit, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The concentration limits' use, as the pre-trade stage measures them after an order: each position's share of the account's
    /// portfolio value (maxConcentrationPct), and the account's net holding of an issuer's shares, every listing of the same ISIN
    /// together, against its shares outstanding (maxIssuerHoldingPct; derivatives are no share of their issuer). An instrument
    /// limit counts its own instrument only. maxAdvPct bounds each order against the average daily volume and has no standing use.
    /// </summary>
    private static void Concentration(List<UtilisationResponse> rows, long accountId, Persistence.Entities.RiskLimitRecord limit, string scope, Holdings holdings)
    {
        if (limit.MaxConcentrationPct is { } maxShare && holdings.PortfolioValue is { } portfolio)
        {
            foreach (var (symbol, value) in holdings.Values.Where(v => limit.Scope != RiskScope.Instrument || v.Symbol == limit.Key))
            {
                // A portfolio worth nothing or less: any position is above any share (the pre-trade stage refuses the same way).
                var share = portfolio > 0 ? Math.Abs(value) / portfolio * 100m : decimal.MaxValue;
                rows.Add(share == decimal.MaxValue
                    ? new UtilisationResponse(accountId, symbol, nameof(RiskLimits.MaxConcentrationPct), scope, limit.Version, Exact.Trim(maxShare),
                        Money(Math.Abs(value)), "% of portfolio value", null, true, true)
                    : Use(accountId, symbol, nameof(RiskLimits.MaxConcentrationPct), scope, limit.Version, maxShare, Percent(share), "% of portfolio value"));
            }
        }
        if (limit.MaxIssuerHoldingPct is { } maxHolding)
        {
            foreach (var issuer in holdings.Issuers.Where(i => limit.Scope != RiskScope.Instrument || i.Symbols.Contains(limit.Key)))
            {
                if (issuer.SharesOutstanding > 0)
                {
                    rows.Add(Use(accountId, string.Join("+", issuer.Symbols), nameof(RiskLimits.MaxIssuerHoldingPct), scope, limit.Version, maxHolding,
                        Percent(Math.Abs((decimal)issuer.Quantity) / issuer.SharesOutstanding * 100m), "% of shares outstanding"));
                }
            }
        }
    }

    // Ten places: an issuer holding is a tiny share of the shares outstanding (300 of 3,000,000,000 is 0.00001%).
    private static decimal Percent(decimal value) => Exact.Trim(decimal.Round(value, 10));

    /// <summary>One account's holdings as the concentration limits read them, in its base currency.</summary>
    private sealed record Holdings(decimal? PortfolioValue, IReadOnlyList<(string Symbol, decimal Value)> Values, IReadOnlyList<IssuerHolding> Issuers)
    {
        public static Holdings Of(AccountRiskState state, ReferenceDataCache referenceData, List<string> problems)
        {
            var ccy = state.Account.CreditCurrency;
            decimal? portfolio = state.Cash;
            var values = new List<(string, decimal)>();
            var issuers = new Dictionary<string, IssuerHolding>(StringComparer.Ordinal);
            foreach (var p in state.Positions.Where(p => p.Quantity != 0))
            {
                if (!referenceData.TryGet(p.Symbol, out var instrument))
                {
                    continue;
                }
                try
                {
                    var value = referenceData.Fx.Convert(p.Quantity * p.Price * instrument.Row.PriceMultiplier, instrument.Row.Currency, ccy);
                    values.Add((p.Symbol, value));
                    portfolio += value;
                }
                catch (InvalidOperationException ex)
                {
                    problems.Add($"account {state.Account.Id}, {p.Symbol}: {ex.Message}; its concentration is left out");
                    portfolio = null;
                }
                if (!instrument.Row.IsDerivative)
                {
                    var held = issuers.GetValueOrDefault(instrument.Row.Isin) ?? new IssuerHolding([], 0, instrument.Row.IssuedShares);
                    issuers[instrument.Row.Isin] = held with { Symbols = [.. held.Symbols, p.Symbol], Quantity = held.Quantity + p.Quantity };
                }
            }
            return new Holdings(portfolio, values, [.. issuers.Values]);
        }
    }

    /// <summary>An account's net holding of one issuer's shares: every listing of the ISIN it holds, together.</summary>
    private sealed record IssuerHolding(IReadOnlyList<string> Symbols, long Quantity, long SharesOutstanding);

    internal static UtilisationResponse Use(long accountId, string? symbol, string limit, string scope, int? version, decimal limitValue, decimal used,
        string unit)
    {
        var pct = ExposureReport.Utilisation(used, limitValue);
        return new UtilisationResponse(accountId, symbol, limit, scope, version, Exact.Trim(limitValue), Exact.Trim(used), unit,
            pct == decimal.MaxValue ? null : pct, pct is >= 100m, pct is >= 80m);
    }
}

/// <summary>One row of an exposure breakdown, in the reporting currency; short as a positive amount.</summary>
public sealed record ExposureRowResponse(string Key, decimal Long, decimal Short, decimal Gross, decimal Net);

/// <summary>One position behind the exposure: its mark, its market value in its own currency and in the reporting currency.</summary>
public sealed record ExposurePositionResponse(long AccountId, string Symbol, long Quantity, decimal Price, string PriceSource, string Currency,
    decimal MarketValue, decimal Value);

/// <summary>
/// How much of one limit an account uses: the limit (name, where it is set, its version), its value and the amount used in
/// <see cref="Unit"/>, the percentage (null for a zero limit with use), and whether it is breached (100% or more) or near (80% or more).
/// A VaR limit (MaxVar) is not live: its figure is the VaR the risk alert monitor last computed, as of <see cref="AsOf"/>, by
/// <see cref="Method"/> (both null on every other limit, which is read at the moment of the response).
/// </summary>
public sealed record UtilisationResponse(long AccountId, string? Symbol, string Limit, string Scope, int? Version, decimal LimitValue, decimal Used,
    string Unit, decimal? UtilisationPct, bool Breached, bool Near, DateTime? AsOf = null, string? Method = null);

/// <summary>Exposure and utilisation of one account or of every account the caller may read, at one moment.</summary>
public sealed record ExposureResponse(string Currency, long? AccountId, DateTime AsOf, ExposureRowResponse Total,
    IReadOnlyList<ExposureRowResponse> ByInstrument, IReadOnlyList<ExposureRowResponse> BySector, IReadOnlyList<ExposureRowResponse> ByIssuer,
    IReadOnlyList<ExposureRowResponse> ByCurrency, IReadOnlyList<ExposureRowResponse> ByVenue, IReadOnlyList<ExposurePositionResponse> Positions,
    IReadOnlyList<UtilisationResponse> Utilisation, IReadOnlyList<string> Problems);
