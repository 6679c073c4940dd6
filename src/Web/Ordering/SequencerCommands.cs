using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Ordering;

/// <summary>A command for the single writer. Each carries who asked, for the audit trail.</summary>
public abstract record SequencerCommand(string Actor);

/// <summary>A new order that passed every pre-trade stage.</summary>
/// <remarks>The writer checks that the account exists, is open and belongs to <paramref name="UserId"/>, and applies the
/// account's self-trade prevention.</remarks>
public sealed record SubmitCommand(string Actor, long UserId, long AccountId, string ClientOrderId, TradableInstrumentRef Instrument,
    Side Side, OrderType Type, TimeInForce TimeInForce, Price Price, Quantity Quantity, Price StopPrice = default,
    Quantity DisplayQuantity = default, long ExpireAt = 0, OrderTerms? Terms = null)
    : SequencerCommand(Actor);

/// <summary>
/// What would the rule packs decide on this new order now? Evaluated by the single writer (the packs read its aggregates
/// and books) exactly as <see cref="SubmitCommand"/> would be, re-validated at the writer's timestamp, but nothing is
/// created, journalled or remembered: no order, no decision row, no audit record, no aggregate change.
/// </summary>
/// <param name="Order">The order as it would be submitted.</param>
/// <param name="AnyAccount">True for a compliance officer's sample order on any open account (the rule editor); false for a
/// trader's check, which, like a submit, must be on their own account.</param>
public sealed record CheckOrderCommand(SubmitCommand Order, bool AnyAccount = false) : SequencerCommand(Order.Actor);

/// <summary>
/// Release an order held for review (status PendingReview) to the engine, re-validated at the writer's timestamp.
/// The workflow's sendToEngine action runs this inside the writer (see <see cref="WorkflowTaskCommand"/>).
/// </summary>
public sealed record ReleaseHeldOrderCommand(string Actor, long OrderId, string Reason) : SequencerCommand(Actor);

/// <summary>
/// Reject an order held for review: it ends Canceled with the reviewers' reason and never reaches the engine.
/// The workflow's reject action runs this inside the writer (the trader's own cancel is <see cref="CancelCommand"/>).
/// </summary>
public sealed record RejectHeldOrderCommand(string Actor, long OrderId, string Reason) : SequencerCommand(Actor);

/// <summary>What a person does with a task of an order's workflow.</summary>
public enum WorkflowTaskAction
{
    Claim,
    Approve,
    Reject,
    Reassign,
}

/// <summary>
/// A person's decision on a task of an order's workflow (claim, approve, reject, reassign), decided by the single writer, which
/// owns the open order instances: the change, its effect on the held order (released to the engine, or rejected) and the
/// instance's log are one transaction, and of two racing decisions the one queued first wins.
/// </summary>
/// <param name="Actor">Who, for the audit trail.</param>
/// <param name="By">Who, with their roles.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Action">What.</param>
/// <param name="Comment">Approval note or rejection reason.</param>
/// <param name="ToUser">Reassign: the new assignee.</param>
/// <param name="ToRole">Reassign: the new role.</param>
/// <param name="ExpectedVersion">The instance version the caller saw, if given: a different current version is a conflict.</param>
public sealed record WorkflowTaskCommand(string Actor, WorkflowActor By, Guid TaskId, WorkflowTaskAction Action, string? Comment = null,
    string? ToUser = null, string? ToRole = null, long? ExpectedVersion = null) : SequencerCommand(Actor);

/// <summary>A workflow timer of an order instance is due (from the Hangfire job); stale timers do nothing.</summary>
public sealed record WorkflowTimerCommand(string Actor, Guid InstanceId, string Timer, int StateEnteredSequence) : SequencerCommand(Actor);

/// <summary>Cancel every working order of the given accounts, optionally of one instrument only.</summary>
public sealed record MassCancelCommand(string Actor, IReadOnlyList<long> AccountIds, InstrumentId? Instrument) : SequencerCommand(Actor);

