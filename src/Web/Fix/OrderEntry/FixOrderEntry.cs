using System.Globalization;
using System.Text;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using TradSys.Contracts;
using TradSys.Engine.Fix;
using TradSys.Web.Auth;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.PreTrade;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Portal.Services;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Fix.OrderEntry;

/// <summary>A bound client session's trader and accounts, resolved from its <see cref="FixClientBinding"/> at start.</summary>
/// <param name="Binding">The configuration.</param>
/// <param name="Caller">The trader behind the API client (the REST caller the same client would be).</param>
internal sealed record FixClient(FixClientBinding Binding, Caller Caller);

/// <summary>
/// Client order entry over the FIX acceptor (<c>Fix:Acceptor</c>). Each session is bound to an API client's trader and a
/// list of accounts (<see cref="FixClientBinding"/>); NewOrderSingle, OrderCancelRequest, OrderCancelReplaceRequest and
/// OrderMassCancelRequest become the same commands the REST API sends to the single writer (<see cref="SubmitCommand"/>
/// after the same pre-trade stages, <see cref="ModifyCommand"/>, <see cref="CancelCommand"/>, <see cref="MassCancelCommand"/>),
/// entered as that trader and audited alike; ClOrdID is the order's client order id, so a resent NewOrderSingle is the
/// writer's duplicate, never a second order. New orders and replaces take tokens from the session's bucket of the REST order
/// limit (<c>Trading:OrderRateLimit</c>); cancels are never throttled.
/// <para>
/// ExecutionReports come from the published order updates (<see cref="OrderUpdateFeed"/>, the feed the WebSocket gateway uses,
/// after the journal is durable) for every order on the session's accounts, REST orders included: one per journal entry, its
/// ExecID the entry's sequence, each sent once and in journal order: the last one sent is kept in the database (<see cref="FixReportCursor"/>),
/// and on logon the session is first sent what it missed from the journal (while logged off, across restarts too), then the live updates.
/// OrderMassStatusRequest (AF) is answered with an ExecutionReport of ExecType I per working order it selects.
/// Refusals that write nothing are answered at once: ExecutionReport Rejected, OrderCancelReject, OrderMassCancelReport, or a
/// session Reject / BusinessMessageReject for an incomplete or malformed message.
/// </para>
/// Each session has one worker: its requests and its order updates are handled one at a time, in arrival order.
/// </summary>
internal sealed class FixOrderEntry : IDisposable
{
    /// <summary>The application messages a client session takes.</summary>
    public static readonly IReadOnlySet<string> Accepted = new HashSet<string>(StringComparer.Ordinal) { "D", "F", "G", "H", "q", "AF" };

    private const int OrdRejReason = 103;
    private const int CxlRejReason = 102;
    private const int CxlRejResponseTo = 434;
    private const int MassCancelResponse = 531;
    private const int MassCancelRejectReason = 532;
    private const int TotalAffectedOrders = 533;
    private const int BusinessRejectRefId = 379;
    private const int OrdStatusReqId = 790;

    private readonly Dictionary<string, ClientSession> sessions;
    private readonly Dictionary<long, List<ClientSession>> byAccount = [];
    private readonly ReferenceDataCache referenceData;
    private readonly IReadOnlyList<IPreTradeStage> stages;
    private readonly OrderWriter writer;
    private readonly OpenOrders openOrders;
    private readonly OrderUpdateFeed feed;
    private readonly MarketClock clock;
    private readonly IServiceScopeFactory scopes;
    private readonly (int PerSecond, int Burst) limit;
    private readonly ILogger log;
    private readonly CancellationTokenSource stopping = new();
    private FixAcceptor? acceptor;
    private long rejects;

    public FixOrderEntry(IReadOnlyList<FixClient> clients, ReferenceDataCache referenceData, IEnumerable<IPreTradeStage> stages, OrderWriter writer,
        OpenOrders openOrders, OrderUpdateFeed feed, MarketClock clock, IServiceScopeFactory scopes, (int PerSecond, int Burst) limit, ILogger log)
    {
        (this.referenceData, this.stages, this.writer, this.openOrders, this.feed, this.clock, this.scopes, this.limit, this.log) =
            (referenceData, [.. stages], writer, openOrders, feed, clock, scopes, limit, log);
        sessions = clients.ToDictionary(c => c.Binding.CompId, c => new ClientSession(this, c), StringComparer.Ordinal);
        foreach (var session in sessions.Values)
        {
            foreach (var account in session.Client.Binding.Accounts)
            {
                if (!byAccount.TryGetValue(account, out var list))
                {
                    byAccount[account] = list = [];
                }

                list.Add(session);
            }
        }

        feed.Updated += OnOrderUpdate;
    }

    /// <summary>
    /// Resolves each binding's API client to its trader and checks the accounts (each the trader's own and open); throws with
    /// every problem named by its configuration key.
    /// </summary>
    public static async Task<IReadOnlyList<FixClient>> ResolveAsync(IReadOnlyList<FixClientBinding> bindings, IServiceScopeFactory scopes,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var problems = new List<string>();
        var clients = new List<FixClient>();
        foreach (var binding in bindings)
        {
            var key = "Fix:Acceptor:Clients:" + binding.CompId;
            var application = await applications.FindByClientIdAsync(binding.ClientId, cancellationToken);
            if (application is null)
            {
                problems.Add($"{key}:ClientId: no API client '{binding.ClientId}' exists");
                continue;
            }

            var properties = await applications.GetPropertiesAsync(application, cancellationToken);
            if (!properties.TryGetValue(ApiClients.UserIdProperty, out var userIdElement) || userIdElement.ValueKind != System.Text.Json.JsonValueKind.Number)
            {
                problems.Add($"{key}:ClientId: the API client '{binding.ClientId}' is not tied to a user");
                continue;
            }

            var userId = userIdElement.GetInt64();
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
            if (user is null || !user.IsActive)
            {
                problems.Add($"{key}:ClientId: the user behind the API client '{binding.ClientId}' is disabled");
                continue;
            }

            var roles = user.RoleList().ToHashSet(StringComparer.Ordinal);
            if (!roles.Contains(Roles.Trader))
            {
                problems.Add($"{key}:ClientId: the API client '{binding.ClientId}' belongs to {user.UserName}, who is not a trader");
                continue;
            }

            var ids = binding.Accounts.ToArray();
            var accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.OwnerUserId, a.IsActive })
                .ToListAsync(cancellationToken);
            foreach (var id in ids)
            {
                var account = accounts.FirstOrDefault(a => a.Id == id);
                if (account is null)
                {
                    problems.Add($"{key}:Accounts: account {id} does not exist");
                }
                else if (account.OwnerUserId != user.Id)
                {
                    problems.Add($"{key}:Accounts: account {id} is not {user.UserName}'s (the API client '{binding.ClientId}' trades as {user.UserName})");
                }
                else if (!account.IsActive)
                {
                    problems.Add($"{key}:Accounts: account {id} is closed");
                }
            }

