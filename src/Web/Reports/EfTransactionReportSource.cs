using Microsoft.EntityFrameworkCore;
using TradSys.Reporting.TransactionReporting;
using TradSys.Web.Persistence;

namespace TradSys.Web.Reports;

/// <summary>
/// The transaction reports' port over the database: the day's trades (the business day's half-open UTC interval, as
/// <see cref="EfReportDataSource.Day"/>) with their venue, instrument, orders, accounts and the users who entered the orders.
/// </summary>
public sealed class EfTransactionReportSource(TradSysDbContext db) : ITransactionReportSource
{
    public async Task<TransactionDay> GetTransactionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken)
    {
        var (from, to) = EfReportDataSource.Day(businessDate, timeZone);
        var trades = await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= from && t.ExecutedAt < to).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var symbols = trades.Select(t => t.Symbol).Distinct().ToList();
        var instruments = await db.Instruments.AsNoTracking().Where(i => symbols.Contains(i.Symbol)).ToDictionaryAsync(i => i.Symbol, cancellationToken);
        var venueCodes = instruments.Values.Select(i => i.VenueCode).Distinct().ToList();
        var venues = await db.Venues.AsNoTracking().Where(v => venueCodes.Contains(v.Code)).ToDictionaryAsync(v => v.Code, cancellationToken);
        var orderIds = trades.SelectMany(t => new[] { t.BuyOrderId, t.SellOrderId }).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var accountIds = orders.Values.Select(o => o.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var userIds = orders.Values.Select(o => o.UserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);

        TradeSide Side(long orderId, string symbol)
        {
            var o = orders[orderId];
            var a = accounts[o.AccountId];
            var u = users[o.UserId];
            return new TradeSide(o.Id,
                new ReportingAccount(a.Id, a.Name, a.IsLegalEntity, a.Lei,
                    new PersonDetails(a.FirstName, a.Surname, a.BirthDate, a.Nationality, a.NationalId, a.PassportNumber), a.MifidBranch,
                    a.EmirClass.ToString(), a.Jurisdiction.ToString()),
                new ReportingUser(u.Id, u.UserName, new PersonDetails(u.FirstName, u.Surname, u.BirthDate, u.Nationality, u.NationalId, u.PassportNumber),
                    u.AlgoId),
                o.ShortMarking.ToString(), o.IsAdvised, a.BorrowedShares.Any(b => string.Equals(b.Symbol, BaseSymbol(symbol), StringComparison.Ordinal) && b.Quantity > 0),
                o.IsCleared);
        }

        return new TransactionDay(businessDate, timeZone,
        [
            .. trades.Select(t =>
            {
                var i = instruments[t.Symbol];
                var v = venues[i.VenueCode];
                return new ReportedTrade(t.Id, t.ExecutedAt, new VenueReference(v.Code, v.Mic, v.Country, v.IsEea, v.TimestampDecimals),
                    new InstrumentReference(i.Symbol, i.Isin, i.Name, i.TradedOnEuVenue, i.IsDerivative, i.IsOtc, i.AssetClass.ToString(), i.UnderlyingIsin,
                        i.ExpiresOn, i.PriceMultiplier),
                    t.Price, t.Quantity, t.Currency, Side(t.BuyOrderId, t.Symbol), Side(t.SellOrderId, t.Symbol));
            }),
        ]);
    }

    /// <summary>Borrowed shares are recorded by listing symbol; an internal line (FAB.INT) delivers the same shares.</summary>
    private static string BaseSymbol(string symbol) => symbol.EndsWith(".INT", StringComparison.Ordinal) ? symbol[..^4] : symbol;
}

/// <summary>
/// The firm's identity for the transaction reports, from <c>Reporting:FirmLei</c> and <c>Reporting:MifidBranches</c>, checked once at
/// start-up. An invalid LEI does not stop trading: it is logged at start-up and every MiFIR / EMIR run fails with the same message.
/// </summary>
public sealed class TransactionReportingSettings(ReportingFirm firm)
{
    public ReportingFirm Firm => firm;
    public string? Problem => firm.Problem;

    public static TransactionReportingSettings From(IConfiguration configuration) =>
        new(new ReportingFirm(configuration["Reporting:FirmLei"], configuration.GetSection("Reporting:MifidBranches").Get<string[]>() ?? []));
}