/// <summary>Amend a working order's price and/or total quantity, or a waiting stop order's stop price too (zero keeps it).</summary>
/// <param name="Actor">Who, for the audit trail.</param>
/// <param name="OrderId">The order.</param>
/// <param name="NewPrice">The new limit price (zero keeps it).</param>
/// <param name="NewQuantity">The new total quantity.</param>
/// <param name="NewStopPrice">A waiting stop's new stop price (zero keeps it).</param>
/// <param name="UserId">The trader asking: the writer refuses (<see cref="SequencerOutcome.NotYourAccount"/>) unless they own the
/// order's account; null for the platform's own amendments.</param>
/// <param name="Fix">A FIX client's OrderCancelReplaceRequest: its ClOrdID is committed with the amendment.</param>
/// <param name="AmendKey">The REST caller's <c>Idempotency-Key</c>: kept on the order with the amendment (<see cref="OrderRecord.AmendKey"/>);
/// the same key again finds the amendment carried out already (<see cref="SequencerOutcome.AmendReplayed"/>) and changes nothing.</param>
public sealed record ModifyCommand(string Actor, long OrderId, Price NewPrice, Quantity NewQuantity, Price NewStopPrice = default, long? UserId = null,
    FixClientRequest? Fix = null, string? AmendKey = null)
    : SequencerCommand(Actor);

/// <summary>Cancel a working or held order.</summary>
/// <param name="Actor">Who, for the audit trail.</param>
/// <param name="OrderId">The order.</param>
/// <param name="UserId">The trader asking: the writer refuses (<see cref="SequencerOutcome.NotYourAccount"/>) unless they own the
/// order's account; null for the platform's own cancels.</param>
/// <param name="Fix">A FIX client's OrderCancelRequest: its ClOrdID is committed with the cancel.</param>
public sealed record CancelCommand(string Actor, long OrderId, long? UserId = null, FixClientRequest? Fix = null) : SequencerCommand(Actor);

/// <summary>
/// The ClOrdID of a FIX client's replace (35=G) or cancel (35=F): when the writer carries the request out it writes it to
/// <c>fix_client_order_ids</c> in the same transaction, so the order answers to it after a restart too.
/// </summary>
/// <param name="ClientCompId">The client session's comp id.</param>
/// <param name="MsgType">G or F.</param>
/// <param name="ClOrdId">The request's ClOrdID.</param>
/// <param name="OrigClOrdId">The request's OrigClOrdID.</param>
public sealed record FixClientRequest(string ClientCompId, string MsgType, string ClOrdId, string OrigClOrdId);

/// <summary>
/// Expire DAY orders whose trading day is over: the venue is closed now, or the venue-local date has
/// moved on since the order was accepted (the internal venue never closes, so its day ends at midnight).
/// </summary>
public sealed record ExpireDayOrdersCommand(string Actor) : SequencerCommand(Actor);

/// <summary>
/// Bring every instrument's trading mode in line with its venue's phase now (uncrossing calls that are over, resuming
/// suspensions that have run their time). Every batch does this first; the session watcher sends this command so it also
/// happens when nobody trades.
/// </summary>
public sealed record AdvancePhasesCommand(string Actor) : SequencerCommand(Actor);

/// <summary>Level 1 now: best bid and ask from the book, and the trading day's statistics.</summary>
public sealed record QuoteQuery(string Actor, InstrumentId Instrument) : SequencerCommand(Actor);

/// <summary>Read the order book in sequence with the writes (the engine is single-threaded by design).</summary>
public sealed record DepthQuery(string Actor, InstrumentId Instrument, int Levels) : SequencerCommand(Actor);

/// <summary>
/// Set the trading status (kill switch) of the firm, a trader or an account: effective for the very next command the writer
/// takes, committed and audited with the batch.
/// </summary>
/// <param name="Actor">Who (a risk officer or an admin).</param>
/// <param name="Scope">Firm, Trader or Account.</param>
/// <param name="Key">"firm", the user id or the account id.</param>
/// <param name="Status">Active, ReducingOnly or Halted.</param>
/// <param name="Reason">Why (required).</param>
public sealed record SetTradingStatusCommand(string Actor, TradSys.Engine.Risk.PreTrade.RiskScope Scope, string Key,
    TradSys.Engine.Risk.PreTrade.TradingStatus Status, string Reason) : SequencerCommand(Actor);