            clients.Add(new FixClient(binding, new Caller(user.Id, user.UserName, roles)));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Fix:Acceptor:Clients is not valid: " + string.Join("; ", problems));
        }

        return clients;
    }

    /// <summary>The acceptor whose sessions this serves (set once, after it is created: reports go to its live sessions).</summary>
    public void Attach(FixAcceptor running) => acceptor = running;

    /// <summary>A client's session has logged on: what it missed is sent from the journal now, in order, before the live updates.</summary>
    public void OnLoggedOn(string compId)
    {
        if (sessions.TryGetValue(compId, out var session))
        {
            session.Enqueue(ClientSession.Flush);
        }
    }

    /// <summary>
    /// An application message of a client session (under its driver's gate): an incomplete or malformed one is answered at once
    /// and changes nothing; the rest is queued for the session's worker.
    /// </summary>
    public void OnMessage(FixSessionDriver driver, FixSessionSettings settings, FixMessage message)
    {
        if (!sessions.TryGetValue(settings.TargetCompId, out var session))
        {
            // The acceptor takes only configured sessions, and each has a binding (the configuration is checked at start).
            throw new InvalidOperationException($"no client binding for the session {settings.SenderCompId}<-{settings.TargetCompId}");
        }

        var request = FixRequest.Parse(message, out var problem);
        if (problem is { } p)
        {
            Interlocked.Increment(ref rejects);
            var seq = message.TryGetInt(FixTag.MsgSeqNum, out var s) ? s : 0;
            var msgType = Encoding.ASCII.GetString(message.MsgType);
            var clOrdId = message.TryGetSpan(FixTag.ClOrdId, out var c) || message.TryGetSpan(FixTag.MassStatusReqId, out c) ? Encoding.ASCII.GetString(c) : "";
            if (p.Business)
            {
                driver.Reply("j"u8, Body((FixTag.RefSeqNum, Int(seq)), (FixTag.RefMsgType, msgType), (BusinessRejectRefId, clOrdId),
                    (FixTag.BusinessRejectReason, Int((int)FixBusinessRejectReason.ConditionallyRequiredFieldMissing)),
                    (FixTag.Text, $"{p.Text} ({p.Tag})")));
            }
            else
            {
                driver.Reply("3"u8, Body((FixTag.RefSeqNum, Int(seq)), (FixTag.RefTagId, Int(p.Tag)), (FixTag.RefMsgType, msgType),
                    (FixTag.SessionRejectReason, Int((int)p.Reason)), (FixTag.Text, p.Text)));
            }

            log.LogInformation("FIX order entry {Session}: {MsgType} MsgSeqNum {Seq} refused: {Text} (tag {Tag})", session.Client.Binding.CompId,
                msgType, seq, p.Text, p.Tag);
            return;
        }

        if (!session.Enqueue(request!))
        {
            // The session's worker stopped (logged as an error): refuse plainly rather than leave the client waiting.
            driver.Reply("j"u8, Body((FixTag.RefSeqNum, Int(message.TryGetInt(FixTag.MsgSeqNum, out var n) ? n : 0)),
                (FixTag.RefMsgType, request!.MsgType), (BusinessRejectRefId, request.ClOrdId),
                (FixTag.BusinessRejectReason, Int((int)FixBusinessRejectReason.ApplicationNotAvailable)),
                (FixTag.Text, "order entry is not available on this session; see the platform's log")));
        }
    }

    /// <summary>How many messages were refused as incomplete or malformed (for tests and the log).</summary>
    public long Refused => Interlocked.Read(ref rejects);

    public void Dispose()
    {
        feed.Updated -= OnOrderUpdate;
        stopping.Cancel();
        foreach (var session in sessions.Values)
        {
            session.Complete();
        }

        stopping.Dispose();
    }

    /// <summary>A published order update (publisher's thread; must not block): queued for every session bound to its account.</summary>
    private void OnOrderUpdate(OrderUpdated update)
    {
        if (byAccount.TryGetValue(update.AccountId, out var bound))
        {
            foreach (var session in bound)
            {
                session.Enqueue(update);
            }
        }
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Dec(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTime utc) => utc.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static byte[] Body(params (int Tag, string? Value)[] fields)
    {
        var text = new StringBuilder();
        foreach (var (tag, value) in fields)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.Append(CultureInfo.InvariantCulture, $"{tag}={value}\u0001");
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>One client session: its trader and accounts, throttle, ClOrdIDs, and the worker that serves it.</summary>
    private sealed class ClientSession
    {
        private readonly FixOrderEntry entry;
        private readonly Channel<object> work = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        private readonly TokenBucketRateLimiter throttle;
        // Worker-only state: the current ClOrdID of each order (a replace gives it a new one) and the cancel or replace in flight.
        private readonly Dictionary<long, string> clOrdIds = [];
        private readonly Dictionary<string, long> orderIds = new(StringComparer.Ordinal);
        private readonly Dictionary<long, (string ClOrdId, string OrigClOrdId)> pending = [];
        // The cancels and replaces of orders routed to a venue that the writer sent there and the venue has not answered yet (one per
        // order: the writer takes one at a time), by order: the pending report, then the venue's answer (Canceled, Replaced, or an
        // OrderCancelReject) carry its ClOrdIDs; an order that ends meanwhile (filled first) answers it with an OrderCancelReject.
        private readonly Dictionary<long, ClientRequest> routed = [];
        // The ClOrdIDs of the session's replaces and cancels the platform carried out (fix_client_order_ids, loaded at start), never
        // forgotten: a cancel, replace or status request may name any of them, and none may be used again. And, until reported, the
        // journal entries that carried out such a request before a restart (by sequence): their reports carry its ClOrdIDs.
        private readonly Dictionary<string, long> requests = new(StringComparer.Ordinal);
        private readonly Dictionary<long, ClientRequest> answered = [];
        private readonly Dictionary<long, decimal> notional = [];
        // Worker-only delivery state: the last journal sequence sent to the client and the MsgSeqNum that carried it (persisted in
        // fix_report_cursors, coalesced: saved when the worker's queue runs empty), and whether the client may have missed entries
        // (not logged on, or not yet caught up since it logged on): then live updates are left to the catch-up from the journal.
        private long lastSequence;
        private int lastMsgSeqNum;
        private bool cursorDirty;
        private bool behind = true;
        private long localIds;

        // New orders handed to the writer and not answered yet, in the order sent. The writer takes commands in the order they are
        // queued, so the worker sends a client's next NewOrderSingle without waiting for the last one's commit and a client's
        // orders share the writer's batches; any other message, and a worker with nothing more queued, first takes their answers
        // in order. At most MaxInFlight.
        private readonly Queue<InFlightOrder> inFlight = new();
        private const int MaxInFlight = 256;

        /// <summary>Journal entries read per page when catching a client up.</summary>
        public const int CatchUpPage = 500;

        /// <summary>Queued when the session logs on: send what it missed from the journal, then follow the live updates.</summary>
        public static readonly object Flush = new();

        public ClientSession(FixOrderEntry entry, FixClient client)
        {
            (this.entry, Client) = (entry, client);
            throttle = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = entry.limit.Burst, TokensPerPeriod = entry.limit.PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0, AutoReplenishment = true,
            });
            _ = Watch(Run());
        }

        public FixClient Client { get; }

        private string CompId => Client.Binding.CompId;

        /// <summary>Queues a request or an update for the worker; false once the worker has stopped.</summary>
        public bool Enqueue(object item)
        {
            Interlocked.Increment(ref queued);
            if (work.Writer.TryWrite(item))
            {
                return true;
            }

            Interlocked.Decrement(ref queued);
            return false;
        }

        // How many items are queued for the worker (the channel, single-reader, does not count).
        private int queued;

        public void Complete()
        {
            work.Writer.TryComplete();
            throttle.Dispose();
        }

        /// <summary>
        /// A worker that fails with anything but the order path being unavailable is a bug: it is logged as an error and the
        /// session is logged out (its client then sees the logout rather than silence), and no further message is taken.
        /// </summary>
        private async Task Watch(Task worker)
        {
            try
            {
                await worker;
            }
            catch (Exception ex)
            {
                entry.log.LogError(ex, "FIX order entry {Session}: the session's worker failed; logging the session out", CompId);
                work.Writer.TryComplete(ex);
                if (Driver is { } driver)
                {
                    await driver.LogoutAsync("order entry failed on the platform; see its log");
                }
            }
        }

        private async Task Run()
        {
            await LoadCursorAsync();
            await foreach (var item in work.Reader.ReadAllAsync())
            {
                Interlocked.Decrement(ref queued);
                try
                {
                    switch (item)
                    {
                        case OrderUpdated update:
                            await AnswerInFlightAsync();
                            if (!behind)
                            {
                                await ReportAsync(update);
                            }

                            break;
                        case FixRequest { MsgType: "D" } order when !behind:
                            await SendNewOrderAsync(order);
                            if (inFlight.Count >= MaxInFlight)
                            {
                                await AnswerInFlightAsync();
                            }

                            break;
                        case FixRequest request:
                            await AnswerInFlightAsync();
                            if (behind)
                            {
                                // A request can arrive before the logon's catch-up is queued: what was missed goes first.
                                await CatchUpAsync();
                            }

                            await HandleAsync(request);
                            break;
                        case var _ when ReferenceEquals(item, Flush):
                            await AnswerInFlightAsync();
                            await CatchUpAsync();
                            break;
                    }

                    if (Volatile.Read(ref queued) == 0)
                    {
                        await AnswerInFlightAsync();
                        await FlushHeldAsync();
                    }

                    if (cursorDirty && !holding && Volatile.Read(ref queued) == 0)
                    {
                        await SaveCursorAsync();
                    }
                }
                catch (JournalUnavailableException ex)
                {
                    // The writer could not commit: nothing was done; the client hears so and may send again.
                    entry.log.LogWarning(ex, "FIX order entry {Session}: the order path is unavailable", CompId);
                    if (item is FixRequest request)
                    {
                        await RefuseAsync(request, "not carried out: " + ex.Message, OrdRejReasonOther, CxlOther);
                    }
                }
                catch (OperationCanceledException) when (entry.stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        private const int OrdRejReasonOther = 99;
        private const int CxlOther = 99;

        private FixSessionDriver? Driver => entry.acceptor?.Live(CompId);

        // Whether a message was sent with more to follow (held by the driver, not yet stored nor on the wire).
        private bool holding;

        /// <summary>
        /// Sends through the session's driver; while more work is queued the message is held and goes with the next ones (one
        /// store commit and one socket write for a writer batch's reports), flushed at the latest when the queue runs empty
        /// (<see cref="FlushHeldAsync"/>); the cursor is saved only when nothing is held.
        /// </summary>
        private async Task<int> SendThroughAsync(FixSessionDriver driver, byte[] msgType, byte[] body)
        {
            var more = Volatile.Read(ref queued) > 0;
            var seq = await driver.SendAsync(msgType, body, more);
            holding |= more && seq != 0;
            return seq;
        }

        /// <summary>Commits and writes what the driver holds of this worker's messages (see <see cref="SendThroughAsync"/>).</summary>
        private async Task FlushHeldAsync()
        {
            // Not logged on: still holding; the held messages are committed by the next connection's first event, and the cursor
            // waits for that (it must never name a message the store may not have).
            if (holding && Driver is { } driver && await driver.FlushAsync())
            {
                holding = false;
            }
        }

        private async Task SendAsync(string msgType, byte[] body)
        {
            var driver = Driver;
            if (driver is null || await SendThroughAsync(driver, Encoding.ASCII.GetBytes(msgType), body) == 0)
            {
                entry.log.LogWarning("FIX order entry {Session}: not logged on; a {MsgType} was not sent", CompId, msgType);
            }
        }

        private Task HandleAsync(FixRequest request) => request.MsgType switch
        {
            "D" => NewOrderAsync(request),
            "F" => CancelAsync(request),
            "G" => ReplaceAsync(request),
            "H" => StatusAsync(request),
            "AF" => MassStatusAsync(request),
            _ => MassCancelAsync(request),
        };

        private bool Bound(long account) => Client.Binding.Accounts.Contains(account);

        private string BoundList => string.Join(", ", Client.Binding.Accounts);

        /// <summary>The account of a request: its Account (1), or the session's only account when it has one.</summary>
        private (long Account, string? Problem) AccountOf(FixRequest request)
        {
            if (request.Account is null)
            {
                return Client.Binding.Accounts.Count == 1
                    ? (Client.Binding.Accounts[0], null)
                    : (0, $"Account (1) is required: this session trades accounts {BoundList}");
            }

            if (!long.TryParse(request.Account, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !Bound(id))
            {
                return (0, $"account {request.Account} is not one of this session's accounts ({BoundList})");
            }

            return (id, null);
        }

        /// <summary>A NewOrderSingle in order with the others: its answer is taken later (<see cref="AnswerInFlightAsync"/>).</summary>
        private async Task SendNewOrderAsync(FixRequest r)
        {
            if (await PrepareNewOrderAsync(r) is { } order)
            {
                inFlight.Enqueue(order with { Result = entry.writer.SendAsync(order.Command, entry.stopping.Token) });
            }
        }

        /// <summary>Takes the writer's answers to the new orders in flight, in the order they were sent.</summary>
        private async Task AnswerInFlightAsync()
        {
            while (inFlight.TryDequeue(out var order))
            {
                SequencerResult result;
                try
                {
                    result = await order.Result!;
                }
                catch (JournalUnavailableException ex)
                {
                    // The writer could not commit: this order was not entered; the client hears so and may send it again.
                    entry.log.LogWarning(ex, "FIX order entry {Session}: the order path is unavailable", CompId);
                    await RefuseAsync(order.Request, "not carried out: " + ex.Message, OrdRejReasonOther, CxlOther);
                    continue;
                }

                await AnsweredAsync(order, result);
            }
        }

        private async Task NewOrderAsync(FixRequest r)
        {
            if (await PrepareNewOrderAsync(r) is { } order)
            {
                await AnsweredAsync(order, await entry.writer.SendAsync(order.Command, entry.stopping.Token));
            }
        }

        /// <summary>The checks before the writer and the command; null when the order was refused (the client told).</summary>
        private async Task<InFlightOrder?> PrepareNewOrderAsync(FixRequest r)
        {
            if (requests.TryGetValue(r.ClOrdId, out var usedBy))
            {
                await RejectOrderAsync(r, 6, $"ClOrdID {r.ClOrdId} was already used by this session for a cancel or replace of order {usedBy}: a new order takes a new ClOrdID");
                return null;
            }

            var (account, accountProblem) = AccountOf(r);
            if (accountProblem is not null)
            {
                await RejectOrderAsync(r, 15, accountProblem);
                return null;
            }

            if (!entry.referenceData.TryGet(r.Symbol!, out var instrument))
            {
                await RejectOrderAsync(r, 1, $"unknown instrument '{r.Symbol}'");
                return null;
            }

            using var lease = throttle.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                await RejectOrderAsync(r, 99, Throttled);
                return null;
            }

            if (!Price.TryFromDecimal(r.Price, instrument.Decimals, out var price) || !Price.TryFromDecimal(r.StopPrice, instrument.Decimals, out var stopPrice))
            {
                await RejectOrderAsync(r, 99, $"rejectCode {(int)RejectCode.PriceOffTick}: {instrument.Row.Symbol} prices have at most {instrument.Decimals} decimals");
                return null;
            }

            var caller = Client.Caller;
            var now = entry.clock.UtcNow;
            var command = new SubmitCommand(caller.UserName, caller.UserId, account, r.ClOrdId,
                new TradableInstrumentRef(instrument.Spec.Id, instrument.Row.Symbol, instrument.Decimals, instrument.Row.Currency),
                r.Side, r.Type, r.TimeInForce, price, new Quantity(r.Quantity), stopPrice, new Quantity(r.DisplayQuantity), r.ExpireAt);
            var ticket = new OrderTicket(caller, account, instrument, r.ClOrdId, r.Side, r.Type, r.TimeInForce, price, new Quantity(r.Quantity), now,
                stopPrice, new Quantity(r.DisplayQuantity), r.ExpireAt);
            foreach (var stage in entry.stages)
            {
                var verdict = await stage.EvaluateAsync(ticket, entry.stopping.Token);
                if (!verdict.Passed)
                {
                    await RejectOrderAsync(r, OrdRejReasonOf(verdict.Code), Coded(verdict.Code, verdict.Message));
                    return null;
                }
            }

            return new InFlightOrder(r, account, instrument, price, now, command, null);
        }

        private async Task AnsweredAsync(InFlightOrder order, SequencerResult result)
        {
            var (r, account, instrument, price, now) = (order.Request, order.Account, order.Instrument, order.Price, order.Now);
            switch (result.Outcome)
            {
                case SequencerOutcome.Created:
                    // Its reports (New, fills, or Rejected with the code) come from the journal's order updates.
                    Remember(result.Order!.Id, r.ClOrdId);
                    break;
                case SequencerOutcome.Duplicate:
                    // A resend (PossDup) of an order already entered: no second order; the client gets its current state.
                    Remember(result.Order!.Id, r.ClOrdId);
                    await SendAsync("8", StatusReport(result.Order!, r.ClOrdId, $"ClOrdID {r.ClOrdId} is order {result.Order!.Id} already; no new order was entered"));
                    break;
                case SequencerOutcome.DuplicateMismatch:
                    await RejectOrderAsync(r, 6, $"ClOrdID {r.ClOrdId} is already used on account {account} by order {result.Order!.Id} with different terms");
                    break;
                case SequencerOutcome.Invalid:
                    var explained = ValidationStage.Explain(result.Code, instrument, price, new Quantity(r.Quantity), now.Ticks, instrument.Spec.Venue.PhaseAt(now.Ticks));
                    await RejectOrderAsync(r, OrdRejReasonOf(result.Code), Coded(result.Code, explained.Message));
                    break;
                case SequencerOutcome.UnknownAccount:
                    await RejectOrderAsync(r, 15, $"account {account} does not exist");
                    break;
                case SequencerOutcome.NotYourAccount:
                    await RejectOrderAsync(r, 15, $"account {account} is not {Client.Caller.UserName}'s");
                    break;
                case SequencerOutcome.AccountClosed:
                    await RejectOrderAsync(r, 15, $"account {account} is closed");
                    break;
                default:
                    throw new InvalidOperationException($"unexpected order writer outcome {result.Outcome} for a new order");
            }
        }

        private string Throttled =>
            $"throttled: order entry and amends are limited to {entry.limit.PerSecond} a second per session (bursts of {entry.limit.Burst}), as over REST; " +
            "nothing was done with this message: send it again later. Cancels are never limited.";

        private static string Coded(RejectCode code, string? message) =>
            $"rejectCode {(int)code}: {message ?? RejectReasons.Describe(code)}";

        private static int OrdRejReasonOf(RejectCode code) => code switch
        {
            RejectCode.UnknownInstrument => 1,
            RejectCode.SessionClosed => 2,
            RejectCode.PriceOutsideDailyLimits => 3,
            RejectCode.NonPositiveQuantity or RejectCode.QuantityNotWholeLots => 13,
            _ => 99,
        };

        private void Remember(long orderId, string clOrdId)
        {
            clOrdIds[orderId] = clOrdId;
            orderIds[clOrdId] = orderId;
        }

        /// <summary>
        /// The order a request names (OrderID, else <paramref name="clOrdId"/>: any ClOrdID the session gave it, its NewOrderSingle's or
        /// a replace's or cancel's), on one of the session's accounts; null otherwise.
        /// </summary>
        private async Task<OrderRecord?> FindAsync(FixRequest r, string clOrdId)
        {
            long id = 0;
            if (r.OrderId is { } given && !long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                return null;
            }

            if (id == 0 && !orderIds.TryGetValue(clOrdId, out id) && !requests.TryGetValue(clOrdId, out id))
            {
                // Entered before a restart of the platform, or over REST with this client order id: the database knows it.
                return await WithClientOrderIdAsync(clOrdId);
            }

            if (entry.openOrders.TryGetRecent(id, out var open))
            {
                return Bound(open.AccountId) ? open : null;
            }

            await using (var scope = entry.scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
                var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, entry.stopping.Token);
                return order is not null && Bound(order.AccountId) ? order : null;
            }
        }

        /// <summary>The latest order of the session's accounts whose client order id is <paramref name="clOrdId"/>, from the database.</summary>
        private async Task<OrderRecord?> WithClientOrderIdAsync(string clOrdId)
        {
            await using var scope = entry.scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var accounts = Client.Binding.Accounts.ToArray();
            return await db.Orders.AsNoTracking().Where(o => accounts.Contains(o.AccountId) && o.ClientOrderId == clOrdId)
                .OrderByDescending(o => o.Id).FirstOrDefaultAsync(entry.stopping.Token);
        }

        /// <summary>
        /// A cancel's or replace's ClOrdID that the session already used (for a new order, a replace or a cancel): refused with
        /// CxlRejReason 6 (duplicate ClOrdID); true when it was.
        /// </summary>
        private async Task<bool> RefusedAsDuplicateAsync(FixRequest r, char responseTo)
        {
            if (!requests.TryGetValue(r.ClOrdId, out var usedBy) && !orderIds.TryGetValue(r.ClOrdId, out usedBy))
            {
                usedBy = (await WithClientOrderIdAsync(r.ClOrdId))?.Id ?? 0;
                if (usedBy == 0)
                {
                    return false;
                }
            }

            await CancelRejectAsync(r, responseTo, 6, null,
                $"ClOrdID {r.ClOrdId} was already used by this session (order {usedBy}): a cancel or replace takes a new ClOrdID");
            return true;
        }

        private async Task CancelAsync(FixRequest r)
        {
            if (await RefusedAsDuplicateAsync(r, '1'))
            {
                return;
            }

            var order = await FindAsync(r, r.OrigClOrdId!);
            if (order is null)
            {
                await CancelRejectAsync(r, '1', 1, null, $"unknown order: no order {r.OrderId ?? "with ClOrdID " + r.OrigClOrdId} on this session's accounts ({BoundList})");
                return;
            }

            if (r.Account is not null && r.Account != Int(order.AccountId))
            {
                await CancelRejectAsync(r, '1', 99, order, $"account {r.Account} is not the order's account {order.AccountId}");
                return;
            }

            if (order.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected)
            {
                await CancelRejectAsync(r, '1', 0, order, $"too late to cancel: order {order.Id} is {order.Status}");
                return;
            }

            pending[order.Id] = (r.ClOrdId, r.OrigClOrdId!);
            var result = await entry.writer.SendAsync(new CancelCommand(Client.Caller.UserName, order.Id, Client.Caller.UserId,
                new FixClientRequest(CompId, "F", r.ClOrdId, r.OrigClOrdId!)), entry.stopping.Token);
            switch (result.Outcome)
            {
                case SequencerOutcome.Canceled:
                    requests[r.ClOrdId] = order.Id;
                    break;
                case SequencerOutcome.VenueRequestPending:
                    // Routed: the cancel went to the venue. Its Pending Cancel report comes from the journal (CancelRequested), then
                    // the venue's answer: Canceled, or an OrderCancelReject with the venue's reason.
                    SentToVenue(r, order.Id, 'F');
                    break;
                default:
                    pending.Remove(order.Id);
                    var (reason, text) = result.Outcome switch
                    {
                        SequencerOutcome.NotYourAccount => (1, $"order {order.Id} is not on {Client.Caller.UserName}'s accounts"),
                        _ when result.Reason is { } why => (CxlRejReasonOf(result.Code), Coded(result.Code, why)),
                        _ => (0, $"too late to cancel: order {order.Id} is {result.Order?.Status.ToString() ?? "no longer working"}"),
                    };
                    await CancelRejectAsync(r, '1', reason, result.Order ?? order, text);
                    break;
            }
        }

        /// <summary>
        /// A cancel or replace of a routed order that the writer committed and sends to the venue: its ClOrdID is used (kept in
        /// fix_client_order_ids with the request), and the order's reports until the venue answers carry its ClOrdIDs.
        /// </summary>
        private void SentToVenue(FixRequest r, long orderId, char msgType)
        {
            pending.Remove(orderId);
            requests[r.ClOrdId] = orderId;
            routed[orderId] = new ClientRequest(r.ClOrdId, r.OrigClOrdId!, msgType);
        }

        /// <summary>CxlRejReason (102) for the writer's refusal of a cancel or replace: 3 while another request waits at the venue.</summary>
        private static int CxlRejReasonOf(RejectCode code) => code switch
        {
            RejectCode.OrderNotActive => 0,
            RejectCode.VenueRequestPending => 3,
            _ => 99,
        };

        private async Task ReplaceAsync(FixRequest r)
        {
            if (await RefusedAsDuplicateAsync(r, '2'))
            {
                return;
            }

            var order = await FindAsync(r, r.OrigClOrdId!);
            if (order is null)
            {
                await CancelRejectAsync(r, '2', 1, null, $"unknown order: no order {r.OrderId ?? "with ClOrdID " + r.OrigClOrdId} on this session's accounts ({BoundList})");
                return;
            }

            using var lease = throttle.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                await CancelRejectAsync(r, '2', 99, order, Throttled);
                return;
            }

            string? refused = null;
            if (r.Account is not null && r.Account != Int(order.AccountId))
            {
                refused = $"account {r.Account} is not the order's account {order.AccountId}";
            }
            else if (r.Side != order.Side || r.Type != order.Type || (r.Symbol is not null && r.Symbol != order.Symbol))
            {
                refused = $"a replace changes only the price, quantity and stop price: order {order.Id} is a {order.Type} {order.Side} of {order.Symbol}";
            }
            else if (!order.IsWorking)
            {
                refused = $"too late to replace: order {order.Id} is {order.Status}";
            }
            else if (order.Type is OrderType.Market)
            {
                refused = $"order {order.Id} is a market order and cannot be replaced";
            }

            var instrument = entry.referenceData.Get(order.Symbol);
            var price = default(Price);
            var stopPrice = default(Price);
            if (refused is null && (!Price.TryFromDecimal(r.Price, instrument.Decimals, out price) || !Price.TryFromDecimal(r.StopPrice, instrument.Decimals, out stopPrice)))
            {
                refused = $"rejectCode {(int)RejectCode.PriceOffTick}: {instrument.Row.Symbol} prices have at most {instrument.Decimals} decimals";
            }

            if (refused is null && r.StopPrice != 0 && !order.IsPendingStop)
            {
                refused = $"order {order.Id} is no longer waiting for its trigger; its stop price can no longer change";
            }

            if (refused is not null)
            {
                await CancelRejectAsync(r, '2', order.IsWorking ? 99 : 0, order, refused);
                return;
            }

            var quantity = new Quantity(r.Quantity);
            var verdict = order.IsPendingStop
                ? ValidationStage.ValidateStopAmend(instrument, order.Type, price, quantity, stopPrice, entry.clock.UtcNow)
                : ValidationStage.ValidateAmend(instrument, price, quantity, entry.clock.UtcNow);
            if (!verdict.Passed)
            {
                await CancelRejectAsync(r, '2', 99, order, Coded(verdict.Code, verdict.Message));
                return;
            }

            pending[order.Id] = (r.ClOrdId, r.OrigClOrdId!);
            var result = await entry.writer.SendAsync(new ModifyCommand(Client.Caller.UserName, order.Id, price, quantity, stopPrice, Client.Caller.UserId,
                new FixClientRequest(CompId, "G", r.ClOrdId, r.OrigClOrdId!)), entry.stopping.Token);
            if (result.Outcome == SequencerOutcome.Modified)
            {
                requests[r.ClOrdId] = order.Id;
                return;
            }

            if (result.Outcome == SequencerOutcome.VenueRequestPending)
            {
                // Routed: the replace went to the venue; Pending Replace from the journal (ReplaceRequested), then Replaced or the
                // venue's OrderCancelReject.
                SentToVenue(r, order.Id, 'G');
                return;
            }

            pending.Remove(order.Id);
            var text = result.Outcome switch
            {
                SequencerOutcome.AmendRefusedByRules => Coded(result.Code, (result.Code != RejectCode.AmendmentNeedsReview
                    ? result.Decision!.BlockSummary() : result.Decision!.ReviewSummary())),
                SequencerOutcome.NotYourAccount => $"order {order.Id} is not on {Client.Caller.UserName}'s accounts",
                _ when result.Code == RejectCode.QuantityNotAboveFilled =>
                    Coded(result.Code, $"the new total quantity {quantity.Raw} must be greater than the {result.Order?.FilledQuantity} already filled"),
                _ when result.Code == RejectCode.NothingToModify => Coded(result.Code, "the replace changes neither price nor quantity"),
                _ when result.Reason is { } why => Coded(result.Code, why),
                _ => Coded(result.Code, $"order {order.Id} is {result.Order?.Status.ToString() ?? "no longer working"}"),
            };
            await CancelRejectAsync(r, '2', result.Outcome == SequencerOutcome.NotYourAccount ? 1 : CxlRejReasonOf(result.Code), result.Order ?? order, text);
        }

        /// <summary>
        /// OrderStatusRequest: the order the request names (OrderID, else any ClOrdID the session gave it: its NewOrderSingle's, a
        /// replace's or a cancel's, also from before a restart) as one ExecutionReport with ExecType I, echoing the request's ClOrdID
        /// and OrdStatusReqID. An order the session does not have: ExecType I, OrdStatus 8 (Rejected) with OrdRejReason 5 (unknown
        /// order). Nothing changes.
        /// </summary>
        private async Task StatusAsync(FixRequest r)
        {
            var order = await FindAsync(r, r.ClOrdId);
            if (order is null)
            {
                entry.log.LogInformation("FIX order entry {Session}: OrderStatusRequest {ClOrdId}: unknown order", CompId, r.ClOrdId);
                await SendAsync("8", Body((FixTag.OrderId, "NONE"), (FixTag.ClOrdId, r.ClOrdId), (FixTag.ExecId, LocalExecId("STATUS")),
                    (FixTag.ExecType, "I"), (FixTag.OrdStatus, "8"), (OrdRejReason, "5"), (FixTag.Symbol, r.Symbol ?? "NA"), (FixTag.Side, SideOf(r.Side)),
                    (FixTag.LeavesQty, "0"), (FixTag.CumQty, "0"), (FixTag.AvgPx, "0"), (FixTag.TransactTime, Time(entry.clock.UtcNow)),
                    (OrdStatusReqId, r.StatusReqId),
                    (FixTag.Text, $"unknown order: no order {r.OrderId ?? "with ClOrdID " + r.ClOrdId} on this session's accounts ({BoundList})")));
                return;
            }

            var body = StatusReport(order, r.ClOrdId, null);
            await SendAsync("8", r.StatusReqId is { } reqId ? [.. body, .. Body((OrdStatusReqId, reqId))] : body);
        }

        private async Task MassCancelAsync(FixRequest r)
        {
            InstrumentId? instrument = null;
            if (r.MassCancelType == '1')
            {
                if (!entry.referenceData.TryGet(r.Symbol!, out var found))
                {
                    await SendAsync("r", MassCancelReport(r, '0', 1, 0, $"unknown instrument '{r.Symbol}'"));
                    return;
                }

                instrument = found.Spec.Id;
            }
            else if (r.MassCancelType != '7')
            {
                await SendAsync("r", MassCancelReport(r, '0', 0, 0,
                    $"MassCancelRequestType {r.MassCancelType} is not supported: 1 (by security, with Symbol) or 7 (all orders) of this session's accounts"));
                return;
            }

            var result = await entry.writer.SendAsync(new MassCancelCommand(Client.Caller.UserName, Client.Binding.Accounts, instrument), entry.stopping.Token);
            // Routed orders count as affected: their cancel went to the venue, and their Canceled reports follow when it confirms.
            var venue = result.VenueCancelIds?.Count ?? 0;
            var notCanceled = result.NotCanceled ?? [];
            var text = $"{result.Count} order(s) canceled on accounts {BoundList}{(instrument is null ? "" : " in " + r.Symbol)}" +
                       (venue > 0 ? $"; {venue} routed order(s) pending cancel at their venue" : "") +
                       (notCanceled.Count > 0 ? $"; not canceled: {string.Join("; ", notCanceled.Take(3))}" +
                                                (notCanceled.Count > 3 ? $"; and {notCanceled.Count - 3} more" : "") : "");
            await SendAsync("r", MassCancelReport(r, r.MassCancelType, null, result.Count + venue, text));
        }

        /// <summary>
        /// OrderMassStatusRequest: one ExecutionReport with ExecType I (order status) per working or held order of the session's
        /// accounts that the request selects (MassStatusReqType 7 all, 1 one security, 6 the derivatives listed on an underlying, 8 one
        /// party: an account of the session; 2-5 are refused, the instruments carrying no Product, CFICode, SecurityType or TradingSessionID),
        /// oldest first, each echoing MassStatusReqID with TotNumReports and LastRptRequested Y on the last. No matching order:
        /// one ExecutionReport with OrderID NONE, OrdStatus 8, TotNumReports 0 and LastRptRequested Y. A type or party the session
        /// cannot answer: a BusinessMessageReject naming the tag. Read from the open orders as of the last commit; nothing changes.
        /// </summary>
        private async Task MassStatusAsync(FixRequest r)
        {
            IReadOnlyCollection<long> accounts = Client.Binding.Accounts;
            string? symbol = null;
            IReadOnlySet<string>? underlying = null;
            switch (r.MassStatusType)
            {
                case 7:
                    break;
                case 1:
                    var name = r.Symbol ?? r.SecurityId!;
                    if (!entry.referenceData.TryGet(name, out var found))
                    {
                        await BusinessRejectAsync(r, FixBusinessRejectReason.UnknownSecurity,
                            $"unknown instrument '{name}' ({(r.Symbol is null ? FixTag.SecurityId : FixTag.Symbol)}): give the symbol GET /api/v1/instruments lists");
                        return;
                    }

                    symbol = found.Row.Symbol;
                    break;
                case 8:
                    var party = r.PartyId ?? r.Account!;
                    if (!long.TryParse(party, NumberStyles.None, CultureInfo.InvariantCulture, out var partyAccount) || !Bound(partyAccount))
                    {
                        await BusinessRejectAsync(r, FixBusinessRejectReason.NotAuthorized,
                            $"party '{party}' ({(r.PartyId is null ? FixTag.Account : FixTag.PartyId)}) is not one of this session's accounts ({BoundList})");
                        return;
                    }

                    accounts = [partyAccount];
                    break;
                case 6:
                    var derivatives = await DerivativesOnAsync(r);
                    if (derivatives is null)
                    {
                        return;
                    }

                    underlying = derivatives;
                    break;
                case 2 or 3 or 4 or 5:
                    // The dictionary made sure the selecting field is there; the platform's instruments do not carry it.
                    var (tag, field) = r.MassStatusType switch
                    {
                        2 => (FixTag.Product, "Product"), 3 => (FixTag.CfiCode, "CFICode"), 4 => (FixTag.SecurityType, "SecurityType"),
                        _ => (FixTag.TradingSessionId, "TradingSessionID"),
                    };
                    await BusinessRejectAsync(r, FixBusinessRejectReason.Other,
                        $"MassStatusReqType ({FixTag.MassStatusReqType}) {r.MassStatusType} is not supported: the platform keeps no {field} ({tag}) " +
                        (r.MassStatusType == 5 ? "for its orders or instruments (each venue has its own calendar of phases, not FIX trading sessions)" : "for its instruments") +
                        "; ask by security (1, with Symbol), by underlying (6, with UnderlyingSymbol), for all orders (7) or by party (8)");
                    return;
                default:
                    await BusinessRejectAsync(r, FixBusinessRejectReason.Other,
                        $"MassStatusReqType ({FixTag.MassStatusReqType}) {r.MassStatusType} is not supported: 1 (orders for a security, with Symbol), " +
                        "6 (orders for an underlying, with UnderlyingSymbol), 7 (all orders) or 8 (orders for a party, with PartyID or Account naming one of this session's accounts)");
                    return;
            }

            if (r.Account is not null && r.MassStatusType != 8)
            {
                var (account, problem) = AccountOf(r);
                if (problem is not null)
                {
                    await BusinessRejectAsync(r, FixBusinessRejectReason.NotAuthorized, $"{problem} ({FixTag.Account})");
                    return;
                }

                accounts = [account];
            }

            var orders = entry.openOrders.OpenOn(accounts)
                .Where(o => (symbol is null || o.Symbol == symbol) && (underlying is null || underlying.Contains(o.Symbol)) && (r.BothSides || o.Side == r.Side))
                .ToList();
            if (orders.Count == 0)
            {
                await SendAsync("8", Body((FixTag.OrderId, "NONE"), (FixTag.ExecId, LocalExecId("STATUS")), (FixTag.ExecType, "I"),
                    (FixTag.OrdStatus, "8"), (FixTag.Symbol, symbol ?? "NA"), (FixTag.Side, r.BothSides ? "1" : SideOf(r.Side)),
                    (FixTag.LeavesQty, "0"), (FixTag.CumQty, "0"), (FixTag.AvgPx, "0"), (FixTag.TransactTime, Time(entry.clock.UtcNow)),
                    (FixTag.MassStatusReqId, r.ClOrdId), (FixTag.TotNumReports, "0"), (FixTag.LastRptRequested, "Y"),
                    (FixTag.Text, "no working orders match the request")));
                return;
            }

            for (var i = 0; i < orders.Count; i++)
            {
                var o = orders[i];
                await SendAsync("8", Body((FixTag.OrderId, Int(o.Id)), (FixTag.ClOrdId, clOrdIds.GetValueOrDefault(o.Id, o.ClientOrderId)),
                    (FixTag.ExecId, LocalExecId("STATUS")), (FixTag.ExecType, "I"), (FixTag.OrdStatus, OrdStatusOf(o)),
                    (FixTag.Account, Int(o.AccountId)), (FixTag.Symbol, o.Symbol), (FixTag.Side, SideOf(o.Side)), (FixTag.OrderQty, Int(o.Quantity)),
                    (FixTag.OrdType, OrdTypeOf(o.Type)), (FixTag.Price, o.Price is { } p ? Dec(p) : null),
                    (FixTag.StopPx, o.StopPrice is { } sp && sp != 0 ? Dec(sp) : null), (FixTag.LeavesQty, Int(o.LeavesQuantity)),
                    (FixTag.CumQty, Int(o.FilledQuantity)), (FixTag.AvgPx, Dec(o.FilledQuantity == 0 ? 0 : o.FilledNotional / o.FilledQuantity)),
                    (FixTag.TransactTime, Time(entry.clock.UtcNow)), (FixTag.MassStatusReqId, r.ClOrdId),
                    (FixTag.TotNumReports, Int(orders.Count)), (FixTag.LastRptRequested, i == orders.Count - 1 ? "Y" : "N")));
            }
        }

        /// <summary>
        /// The symbols of the derivatives listed on the underlying a MassStatusReqType 6 request names (UnderlyingSecurityID as an ISIN,
        /// source 4, else UnderlyingSymbol as the platform lists it), by the instruments' underlying ISIN; none listed is an empty set.
        /// Null when the underlying cannot be read, after a BusinessMessageReject naming the tag.
        /// </summary>
        private async Task<IReadOnlySet<string>?> DerivativesOnAsync(FixRequest r)
        {
            string isin;
            if (r.UnderlyingSecurityId is { } given)
            {
                if (given.Source != "4")
                {
                    await BusinessRejectAsync(r, FixBusinessRejectReason.Other,
                        $"UnderlyingSecurityIDSource ({FixTag.UnderlyingSecurityIdSource}) must be 4 (ISIN) with UnderlyingSecurityID ({FixTag.UnderlyingSecurityId}), " +
                        $"not '{given.Source}'; or name the underlying by UnderlyingSymbol ({FixTag.UnderlyingSymbol})");
                    return null;
                }

                isin = given.Id;
            }
            else if (entry.referenceData.TryGet(r.UnderlyingSymbol!, out var named))
            {
                isin = named.Row.Isin;
            }
            else
            {
                await BusinessRejectAsync(r, FixBusinessRejectReason.UnknownSecurity,
                    $"unknown underlying '{r.UnderlyingSymbol}' ({FixTag.UnderlyingSymbol}): give the symbol GET /api/v1/instruments lists");
                return null;
            }

            return entry.referenceData.Instruments.Where(i => i.Row.IsDerivative && string.Equals(i.Row.UnderlyingIsin, isin, StringComparison.Ordinal))
                .Select(i => i.Row.Symbol).ToHashSet(StringComparer.Ordinal);
        }

        private Task BusinessRejectAsync(FixRequest r, FixBusinessRejectReason reason, string text)
        {
            entry.log.LogInformation("FIX order entry {Session}: {MsgType} {Id} refused: {Text}", CompId, r.MsgType, r.ClOrdId, text);
            return SendAsync("j", Body((FixTag.RefSeqNum, Int(r.MsgSeqNum)), (FixTag.RefMsgType, r.MsgType), (BusinessRejectRefId, r.ClOrdId),
                (FixTag.BusinessRejectReason, Int((int)reason)), (FixTag.Text, text)));
        }

        private byte[] MassCancelReport(FixRequest r, char response, int? rejectReason, int affected, string text) => Body(
            (FixTag.ClOrdId, r.ClOrdId), (FixTag.OrderId, "MC-" + r.ClOrdId), (FixTag.MassCancelRequestType, r.MassCancelType.ToString()),
            (MassCancelResponse, response.ToString()), (MassCancelRejectReason, rejectReason is { } rr ? Int(rr) : null),
            (TotalAffectedOrders, Int(affected)), (FixTag.Symbol, r.Symbol), (FixTag.TransactTime, Time(entry.clock.UtcNow)), (FixTag.Text, text));

        private string LocalExecId(string kind) =>
            string.Create(CultureInfo.InvariantCulture, $"{kind}-{CompId}-{entry.clock.UtcNow:yyyyMMddHHmmssfff}-{++localIds}");

        /// <summary>An ExecutionReport Rejected for a new order that wrote nothing (ExecID not a journal sequence).</summary>
        private Task RejectOrderAsync(FixRequest r, int reason, string text)
        {
            entry.log.LogInformation("FIX order entry {Session}: NewOrderSingle {ClOrdId} rejected: {Text}", CompId, r.ClOrdId, text);
            return SendAsync("8", Body((FixTag.OrderId, "NONE"), (FixTag.ClOrdId, r.ClOrdId), (FixTag.ExecId, LocalExecId("REJ")),
                (FixTag.ExecType, "8"), (FixTag.OrdStatus, "8"), (OrdRejReason, Int(reason)), (FixTag.Account, r.Account), (FixTag.Symbol, r.Symbol),
                (FixTag.Side, SideOf(r.Side)), (FixTag.OrderQty, Int(r.Quantity)), (FixTag.LeavesQty, "0"), (FixTag.CumQty, "0"), (FixTag.AvgPx, "0"),
                (FixTag.TransactTime, Time(entry.clock.UtcNow)), (FixTag.Text, text)));
        }

        private Task CancelRejectAsync(FixRequest r, char responseTo, int reason, OrderRecord? order, string text)
        {
            entry.log.LogInformation("FIX order entry {Session}: {MsgType} {ClOrdId} refused: {Text}", CompId, r.MsgType, r.ClOrdId, text);
            return SendAsync("9", Body((FixTag.OrderId, order is null ? "NONE" : Int(order.Id)), (FixTag.ClOrdId, r.ClOrdId),
                (FixTag.OrigClOrdId, r.OrigClOrdId), (FixTag.OrdStatus, order is null ? "8" : OrdStatusOf(order)),
                (FixTag.Account, order is null ? r.Account : Int(order.AccountId)), (CxlRejResponseTo, responseTo.ToString()),
                (CxlRejReason, Int(reason)), (FixTag.TransactTime, Time(entry.clock.UtcNow)), (FixTag.Text, text)));
        }

        private byte[] StatusReport(OrderRecord order, string clOrdId, string? text) => Body(
            (FixTag.OrderId, Int(order.Id)), (FixTag.ClOrdId, clOrdId), (FixTag.ExecId, LocalExecId("STATUS")), (FixTag.ExecType, "I"),
            (FixTag.OrdStatus, OrdStatusOf(order)), (FixTag.Account, Int(order.AccountId)), (FixTag.Symbol, order.Symbol),
            (FixTag.Side, SideOf(order.Side)), (FixTag.OrderQty, Int(order.Quantity)), (FixTag.Price, order.Price is { } p ? Dec(p) : null),
            (FixTag.LeavesQty, Int(order.LeavesQuantity)), (FixTag.CumQty, Int(order.FilledQuantity)),
            (FixTag.AvgPx, Dec(order.FilledQuantity == 0 ? 0 : order.FilledNotional / order.FilledQuantity)),
            (FixTag.TransactTime, Time(entry.clock.UtcNow)), (FixTag.Text, text));

        /// <summary>
        /// One journal entry of an order on the session's accounts, as an ExecutionReport, once: false when the session did not take
        /// it (not logged on), and then nothing changed and the session is behind until its next logon's catch-up.
        /// </summary>
        private async Task<bool> ReportAsync(OrderUpdated u)
        {
            if (u.Sequence <= lastSequence)
            {
                return true;
            }

            var kind = Enum.Parse<OrderEventKind>(u.Kind);
            var status = Enum.Parse<OrderStatus>(u.Status);
            var clOrdId = clOrdIds.GetValueOrDefault(u.OrderId, u.ClientOrderId);
            string? origClOrdId = null;
            var settlesPending = false;
            var settlesAnswered = false;
            var settlesRouted = false;
            ClientRequest? adopted = null;
            char? ordStatus = null;
            char execType;
            if (kind == OrderEventKind.CancelRejected && routed.TryGetValue(u.OrderId, out var refusedRequest))
            {
                // The venue refused the session's own cancel or replace (or it could not be sent): an OrderCancelReject under its ClOrdIDs.
                return await VenueRefusedAsync(u, status, refusedRequest);
            }

            switch (kind)
            {
                case OrderEventKind.Accepted or OrderEventKind.Released:
                    execType = '0';
                    break;
                case OrderEventKind.HeldForReview or OrderEventKind.Routed:
                    execType = 'A';
                    break;
                case OrderEventKind.Rejected:
                    execType = '8';
                    break;
                case OrderEventKind.PartiallyFilled or OrderEventKind.Filled:
                    execType = 'F';
                    break;
                case OrderEventKind.Canceled or OrderEventKind.Modified:
                    execType = kind == OrderEventKind.Canceled ? '4' : '5';
                    if (pending.TryGetValue(u.OrderId, out var request))
                    {
                        (clOrdId, origClOrdId) = request;
                        settlesPending = true;
                    }
                    else if (routed.TryGetValue(u.OrderId, out var sent) && sent.MsgType == (execType == '4' ? 'F' : 'G'))
                    {
                        // The venue carried out the session's cancel or replace of a routed order.
                        (clOrdId, origClOrdId) = (sent.ClOrdId, sent.OrigClOrdId);
                        settlesRouted = true;
                    }
                    else if (answered.TryGetValue(u.Sequence, out var before))
                    {
                        // Carried out before a restart and not reported then: its ClOrdIDs as the writer committed them.
                        (clOrdId, origClOrdId) = (before.ClOrdId, before.OrigClOrdId);
                        settlesAnswered = true;
                    }

                    break;
                case OrderEventKind.CancelRequested or OrderEventKind.ReplaceRequested:
                    // A cancel or replace of a routed order went to its venue: Pending Cancel (6) / Pending Replace (E) until it answers;
                    // under the ClOrdIDs of the session's request (a REST or mass cancel: the order's own ClOrdID).
                    execType = kind == OrderEventKind.CancelRequested ? '6' : 'E';
                    ordStatus = execType;
                    if (routed.TryGetValue(u.OrderId, out var waiting))
                    {
                        (clOrdId, origClOrdId) = (waiting.ClOrdId, waiting.OrigClOrdId);
                    }
                    else if (answered.TryGetValue(u.Sequence, out var sentBefore))
                    {
                        // Sent before a restart and not reported then: the venue's answer, a later entry, is this request's too.
                        (clOrdId, origClOrdId) = (sentBefore.ClOrdId, sentBefore.OrigClOrdId);
                        adopted = sentBefore;
                    }

                    break;
                default:
                    // Triggered (a stop reached its price): the order keeps its state; a restatement.
                    execType = 'D';
                    break;
            }

            var orderNotional = notional.GetValueOrDefault(u.OrderId);
            if (execType == 'F' && u.FillPrice is { } fillPrice && u.FillQuantity is { } fillQuantity)
            {
                orderNotional += fillPrice * fillQuantity;
            }

            var avgPx = AvgPx(u, orderNotional);
            var text = u.Reason;
            int? rejectReason = null;
            if (execType == '8')
            {
                var code = entry.openOrders.TryGetRecent(u.OrderId, out var rejected) && rejected.RejectCode is { } c ? c : 0;
                rejectReason = code == 0 ? 99 : OrdRejReasonOf((RejectCode)code);
                text = code == 0 ? u.Reason : $"rejectCode {code}: {u.Reason ?? RejectReasons.Describe((RejectCode)code)}";
            }

            var body = Body((FixTag.OrderId, Int(u.OrderId)), (FixTag.ClOrdId, clOrdId), (FixTag.OrigClOrdId, origClOrdId),
                (FixTag.ExecId, Int(u.Sequence)), (FixTag.ExecType, execType.ToString()), (FixTag.OrdStatus, ordStatus?.ToString() ?? OrdStatusOf(status)),
                (OrdRejReason, rejectReason is { } rr ? Int(rr) : null), (FixTag.Account, Int(u.AccountId)), (FixTag.Symbol, u.Symbol),
                (FixTag.Side, u.Side == nameof(Side.Buy) ? "1" : "2"), (FixTag.OrderQty, Int(u.Quantity)), (FixTag.Price, u.Price is { } p ? Dec(p) : null),
                (FixTag.LastQty, execType == 'F' ? Int(u.FillQuantity ?? 0) : null), (FixTag.LastPx, execType == 'F' && u.FillPrice is { } lp ? Dec(lp) : null),
                (FixTag.LeavesQty, Int(u.LeavesQuantity)), (FixTag.CumQty, Int(u.FilledQuantity)), (FixTag.AvgPx, Dec(avgPx)),
                (FixTag.TransactTime, Time(u.Timestamp)), (FixTag.Text, text));
            var msgSeqNum = Driver is { } driver ? await SendThroughAsync(driver, "8"u8.ToArray(), body) : 0;
            if (msgSeqNum == 0)
            {
                behind = true;
                return false;
            }

            (lastSequence, lastMsgSeqNum, cursorDirty) = (u.Sequence, msgSeqNum, true);
            notional[u.OrderId] = orderNotional;
            if (adopted is { } carried)
            {
                answered.Remove(u.Sequence);
                routed[u.OrderId] = carried;
            }

            if (settlesPending || settlesAnswered || settlesRouted)
            {
                pending.Remove(u.OrderId);
                answered.Remove(u.Sequence);
                if (settlesRouted)
                {
                    routed.Remove(u.OrderId);
                }

                if (execType == '5')
                {
                    Remember(u.OrderId, clOrdId);
                }
            }

            if (status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected)
            {
                notional.Remove(u.OrderId);
                if (clOrdIds.Remove(u.OrderId, out var last))
                {
                    orderIds.Remove(last);
                }

                if (routed.Remove(u.OrderId, out var overtaken))
                {
                    // The order ended at the venue before its cancel or replace was carried out (filled first, or canceled there): the
                    // venue's own refusal then names an order the platform has closed, so the session's request is answered here.
                    await SendAsync("9", CancelReject(u, status, overtaken, 0,
                        $"too late to {(overtaken.MsgType == 'F' ? "cancel" : "replace")}: order {u.OrderId} is {status} ({u.Reason ?? kind.ToString()})"));
                }
            }

            return true;
        }

        /// <summary>
        /// The venue refused the session's cancel or replace of a routed order (journal entry CancelRejected; or the request could
        /// not be sent after its commit): an OrderCancelReject with the request's ClOrdIDs, CxlRejResponseTo 1 or 2, the venue's
        /// CxlRejReason (kept with the entry; 99 when there is none) and the reason in Text. Sent once, as the entry's report.
        /// </summary>
        private async Task<bool> VenueRefusedAsync(OrderUpdated u, OrderStatus status, ClientRequest request)
        {
            int? venueReason;
            await using (var scope = entry.scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
                venueReason = await db.OrderEvents.AsNoTracking().Where(e => e.Sequence == u.Sequence).Select(e => e.ReasonCode)
                    .FirstOrDefaultAsync(entry.stopping.Token);
            }

            var msgSeqNum = Driver is { } driver ? await SendThroughAsync(driver, "9"u8.ToArray(), CancelReject(u, status, request, venueReason ?? CxlOther, u.Reason)) : 0;
            if (msgSeqNum == 0)
            {
                behind = true;
                return false;
            }

            entry.log.LogInformation("FIX order entry {Session}: {MsgType} {ClOrdId} of order {OrderId} refused by its venue: {Text}", CompId,
                request.MsgType, request.ClOrdId, u.OrderId, u.Reason);
            (lastSequence, lastMsgSeqNum, cursorDirty) = (u.Sequence, msgSeqNum, true);
            routed.Remove(u.OrderId);
            answered.Remove(u.Sequence);
            return true;
        }

        private byte[] CancelReject(OrderUpdated u, OrderStatus status, ClientRequest request, int reason, string? text) => Body(
            (FixTag.OrderId, Int(u.OrderId)), (FixTag.ClOrdId, request.ClOrdId), (FixTag.OrigClOrdId, request.OrigClOrdId),
            (FixTag.OrdStatus, OrdStatusOf(status)), (FixTag.Account, Int(u.AccountId)), (CxlRejResponseTo, request.MsgType == 'F' ? "1" : "2"),
            (CxlRejReason, Int(reason)), (FixTag.TransactTime, Time(u.Timestamp)), (FixTag.Text, text));

        /// <summary>
        /// The client's cursor from the database; the first time the client is configured, the journal's end (a new client is sent
        /// what happens from then on, not the platform's history).
        /// </summary>
        private async Task LoadCursorAsync()
        {
            await using var scope = entry.scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var cursor = await db.FixReportCursors.AsNoTracking().SingleOrDefaultAsync(c => c.ClientCompId == CompId, entry.stopping.Token);
            if (cursor is null)
            {
                cursor = new FixReportCursor
                {
                    ClientCompId = CompId, LastSequence = await db.OrderEvents.MaxAsync(e => (long?)e.Sequence, entry.stopping.Token) ?? 0,
                    UpdatedAt = entry.clock.UtcNow,
                };
                db.FixReportCursors.Add(cursor);
                await db.SaveChangesAsync(entry.stopping.Token);
            }

            (lastSequence, lastMsgSeqNum) = (cursor.LastSequence, cursor.MsgSeqNum);
            await LoadClOrdIdsAsync(db);
        }

        /// <summary>
        /// The session's replaces' and cancels' ClOrdIDs from <c>fix_client_order_ids</c>: every one (a request may name it, none
        /// may be used again), those whose journal entry is not reported yet (their reports carry them), and each order still open
        /// that was replaced answers to its last replace's ClOrdID, as it did before the restart.
        /// </summary>
        private async Task LoadClOrdIdsAsync(TradSysDbContext db)
        {
            var kept = await db.FixClientOrderIds.AsNoTracking().Where(c => c.ClientCompId == CompId)
                .OrderBy(c => c.Sequence).ToListAsync(entry.stopping.Token);
            var outcomes = await RoutedOutcomesAsync(db, kept);
            var replaced = new Dictionary<long, string>();
            foreach (var k in kept)
            {
                requests[k.ClOrdId] = k.OrderId;
                var request = new ClientRequest(k.ClOrdId, k.OrigClOrdId, k.MsgType == "F" ? 'F' : 'G');
                if (k.Sequence > lastSequence)
                {
                    answered[k.Sequence] = request;
                }

                // A request sent to the venue (its entry ReplaceRequested or CancelRequested) is settled by the order's next answer; one
                // whose pending report went out and whose answer did not (or has not come) is still the session's, as it was before.
                var sentToVenue = outcomes.TryGetValue(k.Sequence, out var outcome);
                if (sentToVenue && k.Sequence <= lastSequence && (outcome.Kind is null || outcome.Sequence > lastSequence))
                {
                    routed[k.OrderId] = request;
                }

                if (k.MsgType == "G" && (!sentToVenue || outcome.Kind == OrderEventKind.Modified))
                {
                    replaced[k.OrderId] = k.ClOrdId;
                }
            }

            if (replaced.Count == 0)
            {
                return;
            }

            var ids = replaced.Keys.ToArray();
            var open = await db.Orders.AsNoTracking()
                .Where(o => ids.Contains(o.Id) && o.Status != OrderStatus.Filled && o.Status != OrderStatus.Canceled && o.Status != OrderStatus.Rejected)
                .Select(o => o.Id).ToListAsync(entry.stopping.Token);
            foreach (var id in open)
            {
                Remember(id, replaced[id]);
            }
        }

        /// <summary>
        /// For each kept request that went to a venue (its journal entry is ReplaceRequested or CancelRequested, by the entry's sequence),
        /// the order's next entry that answered it: Modified, Canceled, CancelRejected, or one that ended the order (a fill first); no
        /// kind while none has come yet.
        /// </summary>
        private async Task<Dictionary<long, (OrderEventKind? Kind, long Sequence)>> RoutedOutcomesAsync(TradSysDbContext db,
            List<FixClientOrderIdRecord> kept)
        {
            var result = new Dictionary<long, (OrderEventKind? Kind, long Sequence)>();
            if (kept.Count == 0)
            {
                return result;
            }

            var orders = kept.Select(k => k.OrderId).Distinct().ToArray();
            var from = kept.Min(k => k.Sequence);
            var events = await db.OrderEvents.AsNoTracking()
                .Where(e => orders.Contains(e.OrderId) && e.Sequence >= from && (e.Kind == OrderEventKind.CancelRequested ||
                    e.Kind == OrderEventKind.ReplaceRequested || e.Kind == OrderEventKind.Modified || e.Kind == OrderEventKind.Canceled ||
                    e.Kind == OrderEventKind.CancelRejected || e.Status == OrderStatus.Filled || e.Status == OrderStatus.Rejected))
                .OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.OrderId, e.Kind }).ToListAsync(entry.stopping.Token);
            foreach (var k in kept)
            {
                var own = events.FirstOrDefault(e => e.Sequence == k.Sequence);
                if (own is null || own.Kind is not (OrderEventKind.CancelRequested or OrderEventKind.ReplaceRequested))
                {
                    continue;
                }

                var answer = events.FirstOrDefault(e => e.OrderId == k.OrderId && e.Sequence > k.Sequence &&
                    e.Kind is not (OrderEventKind.CancelRequested or OrderEventKind.ReplaceRequested));
                result[k.Sequence] = answer is null ? (null, 0) : (answer.Kind, answer.Sequence);
            }

            return result;
        }

        private async Task SaveCursorAsync()
        {
            await using var scope = entry.scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var (sequence, msgSeqNum, now) = (lastSequence, lastMsgSeqNum, entry.clock.UtcNow);
            await db.FixReportCursors.Where(c => c.ClientCompId == CompId).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.LastSequence, sequence).SetProperty(c => c.MsgSeqNum, msgSeqNum).SetProperty(c => c.UpdatedAt, now),
                entry.stopping.Token);
            cursorDirty = false;
        }

        /// <summary>
        /// The crash check for OrderCancelRejects sent after the cursor's MsgSeqNum: one relayed from the journal (a venue's refusal
        /// of the session's cancel or replace, <see cref="VenueRefusedAsync"/>) carries no ExecID, but it is the report of the order's
        /// CancelRejected entry, and carries that entry's time (TransactTime, to the millisecond) and reason (Text, as sent in ASCII):
        /// the cursor moves past the entry it matches. An OrderCancelReject answered at once (nothing journalled) or one sent after an
        /// order ended (its TransactTime is the final entry's, not a CancelRejected one's) matches none.
        /// </summary>
        private async Task PastRelayedCancelRejectsAsync(TradSysDbContext db, List<(long OrderId, string TransactTime, string Text, int MsgSeqNum)> relayed)
        {
            var orders = relayed.Select(r => r.OrderId).Distinct().ToArray();
            var after = lastSequence;
            var entries = await db.OrderEvents.AsNoTracking()
                .Where(e => orders.Contains(e.OrderId) && e.Sequence > after && e.Kind == OrderEventKind.CancelRejected)
                .Select(e => new { e.Sequence, e.OrderId, e.Timestamp, e.Reason }).ToListAsync(entry.stopping.Token);
            foreach (var r in relayed)
            {
                foreach (var e in entries)
                {
                    if (e.OrderId == r.OrderId && e.Sequence > lastSequence && Time(e.Timestamp) == r.TransactTime &&
                        string.Equals(Encoding.ASCII.GetString(Encoding.ASCII.GetBytes(e.Reason ?? "")), r.Text, StringComparison.Ordinal))
                    {
                        (lastSequence, lastMsgSeqNum, cursorDirty) = (e.Sequence, Math.Max(lastMsgSeqNum, r.MsgSeqNum), true);
                        // As when it was sent: the request it answered waits no more (the order ending later must not answer it
                        // again with a "too late" OrderCancelReject).
                        routed.Remove(e.OrderId);
                        answered.Remove(e.Sequence);
                    }
                }
            }
        }

        /// <summary>
        /// On logon: the cursor is first moved past any ExecutionReport (and relayed OrderCancelReject,
        /// <see cref="PastRelayedCancelRejectsAsync"/>) the session sent after it was last saved (a crash between
        /// the send, which the session store keeps for resends, and the save), read from the session's kept messages after the
        /// cursor's MsgSeqNum; then the journal entries after it on the session's accounts are sent in journal order, a page at a
        /// time, and live updates follow. If the session logs off meanwhile it stays behind, and the next logon goes on from there.
        /// </summary>
        private async Task CatchUpAsync()
        {
            if (Driver is null || entry.acceptor is not { } acceptor)
            {
                return;
            }

            // The catch-up reads the messages kept in the store: what this worker's driver holds is committed first.
            await FlushHeldAsync();

            await using var scope = entry.scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var sessionId = DatabaseFixSessionStore.IdOf(acceptor.Sessions.First(x => x.Settings.TargetCompId == CompId).Settings);
            var afterSeqNum = lastMsgSeqNum;
            var kept = await db.FixMessages.AsNoTracking().Where(m => m.SessionId == sessionId && m.MsgSeqNum > afterSeqNum)
                .OrderBy(m => m.MsgSeqNum).Select(m => new { m.MsgSeqNum, m.Message }).ToListAsync(entry.stopping.Token);
            var parsed = new FixMessage();
            var relayed = new List<(long OrderId, string TransactTime, string Text, int MsgSeqNum)>();
            foreach (var m in kept)
            {
                if (!parsed.Parse(m.Message))
                {
                    continue;
                }

                if (parsed.MsgType.SequenceEqual("8"u8) && parsed.TryGetSpan(FixTag.ExecId, out var execId) &&
                    long.TryParse(execId, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > lastSequence)
                {
                    (lastSequence, lastMsgSeqNum, cursorDirty) = (sequence, m.MsgSeqNum, true);
                }
                else if (parsed.MsgType.SequenceEqual("9"u8) && parsed.TryGetSpan(FixTag.OrderId, out var orderId) &&
                         long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var order) &&
                         parsed.TryGetSpan(FixTag.TransactTime, out var transactTime))
                {
                    relayed.Add((order, Encoding.ASCII.GetString(transactTime),
                        parsed.TryGetSpan(FixTag.Text, out var text) ? Encoding.ASCII.GetString(text) : "", m.MsgSeqNum));
                }
            }

            if (relayed.Count > 0)
            {
                await PastRelayedCancelRejectsAsync(db, relayed);
            }

            var accounts = Client.Binding.Accounts.ToArray();
            while (!entry.stopping.IsCancellationRequested)
            {
                var after = lastSequence;
                var page = await (from e in db.OrderEvents.AsNoTracking()
                    join o in db.Orders.AsNoTracking() on e.OrderId equals o.Id
                    where e.Sequence > after && accounts.Contains(o.AccountId)
                    orderby e.Sequence
                    select new { e, o }).Take(CatchUpPage).ToListAsync(entry.stopping.Token);
                // The fills before the cursor of the page's orders this worker has no figures for (a restart): for AvgPx.
                var unknown = page.Select(r => r.e.OrderId).Where(id => !notional.ContainsKey(id)).Distinct().ToArray();
                if (unknown.Length > 0)
                {
                    var fills = await db.OrderEvents.AsNoTracking()
                        .Where(e => unknown.Contains(e.OrderId) && e.Sequence <= after && e.FillQuantity != null)
                        .Select(e => new { e.OrderId, e.FillPrice, e.FillQuantity }).ToListAsync(entry.stopping.Token);
                    foreach (var id in unknown)
                    {
                        notional[id] = fills.Where(f => f.OrderId == id).Sum(f => (f.FillPrice ?? 0) * (f.FillQuantity ?? 0));
                    }
                }

                foreach (var row in page)
                {
                    if (!await ReportAsync(Messaging.OutboxPublisher.ToContract(row.e, row.o)))
                    {
                        entry.log.LogInformation("FIX order entry {Session}: logged off while being caught up; going on at the next logon", CompId);
                        return;
                    }
                }

                if (page.Count < CatchUpPage)
                {
                    break;
                }
            }

            behind = false;
        }

        /// <summary>The fills' average price: from the fills this session saw, or the order's own figures when it missed some.</summary>
        private decimal AvgPx(OrderUpdated u, decimal orderNotional)
        {
            if (u.FilledQuantity == 0)
            {
                return 0;
            }

            if (entry.openOrders.TryGetRecent(u.OrderId, out var order) && order.FilledQuantity == u.FilledQuantity)
            {
                return order.FilledNotional / order.FilledQuantity;
            }

            return orderNotional / u.FilledQuantity;
        }

        private Task RefuseAsync(FixRequest r, string text, int rejectReason, int cxlReason) => r.MsgType switch
        {
            "D" => RejectOrderAsync(r, rejectReason, text),
            "F" => CancelRejectAsync(r, '1', cxlReason, null, text),
            "G" => CancelRejectAsync(r, '2', cxlReason, null, text),
            "AF" => BusinessRejectAsync(r, FixBusinessRejectReason.ApplicationNotAvailable, text),
            _ => SendAsync("r", MassCancelReport(r, '0', 99, 0, text)),
        };
    }

    /// <summary>A new order checked and (once <see cref="Result"/> is set) handed to the writer, waiting for its answer.</summary>
    private sealed record InFlightOrder(FixRequest Request, long Account, TradableInstrument Instrument, Price Price, DateTime Now,
        SubmitCommand Command, Task<SequencerResult>? Result);

    /// <summary>A session's cancel (F) or replace (G) of an order: its ClOrdID and OrigClOrdID.</summary>
    private readonly record struct ClientRequest(string ClOrdId, string OrigClOrdId, char MsgType);

    private static string SideOf(Side side) => side == Side.Buy ? "1" : "2";

    private static string OrdTypeOf(OrderType type) => type switch
    {
        OrderType.Market => "1",
        OrderType.Limit => "2",
        OrderType.Stop => "3",
        _ => "4",
    };

    /// <summary>An order's OrdStatus, Pending Cancel (6) or Pending Replace (E) while a request waits for its venue's answer.</summary>
    private static string OrdStatusOf(OrderRecord order) => order.VenuePending switch
    {
        Ordering.Stages.RouteStage.PendingCancel when order.IsWorking => "6",
        Ordering.Stages.RouteStage.PendingReplace when order.IsWorking => "E",
        _ => OrdStatusOf(order.Status),
    };

    private static string OrdStatusOf(OrderStatus status) => status switch
    {
        OrderStatus.Accepted => "0",
        OrderStatus.PartiallyFilled => "1",
        OrderStatus.Filled => "2",
        OrderStatus.Canceled => "4",
        OrderStatus.Rejected => "8",
        _ => "A",
    };
}
