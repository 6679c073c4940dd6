using System.Globalization;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// The single writer's handling of deposits, withdrawals and cash reads: in sequence with the orders, so a deposit counts for the very
/// next order and a withdrawal is checked against the buying power that every earlier order left. The API has validated the
/// request's fields before sending it.
/// </summary>
internal sealed class CashCommands(OrderBooks books, TradSys.Web.ReferenceData.ReferenceDataCache referenceData)
{
    public SequencerResult Book(BookCashCommand c, WriterBatch batch)
    {
        var account = c.Account;
        var cash = books.Cash;
        if (cash.HasReference(account.Id, c.Reference))
        {
            return Refused($"the payment reference '{c.Reference}' is already booked on account {account.Id}: a payment is booked once");
        }
        if (c.Amount < 0)
        {
            var amount = -c.Amount;
            var settled = cash.Settled(account.Id, c.Currency, batch.Now);
            if (amount > settled)
            {
                return Refused($"the withdrawal of {M(amount)} {c.Currency} is more than the settled {c.Currency} cash of account {account.Id}, " +
                               $"{M(settled)} {c.Currency} (sale proceeds can be withdrawn once they settle)");
            }
            decimal buyingPower, inBase;
            try
            {
                buyingPower = cash.BuyingPower(account.Id, account.CreditCurrency, account.CreditLine);
                inBase = referenceData.Fx.Convert(amount, c.Currency, account.CreditCurrency);
            }
            catch (InvalidOperationException ex)
            {
                return Refused($"the withdrawal could not be checked against the buying power of account {account.Id}: {ex.Message}");
            }
            if (inBase > buyingPower - account.CreditLine)
            {
                return Refused($"the withdrawal of {M(amount)} {c.Currency} ({M(inBase)} {account.CreditCurrency}) would leave account {account.Id} " +
                               $"less cash than its open buys reserve: its buying power without the credit line is {M(buyingPower - account.CreditLine)} {account.CreditCurrency}");
            }
        }
        var row = new CashMovement
        {
            AccountId = account.Id, Currency = c.Currency, Amount = c.Amount, Kind = c.Amount > 0 ? CashMovementKind.Deposit : CashMovementKind.Withdrawal,
            Reference = c.Reference, Reason = c.Reason, EnteredBy = c.Actor, EnteredAt = batch.Now,
        };
        cash.Book(row, account.CreditCurrency);
        batch.Record(c.Actor, row.Kind == CashMovementKind.Deposit ? "account.cash_deposited" : "account.cash_withdrawn", $"account/{account.Id}", new
        {
            accountId = account.Id, currency = c.Currency, amount = c.Amount, reference = c.Reference, reason = c.Reason,
        });
        return new SequencerResult(SequencerOutcome.CashBooked, null, [], Risk: new CashBooking(row, cash.Statement(account, batch.Now)));
    }

    /// <summary>Books each account's dividend entitlement once (the reference <c>dividend:{id}</c>); an account already paid is skipped.</summary>
    public SequencerResult PayDividend(PayDividendCommand c, WriterBatch batch)
    {
        var cash = books.Cash;
        var reference = Dividend.PaymentReference(c.DividendId);
        var booked = new List<CashMovement>();
        var lines = new List<object>();
        var before = new List<long>();
        foreach (var p in c.Payments)
        {
            if (cash.HasReference(p.Account.Id, reference))
            {
                before.Add(p.Account.Id);
                continue;
            }
            var row = new CashMovement
            {
                AccountId = p.Account.Id, Currency = c.Currency, Amount = p.Amount, Kind = CashMovementKind.Dividend, Reference = reference,
                Reason = c.Reason, EnteredBy = c.Actor, EnteredAt = batch.Now,
            };
            cash.Book(row, p.Account.CreditCurrency);
            booked.Add(row);
            lines.Add(new { accountId = p.Account.Id, quantity = p.Quantity, amount = p.Amount });
        }
        if (booked.Count > 0 || c.FirstPayment)
        {
            batch.Record(c.Actor, "dividend.paid", $"dividend/{c.DividendId}", new
            {
                dividendId = c.DividendId, currency = c.Currency, reference,
                booked = lines,
                alreadyBooked = before,
            });
        }
        return new SequencerResult(SequencerOutcome.DividendPaid, null, [], Risk: new DividendPayout(booked, before));
    }

    public SequencerResult Read(CashQuery q, WriterBatch batch) =>
        new(SequencerOutcome.CashRead, null, [], Risk: books.Cash.Statement(q.Account, batch.Now));

    private static SequencerResult Refused(string message) => new(SequencerOutcome.CashRefused, null, [], Risk: new CashRefusal(message));

    private static string M(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);
}

/// <summary>A booked deposit or withdrawal and the account's cash after it.</summary>
internal sealed record CashBooking(CashMovement Movement, CashStatement Statement);

/// <summary>A dividend's payout: the movements booked now, and the accounts that had been paid before (left as they were).</summary>
internal sealed record DividendPayout(IReadOnlyList<CashMovement> Booked, IReadOnlyList<long> AlreadyBooked);

/// <summary>Why a deposit or withdrawal was not booked.</summary>
internal sealed record CashRefusal(string Message);