/// <summary>
/// Propose a new version of a scope's pre-trade limits (the firm, a client category, an account or an instrument): nothing changes
/// until a different risk officer or an admin approves it (<see cref="DecideRiskLimitProposalCommand"/>); committed and audited
/// with the batch. The same proposer sending the very same change again while it is pending gets the pending one back.
/// </summary>
/// <param name="Actor">Who proposes it (a risk officer or an admin).</param>
/// <param name="Scope">Firm, ClientCategory, Account or Instrument.</param>
/// <param name="Key">"firm", the category, the account id or the symbol.</param>
/// <param name="Limits">The whole new limits (null fields: none at this scope).</param>
/// <param name="Currency">The money limits' currency.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="ExpectedVersion">The version the caller saw (0: none yet), if given: another current version is a conflict.</param>
public sealed record ProposeRiskLimitsCommand(string Actor, TradSys.Engine.Risk.PreTrade.RiskScope Scope, string Key,
    TradSys.Engine.Risk.PreTrade.RiskLimits Limits, string Currency, string Reason, int? ExpectedVersion) : SequencerCommand(Actor);

/// <summary>
/// Approve or reject a pending proposal of limits. Approval by anyone but its proposer makes it the scope's next version, effective
/// for the very next command, unless the scope is no longer at the version it was based on; rejection (by another officer) or
/// withdrawal (by the proposer) changes no limit. Committed and audited with the batch.
/// </summary>
/// <param name="Actor">Who decides (a risk officer or an admin).</param>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Approve">True to approve, false to reject (or withdraw one's own).</param>
/// <param name="Comment">The checker's comment on an approval (optional) or the reason for a rejection (required).</param>
public sealed record DecideRiskLimitProposalCommand(string Actor, long ProposalId, bool Approve, string? Comment) : SequencerCommand(Actor);

/// <summary>
/// Book a deposit (positive amount) or a withdrawal (negative) on an account's cash: effective for the very next order, committed
/// and audited with the batch. A withdrawal is refused when it is more than the settled cash in its currency or than the buying
/// power; a payment reference already booked on the account is refused.
/// </summary>
/// <param name="Actor">Who (an operations officer or an admin).</param>
/// <param name="Account">The account as the API read it (its base currency and credit line).</param>
/// <param name="Currency">ISO 4217 currency of the amount.</param>
/// <param name="Amount">Signed: positive paid in, negative paid out.</param>
/// <param name="Reference">The payment's reference, unique per account.</param>
/// <param name="Reason">Why (required).</param>
public sealed record BookCashCommand(string Actor, Account Account, string Currency, decimal Amount, string Reference, string Reason) : SequencerCommand(Actor);

/// <summary>
/// Pay a cash dividend's entitlements: one cash movement per account (reference <c>dividend:{id}</c>, kind Dividend), effective for the
/// very next order like a deposit, committed and audited with the batch. An account that already has the reference is left as it is
/// (paid once, however often this is sent); a negative amount (a short position owes the dividend) is booked whatever the buying power.
/// </summary>
/// <param name="Actor">Who (an operations officer, an admin, or "system" for the daily job).</param>
/// <param name="DividendId">The dividend.</param>
/// <param name="Currency">The dividend's currency.</param>
/// <param name="Reason">The movements' reason (the dividend in words).</param>
/// <param name="FirstPayment">True while the dividend is not marked paid: the payout is audited even when no account is entitled.</param>
/// <param name="Payments">Each entitled account with its signed quantity held and amount.</param>
public sealed record PayDividendCommand(string Actor, long DividendId, string Currency, string Reason, bool FirstPayment,
    IReadOnlyList<DividendPayment> Payments) : SequencerCommand(Actor);

