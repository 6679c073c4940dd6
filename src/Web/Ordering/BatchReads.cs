using Microsoft.EntityFrameworkCore;
using TradSys.Web.Ordering.Stages;
using TradSys.Web.Persistence;

namespace TradSys.Web.Ordering;

/// <summary>
/// The writer's reads, once per batch and before any command is applied (a command itself never waits on the database):
/// the account and instrument rows its new, checked, amended and released orders need (the rule packs read them, so a
/// change to an account's onboarding facts or an instrument's lists counts from the next batch; ownership is checked
/// against them, for cancels too), and the earlier orders its resends name that are no longer in the writer's memory. A
/// batch of queries and platform commands reads nothing.
/// </summary>
internal sealed class BatchReads(OrderBooks books, ClientOrderIds clientOrderIds, WorkflowStep workflow)
{
    public async Task ReadAsync(TradSysDbContext db, IReadOnlyList<SequencerCommand> commands, WriterBatch batch, CancellationToken cancellationToken)
    {
        var accountIds = new HashSet<long>();
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var priors = new List<long>();
        foreach (var command in commands)
        {
            switch (command)
            {
                case SubmitCommand submit:
                    accountIds.Add(submit.AccountId);
                    symbols.Add(submit.Instrument.Symbol);
                    if (clientOrderIds.TryFind(submit.AccountId, submit.ClientOrderId, out var entry) && books.Open(entry.OrderId) is null)
                    {
                        priors.Add(entry.OrderId);
                    }
                    break;
                case CheckOrderCommand check:
                    accountIds.Add(check.Order.AccountId);
                    symbols.Add(check.Order.Instrument.Symbol);
                    break;
                case ModifyCommand modify when books.Recorder.Live.TryGetValue(modify.OrderId, out var live):
                    accountIds.Add(live.AccountId);
                    symbols.Add(live.Symbol);
                    break;
                case CancelCommand { UserId: not null } cancel when books.Open(cancel.OrderId) is { } open:
                    // Only the owner's account row: ownership is checked against it.
                    accountIds.Add(open.AccountId);
                    break;
                case ReleaseHeldOrderCommand release when books.Held.TryGetValue(release.OrderId, out var held):
                    accountIds.Add(held.AccountId);
                    symbols.Add(held.Symbol);
                    break;
                case WorkflowTaskCommand task when workflow.HeldOrderOf(task) is { } approved:
                    accountIds.Add(approved.AccountId);
                    symbols.Add(approved.Symbol);
                    break;
            }
        }
        if (accountIds.Count > 0)
        {
            var ids = accountIds.ToList();
            var names = symbols.ToList();
            batch.Accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
            batch.Instruments = await db.Instruments.AsNoTracking().Where(i => names.Contains(i.Symbol))
                .ToDictionaryAsync(i => i.Symbol, StringComparer.Ordinal, cancellationToken);
            foreach (var account in batch.Accounts.Values)
            {
                books.CreditCurrencies[account.Id] = account.CreditCurrency;
            }
        }
        if (priors.Count > 0)
        {
            batch.Priors = await db.Orders.AsNoTracking().Where(o => priors.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        }
    }
}