/// <summary>One account's entitlement to a dividend: the shares held at the end of the day before the ex-date (negative: short) and the amount.</summary>
public sealed record DividendPayment(Account Account, long Quantity, decimal Amount);

/// <summary>
/// Apply a stock split to every line of its security (ISIN): positions multiplied by new/old (the fraction paid in cash in lieu),
/// reference prices divided, open orders canceled with <paramref name="CancelReason"/>, the split marked Applied, all in the batch's
/// transaction and audited (<c>SplitCommands</c>). Applying one already applied does nothing.
/// </summary>
/// <param name="Actor">Who (an operations officer, an admin, or "system" for the job).</param>
/// <param name="SplitId">The split.</param>
/// <param name="Symbol">The listing it was announced on.</param>
/// <param name="Isin">The security: every line with this ISIN is split.</param>
/// <param name="NewShares">Shares after for every <paramref name="OldShares"/> before.</param>
/// <param name="OldShares">Shares before.</param>
/// <param name="EffectiveDate">The first trading day in new shares: the stored daily closes before it are scaled.</param>
/// <param name="Reason">The split in words (the adjustments' and movements' reason).</param>
/// <param name="CancelReason">The open orders' cancel reason.</param>
/// <param name="Accounts">The accounts holding a line when the API read them (their base currency, for cash in lieu).</param>
public sealed record ApplySplitCommand(string Actor, long SplitId, string Symbol, string Isin, int NewShares, int OldShares, DateOnly EffectiveDate,
    string Reason, string CancelReason, IReadOnlyDictionary<long, Account> Accounts) : SequencerCommand(Actor);

/// <summary>
/// Apply a symbol change: list <paramref name="NewRow"/> (the old listing's copy under the new symbol), cancel the old symbol's open
/// orders with <paramref name="CancelReason"/>, move every position to the new symbol at its average cost, copy the stored daily closes
/// and delist the old symbol, all in the batch's transaction and audited (<c>SymbolChangeCommands</c>). Applying one already applied does nothing.
/// </summary>
/// <param name="Actor">Who (an operations officer, an admin, or "system" for the job).</param>
/// <param name="ChangeId">The symbol change.</param>
/// <param name="Symbol">The old symbol.</param>
/// <param name="NewRow">The listing under the new symbol (a detached copy of the old one with the new symbol, ISIN and name).</param>
/// <param name="EffectiveDate">The first trading day under the new symbol.</param>
/// <param name="Reason">The change in words (the adjustments', the listing's and the delisting's reason).</param>
/// <param name="CancelReason">The open orders' cancel reason.</param>
/// <param name="Positions">Each account's position in the old symbol when the API read it, with its average cost (the writer refuses
/// when a quantity has moved since).</param>
public sealed record ApplySymbolChangeCommand(string Actor, long ChangeId, string Symbol, Persistence.Entities.Instrument NewRow, DateOnly EffectiveDate,
    string Reason, string CancelReason, IReadOnlyList<SymbolChangePosition> Positions) : SequencerCommand(Actor);

/// <summary>An account's position in a symbol that changes, as the API read it: its quantity and average cost.</summary>
public sealed record SymbolChangePosition(long AccountId, long Quantity, decimal AverageCost);

/// <summary>An account's cash and buying power, read in sequence with the orders.</summary>
public sealed record CashQuery(string Actor, Account Account) : SequencerCommand(Actor);

/// <summary>
/// The risk state of accounts, read in sequence with the orders: each one's positions marked at the last trade of the day (or the
/// reference price), its open orders and their notional, its cash and reservations.
/// </summary>
public sealed record ExposureQuery(string Actor, IReadOnlyList<Account> Accounts) : SequencerCommand(Actor);

/// <summary>
/// List a new instrument (issue 14): the row, its version 1 and its audit record are committed with the batch; then the instrument
/// joins the reference data with the next id and the writer rebuilds its books from the database before it answers, so the listing's
/// caller can trade it at once; the first batch after sets its book to the venue's phase, as for every book.
/// </summary>
/// <param name="Actor">Who (operations or an admin).</param>
/// <param name="Row">The instrument as checked by the API (status Trading).</param>
/// <param name="Reason">Why (required).</param>
public sealed record ListInstrumentCommand(string Actor, Instrument Row, string Reason) : SequencerCommand(Actor);

/// <summary>
/// Change an instrument's listing fields (not its symbol, venue, currency or reference price): effective for the very next command
/// (a new lot size, the restricted flag, the Sharia inputs...), committed with a new version and an audit record.
/// </summary>
/// <param name="Actor">Who (operations or an admin).</param>
/// <param name="Row">The listing fields as they are to be (only those are taken).</param>
/// <param name="Reason">Why (required).</param>
/// <param name="ExpectedVersion">The version the caller saw, if given: another current version is a conflict.</param>
public sealed record EditInstrumentCommand(string Actor, Instrument Row, string Reason, int? ExpectedVersion) : SequencerCommand(Actor);

/// <summary>
/// Delist an instrument: from the very next command it takes no orders (refused at validation, "is Delisted"); its working orders
/// are canceled in the same batch, each with the delisting as its reason; orders held for review stay held and are refused if
/// released. Committed with a new version and an audit record.
/// </summary>
/// <param name="Actor">Who (operations or an admin).</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="ExpectedVersion">The version the caller saw, if given: another current version is a conflict.</param>
public sealed record DelistInstrumentCommand(string Actor, string Symbol, string Reason, int? ExpectedVersion) : SequencerCommand(Actor);

/// <summary>
/// Import listings from a CSV file (issue 14): every line lists a new instrument or replaces a listed one's fields, all of them in
/// the one batch or none. The writer checks every line first (a symbol listed since the caller's check, a delisted instrument, a
/// version that moved) and refuses the whole import, with each line's problem, before it changes anything; otherwise each line is
/// a <see cref="ListInstrumentCommand"/> or an <see cref="EditInstrumentCommand"/> of the same batch, audited as such.
/// </summary>
/// <param name="Actor">Who (operations or an admin).</param>
/// <param name="Lines">The file's lines as checked by the API, in the order of the file.</param>
public sealed record ImportInstrumentsCommand(string Actor, IReadOnlyList<ImportedListing> Lines) : SequencerCommand(Actor);

/// <summary>
/// Replace a venue's calendar (issue 14): time zone, trading days, sessions, holidays and half days, as checked by the API. The
/// reference data takes it at once, so the next batch's phases follow it (a holiday added for today closes the venue's books for
/// the next order). Committed with a new version and an audit record.
/// </summary>
/// <param name="Actor">Who (operations or an admin).</param>
/// <param name="Row">A venue row carrying the new calendar (its other fields are not read).</param>
/// <param name="Reason">Why (required).</param>
/// <param name="ExpectedVersion">The version the caller saw, if given: another current version is a conflict.</param>
public sealed record EditVenueCalendarCommand(string Actor, Venue Row, string Reason, int? ExpectedVersion) : SequencerCommand(Actor);

/// <summary>One line of an instrument import.</summary>
/// <param name="Line">Its line in the file (the header is line 1).</param>
/// <param name="Row">The instrument as it is to be (a new listing, or a listed one's fields).</param>
/// <param name="IsNew">True to list it, false to replace a listed instrument's fields.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="ExpectedVersion">The version the file says it changes, if given: another current version refuses the import.</param>
public sealed record ImportedListing(int Line, Instrument Row, bool IsNew, string Reason, int? ExpectedVersion);

/// <summary>The instrument a command is for (engine id and symbol).</summary>
public readonly record struct TradableInstrumentRef(InstrumentId Id, string Symbol, int PriceDecimals, string Currency);

/// <summary>What the single writer did with a command.</summary>
public enum SequencerOutcome
{
    /// <summary>A new order was created (its status says whether it was accepted, filled, held for review, or rejected by a rule pack or the engine).</summary>
    Created,
    /// <summary>The account already has an order with this client order id and the same terms: that order is returned.</summary>
    Duplicate,
    /// <summary>The client order id is taken by an order with different terms.</summary>
    DuplicateMismatch,
    /// <summary>The account does not exist; nothing was written.</summary>
    UnknownAccount,
    /// <summary>The account is not the caller's: a trader may trade only their own accounts; nothing was written.</summary>
    NotYourAccount,
    /// <summary>The account is closed; nothing was written.</summary>
    AccountClosed,
    Modified,
    Canceled,
    /// <summary>The engine refused an amend or cancel (see the reject code).</summary>
    Refused,
    /// <summary>Validation at the journal's timestamp refused it (e.g. the session closed in between); nothing was written.</summary>
    Invalid,
    DepthRead,
    QuoteRead,
    /// <summary>A <see cref="CheckOrderCommand"/> was evaluated: <see cref="SequencerResult.Decision"/> is what the packs decided; nothing was written.</summary>
    Checked,
    /// <summary>
    /// A mass cancel ran; <see cref="SequencerResult.OrderIds"/> lists what it canceled, <see cref="SequencerResult.VenueCancelIds"/> the
    /// routed orders whose OrderCancelRequest goes to their venue (canceled when the venue confirms), <see cref="SequencerResult.NotCanceled"/>
    /// the routed orders it could not cancel, each with why.
    /// </summary>
    MassCanceled,
    /// <summary>DAY orders were expired (see <see cref="SequencerResult.Count"/>).</summary>
    Expired,
    /// <summary>Trading phases were brought up to date; <see cref="SequencerResult.Count"/> instruments changed mode.</summary>
    PhasesAdvanced,

    /// <summary>
    /// The rule packs refused an amendment (Block, or Review: a working order cannot wait for review in the book); the order
    /// keeps its terms. <see cref="SequencerResult.Decision"/> says why.
    /// </summary>
    AmendRefusedByRules,

    /// <summary>
    /// The amendment's <see cref="ModifyCommand.AmendKey"/> is the one the order's last amendment carried: that amendment was carried
    /// out already and nothing was written; <see cref="SequencerResult.Order"/> is the order as it stands.
    /// </summary>
    AmendReplayed,

    /// <summary>A held order was released to the engine (its status says what the engine did with it).</summary>
    Released,

    /// <summary>A held order was rejected in its compliance review: Rejected, with the reviewer's reason (RejectCode.RejectedInReview).</summary>
    RejectedInReview,

    /// <summary>A workflow task decision or timer ran; <see cref="SequencerResult.Workflow"/> says what came of it.</summary>
    WorkflowStep,
    /// <summary>No open order workflow has the task or instance (unknown, finished, or a rule-pack workflow).</summary>
    WorkflowNotFound,
    /// <summary>The instance's version is not the one the caller saw; nothing was done.</summary>
    WorkflowConflict,

    /// <summary>A trading status or a version of limits was set (<see cref="SequencerResult.Risk"/>).</summary>
    RiskControlSet,

    /// <summary>
    /// A trading status was set to the status and reason already in force: nothing was written (<see cref="SequencerResult.Risk"/>:
    /// the status in force, as it was set).
    /// </summary>
    RiskControlUnchanged,

    /// <summary>The limits' current version is not the one the caller saw or the proposal was based on; nothing was done (<see cref="SequencerResult.Risk"/>: the current one, or null).</summary>
    RiskControlConflict,

    /// <summary>A change of limits was proposed, or rejected or withdrawn (<see cref="SequencerResult.Risk"/>: the proposal).</summary>
    RiskLimitProposal,

    /// <summary>No pending proposal has that id (unknown or already decided); nothing was done.</summary>
    RiskLimitProposalNotPending,

    /// <summary>The proposer tried to approve their own proposal; nothing was done (<see cref="SequencerResult.Risk"/>: the proposal).</summary>
    RiskLimitProposalMakerCannotApprove,

    /// <summary>A deposit or withdrawal was booked (<see cref="SequencerResult.Risk"/>: the account's cash statement after it).</summary>
    CashBooked,

    /// <summary>A withdrawal or a payment reference was refused; nothing was done (<see cref="SequencerResult.Risk"/>: a <c>CashRefusal</c> saying why).</summary>
    CashRefused,

    /// <summary>An account's cash was read (<see cref="SequencerResult.Risk"/>: its cash statement).</summary>
    CashRead,

    /// <summary>A dividend's entitlements were paid (<see cref="SequencerResult.Risk"/>: a <c>DividendPayout</c>, booked now and booked before).</summary>
    DividendPaid,

    /// <summary>A split was applied, found applied already, or refused (<see cref="SequencerResult.Risk"/>: a <c>SplitApplication</c>).</summary>
    SplitApplied,

    /// <summary>A symbol change was applied, found applied already, or refused (<see cref="SequencerResult.Risk"/>: a <c>SymbolChangeApplication</c>).</summary>
    SymbolChanged,

    /// <summary>Accounts' risk state was read (<see cref="SequencerResult.Risk"/>: one <c>AccountRiskState</c> per account).</summary>
    ExposureRead,

    /// <summary>An instrument was listed, changed or delisted, or an edit changed nothing (<see cref="SequencerResult.Listing"/>).</summary>
    InstrumentChanged,

    /// <summary>A listing, edit or delisting was refused; nothing was done (<see cref="SequencerResult.Listing"/> says why).</summary>
    ListingRefused,

    /// <summary>A venue's calendar was changed, or the change sent what was stored (<see cref="SequencerResult.VenueCalendar"/>).</summary>
    VenueCalendarChanged,

    /// <summary>A venue calendar change was refused; nothing was done (<see cref="SequencerResult.VenueCalendar"/> says why).</summary>
    VenueCalendarRefused,

    /// <summary>A venue's report on a routed order was applied (<see cref="SequencerResult.Order"/>, <see cref="SequencerResult.Trades"/>: its fill).</summary>
    VenueExecutionApplied,

    /// <summary>A venue's report whose ExecID was already applied (a resend): nothing was done.</summary>
    VenueExecutionDuplicate,

    /// <summary>A venue's report about no routed order of that session that is still open: recorded in the log, nothing was done.</summary>
    VenueExecutionIgnored,

    /// <summary>
    /// A cancel or amendment of a routed order was committed and goes to its venue after the commit: the order shows
    /// <c>VenuePending</c> (PendingCancel or PendingReplace) until the venue's answer is applied.
    /// </summary>
    VenueRequestPending,

    /// <summary>
    /// A venue session logged on: an OrderStatusRequest goes out, after the commit, for each routed order open on it
    /// (<see cref="SequencerResult.Count"/>, <see cref="SequencerResult.OrderIds"/>); the answers are applied as they come.
    /// </summary>
    VenueReconcileRequested,

    /// <summary>A venue's Order Status report agreed with the platform: nothing to correct, nothing was done.</summary>
    VenueStatusMatched,
}

/// <summary>The answer to a command, given only once everything it changed is durable.</summary>
public sealed record SequencerResult(SequencerOutcome Outcome, OrderRecord? Order, IReadOnlyList<TradeRecord> Trades,
    RejectCode Code = RejectCode.None, DepthView? Depth = null, int Count = 0, TradSys.Engine.MarketData.Level1Snapshot? Quote = null,
    IReadOnlyList<long>? OrderIds = null, string? Phase = null, TradSys.Engine.Auctions.AuctionEquilibrium? Indicative = null,
    StoredDecision? Decision = null, WorkflowStepResult? Workflow = null, WorkflowInstance? Instance = null, object? Risk = null,
    ListingResult? Listing = null, string? Reason = null, IReadOnlyList<long>? VenueCancelIds = null, IReadOnlyList<string>? NotCanceled = null,
    VenueCalendarResult? VenueCalendar = null);

/// <summary>Both sides of a book, best first.</summary>
public sealed record DepthView(IReadOnlyList<DepthLevel> Bids, IReadOnlyList<DepthLevel> Asks);

/// <summary>The journal could not be written: nothing in the batch was acknowledged.</summary>
public sealed class JournalUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
