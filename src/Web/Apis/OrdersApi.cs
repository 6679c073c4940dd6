using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Observability;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.PreTrade;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// Order entry and order queries under /api/v1/orders. The path of a new order: parse -> authorise
/// (trader, own account) -> idempotency -> pre-trade stages -> the single writer (match + journal) ->
/// reply. Bad input is refused before anything is written.
/// </summary>
public static class OrdersApi
{
    private const long MaxQuantity = 1_000_000_000_000;

    public static IEndpointRouteBuilder MapOrdersApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/orders").WithTags("Orders");
        api.MapPost("/", SubmitAsync).ForwardedToTheWriter().RequireAuthorization(Policies.Trade).RequireRateLimiting(OrderRateLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Accepts<SubmitOrderRequest>("application/json")
            .Produces<OrderResponse>(StatusCodes.Status201Created).Produces<OrderResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Submit an order").WithDescription(
                "Creates an order. Every new order passes the compliance rule packs that apply to it (GET /api/v1/rulepacks) " +
                "before the engine. Returns 201 with the order and its rule decision: status Accepted, PartiallyFilled or Filled " +
                "(the packs passed, warned or tagged it for reporting: see decision.warnings and decision.reportTags), " +
                "PendingReview (a pack held it for review: the engine has not seen it; you may cancel it), or Rejected (a pack " +
                "blocked it, rejectCode 4001 with decision.reasons naming each rule, its reason code, message, pack, version and " +
                "article; or the engine rejected it, e.g. a market order with no liquidity). decision.explanation lists every " +
                "fired rule with the input values it read. Returns 200 with the existing order and its stored decision when the " +
                "account already has one with this clientOrderId and the same terms, 409 when the terms differ. Invalid orders " +
                "get 400 and nothing is written. Optional compliance terms: shortMarking (Long, Short, ShortExempt; sells only), " +
                "locateId, usesMargin, advised, counterpartyLei, uti, cleared, markupBps, markupDisclosed.");
        api.MapPost("/check", CheckAsync).ForwardedToTheWriter().RequireAuthorization(Policies.Trade).RequireRateLimiting(OrderRateLimits.Policy)
            .Accepts<SubmitOrderRequest>("application/json").Produces<OrderCheckResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("What would the rule packs decide on this order?").WithDescription(
                "The same body and validation as POST /api/v1/orders (400 / 403 alike), evaluated by the rule packs now, against the " +
                "account's current aggregates, as a submit would be; nothing is stored: no order, no decision, no journal entry, and " +
                "the clientOrderId stays free. Returns 200 with the outcome (Pass, Warn, Report, Review, Block) and the decision with " +
                "its reasons and explanation. The real submit may still decide otherwise if the book or the aggregates change in between.");
        api.MapGet("/", ListAsync).RequireAuthorization(Policies.Read).Produces<PageOf<OrderResponse>>()
            .WithSummary("List orders").WithDescription(
                "Filters: accountId, symbol, status, open (true: working or held for review; false: the rest), side, from, to (ISO 8601, on creation time); page (from 1), pageSize (1-200, default 50). Newest first.");
        api.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Read).Produces<OrderResponse>().WithSummary("Get an order")
            .WithDescription("The order with its rule decision (outcome, reasons, warnings, report tags, packs applied, and the input " +
                             "values each fired rule read). Lists carry only ruleOutcome.");
        api.MapGet("/{id:long}/events", GetEventsAsync).RequireAuthorization(Policies.Read).Produces<IReadOnlyList<OrderEventResponse>>()
            .WithSummary("An order's journal: every state change, in order");
        api.MapPatch("/{id:long}", AmendAsync).ForwardedToTheWriter().RequireAuthorization(Policies.Trade).RequireRateLimiting(OrderRateLimits.Policy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).Accepts<AmendOrderRequest>("application/json")
            .Produces<OrderResponse>().Produces<OrderResponse>(StatusCodes.Status202Accepted)
            .WithSummary("Amend price, total quantity and/or stop price").WithDescription(
                "Quantity down at the same price keeps time priority; a price change or a quantity increase loses it. A stop or " +
                "stop-limit order still waiting for its trigger can also change its stopPrice (a stop order has no price): a new " +
                "stop price or a quantity increase sends it to the back of the trigger queue, and a stop price the last trade " +
                "has already reached triggers it at once. Once triggered, a stop-limit order amends like a limit order. An amend that " +
                "raises the quantity or changes a price passes the rule packs again, as the rest of the order it would leave (new total " +
                "less what has filled, with the order's own open notional and count taken out of the aggregates): Block (rejectCode " +
                "4001) or Review (4002: a working order cannot wait for review) refuses it with 422 and the decision, and the order " +
                "keeps its terms; otherwise the reply's decision is the packs' decision on the amendment (warnings included). An " +
                "amend that only lowers the quantity is not re-evaluated: it can only reduce exposure. An order routed to an exchange " +
                "over FIX is amended there: 202 with venuePending PendingReplace (its terms unchanged) until the venue's answer is " +
                "applied; 409 with the reason while the venue has not acknowledged it, another request waits, or its session is down. " +
                "Send an Idempotency-Key header (1-64 visible ASCII characters, a UUID say) to make a resend safe: the same amendment " +
                "sent again with the same key after it was carried out (a lost answer, a balancer's resend) is answered with the order " +
                "as it stands, 200 (202 while its venue's answer is awaited) with Idempotent-Replayed: true, and changes nothing, even if " +
                "the order has filled or been canceled since; the same key with other terms is refused (422). Only the order's last amendment's " +
                "key is kept.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/", MassCancelAsync).ForwardedToTheWriter().RequireAuthorization(Policies.Trade).Produces<MassCancelResponse>()
            .WithSummary("Mass cancel").WithDescription(
                "Cancels every working order (including waiting stops) of accountId, of symbol on all your accounts, or of both. " +
                "At least one filter is required; a trader mass-cancels only their own accounts.");
        api.MapDelete("/{id:long}", CancelAsync).ForwardedToTheWriter().RequireAuthorization(Policies.Trade).Produces<OrderResponse>()
            .Produces<OrderResponse>(StatusCodes.Status202Accepted).WithSummary("Cancel an order")
            .WithDescription("Cancels a working order, or an order held for review (PendingReview), which the engine never saw. An order " +
                "routed to an exchange over FIX is canceled there: 202 with venuePending PendingCancel until the venue's answer is applied " +
                "(Canceled, or the venue's refusal in the order's journal); 409 with the reason while the venue has not acknowledged it, " +
                "another request waits, or its session is down (nothing is queued).");
        return app;
    }

    // Order entry, amend and cancel take the database context from the request's services only when they read the database
    // (a held order's review, a resent submission, an order no longer in memory): building one per request and disposing of
    // it was about 2 % of an order request's CPU, for a context most requests never use.
    private static TradSysDbContext Database(HttpContext http) => http.RequestServices.GetRequiredService<TradSysDbContext>();

    private static Task<IResult> SubmitAsync(HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, IEnumerable<IPreTradeStage> stages, OrderWriter writer, MarketClock clock) =>
        EnterAsync(Entry.Submit, http, user, referenceData, stages, writer, clock);

    private static Task<IResult> CheckAsync(HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, IEnumerable<IPreTradeStage> stages, OrderWriter writer, MarketClock clock) =>
        EnterAsync(Entry.Check, http, user, referenceData, stages, writer, clock);

    /// <summary>
    /// The rule editor's sample order (<c>POST /api/v1/rulepacks/order-context</c>, compliance): the order body of
    /// <c>POST /api/v1/orders</c>, validated alike, on any active account (an officer tests rules for every client), evaluated
    /// by the single writer as a check (nothing stored); returns the whole OrderContext the packs read, to dry-run a draft on.
    /// </summary>
    internal static Task<IResult> OrderContextAsync(HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock clock) =>
        EnterAsync(Entry.Context, http, user, referenceData, [], writer, clock);

    private enum Entry { Submit, Check, Context }

    /// <summary>Order entry, or only its check: the same validation, ownership and pre-trade stages either way.</summary>
    private static async Task<IResult> EnterAsync(Entry entry, HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, IEnumerable<IPreTradeStage> stages, OrderWriter writer, MarketClock clock)
    {
        var check = entry != Entry.Submit;
        var ct = http.RequestAborted;
        var (request, problem) = await RequestBody.ReadAsync<SubmitOrderRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var caller = Caller.From(user);
        var errors = new Dictionary<string, List<string>>();
        var clientOrderId = request!.ClientOrderId?.Trim();
        if (request.AccountId is null)
        {
            Add(errors, "accountId", "is required");
        }
        if (string.IsNullOrEmpty(clientOrderId))
        {
            Add(errors, "clientOrderId", "is required");
        }
        else if (clientOrderId.Length > 64 || !clientOrderId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
        {
            Add(errors, "clientOrderId", "must be 1-64 characters of letters, digits and . _ : -");
        }
        TradableInstrument? instrument = null;
        if (string.IsNullOrWhiteSpace(request.Symbol))
        {
            Add(errors, "symbol", "is required");
        }
        else if (!referenceData.TryGet(request.Symbol.Trim(), out instrument))
        {
            Add(errors, "symbol", $"unknown instrument '{request.Symbol}'; GET /api/v1/instruments lists them");
        }
        var side = ParseEnum<Side>(errors, "side", request.Side, null);
        var type = ParseEnum<OrderType>(errors, "type", request.Type, OrderType.Limit);
        var timeInForce = ParseEnum<TimeInForce>(errors, "timeInForce", request.TimeInForce, TimeInForce.Day);
        if (type == OrderType.Market && timeInForce is TimeInForce.Gtc or TimeInForce.Gtd)
        {
            Add(errors, "timeInForce", "a market order executes at once; leave timeInForce out or use Day, Ioc or Fok");
        }
        var quantity = ParseQuantity(errors, "quantity", request.Quantity);
        var takesPrice = type is OrderType.Limit or OrderType.StopLimit;
        var takesStop = type is OrderType.Stop or OrderType.StopLimit;
        var price = default(Price);
        if (!takesPrice && request.Price is not null)
        {
            Add(errors, "price", $"a {type} order takes no price; leave price out");
        }
        else if (takesPrice && request.Price is null)
        {
            Add(errors, "price", $"a {type} order needs a price");
        }
        else if (request.Price is { } p && instrument is not null)
        {
            price = ParsePrice(errors, "price", p, instrument);
        }
        var stopPrice = default(Price);
        if (!takesStop && request.StopPrice is not null)
        {
            Add(errors, "stopPrice", "only Stop and StopLimit orders take a stop price");
        }
        else if (takesStop && request.StopPrice is null)
        {
            Add(errors, "stopPrice", $"a {type} order needs a stopPrice");
        }
        else if (request.StopPrice is { } sp && instrument is not null)
        {
            stopPrice = ParsePrice(errors, "stopPrice", sp, instrument);
        }
        var displayQuantity = request.DisplayQuantity is null ? default : ParseQuantity(errors, "displayQuantity", request.DisplayQuantity);
        var now = clock.UtcNow;
        long expireAt = 0;
        if (timeInForce == TimeInForce.Gtd && request.ExpireAt is null)
        {
            Add(errors, "expireAt", "a Gtd order needs expireAt (ISO 8601 with offset, e.g. 2026-12-31T14:00:00+02:00)");
        }
        else if (timeInForce != TimeInForce.Gtd && request.ExpireAt is not null)
        {
            Add(errors, "expireAt", "expireAt is only for timeInForce Gtd");
        }
        else if (request.ExpireAt is { } until)
        {
            if (until.UtcDateTime <= now)
            {
                Add(errors, "expireAt", $"expireAt {until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} is not in the future");
            }
            expireAt = until.UtcDateTime.Ticks;
        }
        var terms = ParseTerms(errors, request, side);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        // The account (exists, open, the caller's own) and idempotency are decided by the single writer, which reads the batch's
        // accounts once and keeps every client order id in memory: no database read per order here.
        var accountId = request.AccountId!.Value;
        var command = new SubmitCommand(caller.UserName, caller.UserId, accountId, clientOrderId!,
            new TradableInstrumentRef(instrument!.Spec.Id, instrument.Row.Symbol, instrument.Decimals, instrument.Row.Currency),
            side!.Value, type!.Value, timeInForce!.Value, price, quantity, stopPrice, displayQuantity, expireAt, terms);

        var ticket = new OrderTicket(caller, accountId, instrument, clientOrderId!, command.Side, command.Type, command.TimeInForce,
            price, quantity, now, stopPrice, displayQuantity, expireAt);
        foreach (var stage in stages)
        {
            var verdict = await stage.EvaluateAsync(ticket, ct);
            if (!verdict.Passed)
            {
                return Problems.Invalid(verdict.Field ?? "order", verdict.Message ?? RejectReasons.Describe(verdict.Code));
            }
        }
        if (check)
        {
            return await CheckDecisionAsync(command, instrument, price, quantity, writer, clock, ct, context: entry == Entry.Context);
        }

        SequencerResult result;
        var log = http.RequestServices.GetRequiredService<OrderLog>();
        using (log.Enter(accountId, clientOrderId!))
        {
            try
            {
                result = await writer.SendAsync(command, ct);
            }
            catch (JournalUnavailableException ex)
            {
                log.NotCarriedOut(ex.Message);
                return Problems.NotCarriedOut(ex.Message);
            }
            log.Answered(result);
        }
        var visible = new HashSet<long> { accountId };
        return result.Outcome switch
        {
            SequencerOutcome.Created => TypedResults.Created($"/api/v1/orders/{result.Order!.Id}",
                OrderResponse.From(result.Order, [.. result.Trades.Select(t => TradeResponse.From(t, visible))], result.Decision,
                    result.Order.Status == OrderStatus.PendingReview ? await ReviewOfAsync(Database(http), result.Order, ct) : null)),
            SequencerOutcome.Duplicate => TypedResults.Ok(OrderResponse.From(result.Order!, decision: await DecisionOfAsync(Database(http), result.Order!.Id, ct))),
            SequencerOutcome.Invalid => Refusal(result.Code, referenceData.Get(instrument.Spec.Id), price, quantity, clock),
            SequencerOutcome.DuplicateMismatch => DuplicateMismatch(result.Order!),
            var outcome => AccountRefusal(outcome, accountId),
        };
    }

    /// <summary>The writer refused the account: unknown (400), not the caller's (403), or closed (400).</summary>
    private static IResult AccountRefusal(SequencerOutcome outcome, long accountId) => outcome switch
    {
        SequencerOutcome.UnknownAccount => Problems.Invalid("accountId", $"account {accountId} does not exist"),
        SequencerOutcome.NotYourAccount => Problems.Forbidden(
            $"account {accountId} is not yours: a trader may trade only their own accounts (GET /api/v1/accounts lists yours)"),
        SequencerOutcome.AccountClosed => Problems.Invalid("accountId", $"account {accountId} is closed"),
        _ => throw new InvalidOperationException($"unexpected order writer outcome {outcome} for a new order"),
    };

    /// <summary>What the packs would decide on the order now; the single writer evaluates it and keeps nothing.</summary>
    private static async Task<IResult> CheckDecisionAsync(SubmitCommand command, TradableInstrument instrument, Price price, Quantity quantity,
        OrderWriter writer, MarketClock clock, CancellationToken ct, bool context = false)
    {
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new CheckOrderCommand(command, AnyAccount: context), ct);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.NotCarriedOut(ex.Message);
        }
        if (result.Outcome is SequencerOutcome.UnknownAccount or SequencerOutcome.NotYourAccount or SequencerOutcome.AccountClosed)
        {
            return AccountRefusal(result.Outcome, command.AccountId);
        }
        if (result.Outcome != SequencerOutcome.Checked)
        {
            return Refusal(result.Code, instrument, price, quantity, clock);
        }
        if (!context)
        {
            return TypedResults.Ok(new OrderCheckResponse(result.Decision!.Outcome, RuleDecisionResponse.From(result.Decision)));
        }
        // No context when the packs could not run at all (e.g. no FX rate for the account's currency): say why.
        return result.Decision!.ContextJson is { } json
            ? TypedResults.Ok(new OrderContextResponse(result.Decision.Outcome, RuleDecisionResponse.From(result.Decision),
                JsonDocument.Parse(json).RootElement.Clone()))
            : Problems.Invalid("order", result.Decision.Fault ?? "the rule packs could not assemble this order's context");
    }

    /// <summary>The single writer's own validation refused the command; explain it as the validate stage would (with the instrument as the
    /// writer sees it now: a calendar the writer took from the database since the caller's copy was read names the phase it decided on).</summary>
    private static IResult Refusal(RejectCode code, TradableInstrument instrument, Price price, Quantity quantity, MarketClock clock)
    {
        var now = clock.UtcNow.Ticks;
        var verdict = ValidationStage.Explain(code, instrument, price, quantity, now, instrument.Spec.Venue.PhaseAt(now));
        return Problems.Invalid(verdict.Field ?? "order", verdict.Message ?? RejectReasons.Describe(code));
    }

    private static IResult DuplicateMismatch(OrderRecord prior) =>
        Problems.Conflict($"clientOrderId '{prior.ClientOrderId}' is already used on account {prior.AccountId} by order {prior.Id} " +
                          "with different terms; use a new clientOrderId for a new order");

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var accountId = q.Long("accountId");
        var symbol = q.String("symbol", 16);
        var status = q.Enum<OrderStatus>("status");
        var open = q.Bool("open");
        var side = q.Enum<Side>("side");
        var from = q.Time("from");
        var to = q.Time("to");
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 200);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var readable = await Caller.From(user).ReadableAccountsAsync(db, ct);
        if (accountId is not null && readable is not null && !readable.Contains(accountId.Value))
        {
            return Problems.NotYourAccount(accountId.Value);
        }
        var orders = db.Orders.AsNoTracking();
        if (readable is not null)
        {
            orders = orders.Where(o => readable.Contains(o.AccountId));
        }
        if (accountId is not null)
        {
            orders = orders.Where(o => o.AccountId == accountId);
        }
        if (symbol is not null)
        {
            orders = orders.Where(o => o.Symbol == symbol.ToUpperInvariant());
        }
        if (status is not null)
        {
            orders = orders.Where(o => o.Status == status);
        }
        if (open == true)
        {
            // Still able to trade or waiting to: working (stops waiting for their trigger included) or held for review.
            orders = orders.Where(o => o.Status == OrderStatus.Accepted || o.Status == OrderStatus.PartiallyFilled || o.Status == OrderStatus.PendingReview);
        }
        else if (open == false)
        {
            orders = orders.Where(o => o.Status != OrderStatus.Accepted && o.Status != OrderStatus.PartiallyFilled && o.Status != OrderStatus.PendingReview);
        }
        if (side is not null)
        {
            orders = orders.Where(o => o.Side == side);
        }
        if (from is not null)
        {
            orders = orders.Where(o => o.CreatedAt >= from);
        }
        if (to is not null)
        {
            orders = orders.Where(o => o.CreatedAt < to);
        }
        var total = await orders.CountAsync(ct);
        var items = await orders.OrderByDescending(o => o.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new PageOf<OrderResponse>([.. items.Select(o => OrderResponse.From(o))], page, pageSize, total));
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var order = await FindVisibleAsync(id, Caller.From(user), db, http.RequestAborted);
        return order is null
            ? OrderNotFound(id)
            : TypedResults.Ok(OrderResponse.From(order, decision: await DecisionOfAsync(db, order.Id, http.RequestAborted),
                review: await ReviewOfAsync(db, order, http.RequestAborted)));
    }

    /// <summary>Why an order was held and where its workflow is; null for an order that was never held.</summary>
    private static async Task<OrderReviewResponse?> ReviewOfAsync(TradSysDbContext db, OrderRecord order, CancellationToken ct)
    {
        var reason = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == order.Id && e.Kind == OrderEventKind.HeldForReview)
            .OrderBy(e => e.Sequence).Select(e => e.Reason).FirstOrDefaultAsync(ct);
        var instance = await db.WorkflowInstances.AsNoTracking().Where(i => i.OrderId == order.Id).OrderByDescending(i => i.CreatedAt).FirstOrDefaultAsync(ct);
        if (reason is null && instance is null)
        {
            return null;
        }
        TaskResponse? open = null;
        if (instance is not null && await db.WorkflowTasks.AsNoTracking().Where(t => t.InstanceId == instance.Id && t.Status == "Open")
                .FirstOrDefaultAsync(ct) is { } task)
        {
            open = (await TasksApi.ResponsesAsync(db, [task], ct))[0];
        }
        return new OrderReviewResponse(reason, instance?.Id, instance?.DefinitionId, instance?.DefinitionVersion, instance?.State, open);
    }

    /// <summary>The stored rule decision of an order; null for orders from before the rules stage.</summary>
    private static async Task<StoredDecision?> DecisionOfAsync(TradSysDbContext db, long orderId, CancellationToken ct)
    {
        var record = await db.RuleDecisions.AsNoTracking().SingleOrDefaultAsync(d => d.OrderId == orderId, ct);
        return record is null ? null : StoredDecision.Read(record);
    }

    private static async Task<IResult> GetEventsAsync(long id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var order = await FindVisibleAsync(id, Caller.From(user), db, http.RequestAborted);
        if (order is null)
        {
            return OrderNotFound(id);
        }
        var events = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == id).OrderBy(e => e.Sequence).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(events.Select(OrderEventResponse.From).ToList());
    }

    private static async Task<IResult> AmendAsync(long id, HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, OrderWriter writer, OpenOrders openOrders, MarketClock clock)
    {
        var ct = http.RequestAborted;
        var (request, problem) = await RequestBody.ReadAsync<AmendOrderRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var (amendKey, keyProblem) = AmendKeys.Read(http.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }
        var caller = Caller.From(user);
        var order = await FindOwnAsync(id, caller, http, openOrders, ct);
        if (order is null)
        {
            return OrderNotFound(id);
        }
        if (amendKey is not null && order.AmendKey == amendKey)
        {
            return AmendKeys.Replayed(http, order, request!);
        }
        if (request!.Price is null && request.Quantity is null && request.StopPrice is null)
        {
            return Problems.Invalid("body", "give a new price, a new quantity, a new stopPrice (stop orders waiting for their trigger), or several of them");
        }
        if (!order.IsWorking)
        {
            return Problems.OrderNotWorking(order, $"order {id} is {order.Status}; only working orders can be amended");
        }
        if (order.Type is OrderType.Market)
        {
            return Problems.Conflict($"order {id} is a market order and cannot be amended");
        }
        var pendingStop = order.IsPendingStop;
        if (request.StopPrice is not null && !pendingStop)
        {
            return order.TriggeredAt is { } triggeredAt
                ? Problems.Conflict($"order {id} was triggered at {triggeredAt:O} and now works as a limit order; its stop price can no longer change")
                : Problems.Invalid("stopPrice", $"order {id} is a {order.Type} order and has no stop price");
        }
        if (order.Type == OrderType.Stop && request.Price is not null)
        {
            return Problems.Invalid("price", $"order {id} is a stop order: it becomes a market order when triggered and has no limit price; amend stopPrice or quantity");
        }
        var instrument = referenceData.Get(order.Symbol);
        var errors = new Dictionary<string, List<string>>();
        var price = request.Price is { } p ? ParsePrice(errors, "price", p, instrument) : default;
        var quantity = request.Quantity is not null ? ParseQuantity(errors, "quantity", request.Quantity) : new Quantity(order.Quantity);
        var stopPrice = request.StopPrice is { } sp ? ParsePrice(errors, "stopPrice", sp, instrument) : default;
        if (request.Price is null && order.Price is { } currentPrice && Price.TryFromDecimal(currentPrice, instrument.Decimals, out var current))
        {
            price = current;
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var verdict = pendingStop
            ? ValidationStage.ValidateStopAmend(instrument, order.Type, price, quantity, stopPrice, clock.UtcNow)
            : ValidationStage.ValidateAmend(instrument, price, quantity, clock.UtcNow);
        if (!verdict.Passed)
        {
            return Problems.Invalid(verdict.Field!, verdict.Message!);
        }
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new ModifyCommand(caller.UserName, id, price, quantity, stopPrice, caller.UserId, AmendKey: amendKey), ct);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.NotCarriedOut(ex.Message);
        }
        if (amendKey is not null && result is { Outcome: SequencerOutcome.Refused, Code: RejectCode.OrderNotActive } &&
            await FindOwnAsync(id, caller, http, openOrders, ct) is { } closed && closed.AmendKey == amendKey)
        {
            // The same amendment's first send was carried out (the order has its key) and the order stopped working after it:
            // committed before this answer, as the writer answers only after the commit of what it did before.
            return AmendKeys.Replayed(http, closed, request);
        }
        var visible = new HashSet<long> { order.AccountId };
        return result.Outcome switch
        {
            SequencerOutcome.NotYourAccount => OrderNotFound(id),
            SequencerOutcome.AmendReplayed => AmendKeys.Replayed(http, result.Order!, request),
            SequencerOutcome.VenueRequestPending => TypedResults.Accepted($"/api/v1/orders/{id}", OrderResponse.From(result.Order!, null, result.Decision)),
            SequencerOutcome.Refused when result.Reason is { } reason => Problems.Conflict($"order {id} keeps its terms: {reason}"),
            SequencerOutcome.Modified => TypedResults.Ok(OrderResponse.From(result.Order!, [.. result.Trades.Select(t => TradeResponse.From(t, visible))],
                result.Decision)),
            SequencerOutcome.AmendRefusedByRules => Problems.RefusedByRules(
                $"order {id} keeps its terms: {RejectReasons.Describe(result.Code)}: " +
                (result.Code != RejectCode.AmendmentNeedsReview ? result.Decision!.BlockSummary() : result.Decision!.ReviewSummary()),
                result.Code, RuleDecisionResponse.From(result.Decision)),
            SequencerOutcome.Invalid => Refusal(result.Code, referenceData.Get(instrument.Spec.Id), price, quantity, clock),
            _ when result.Code == RejectCode.QuantityNotAboveFilled => Problems.Invalid("quantity",
                $"the new total quantity {quantity.Raw} must be greater than the {result.Order?.FilledQuantity} already filled"),
            _ when result.Code == RejectCode.NothingToModify => Problems.Invalid("body", "the amend changes neither price nor quantity"),
            _ when result.Code == RejectCode.OrderNotActive => result.Order is { } now
                ? Problems.OrderNotWorking(now, $"order {id} is {now.Status}; only working orders can be amended")
                : Problems.Conflict($"order {id} is no longer working (it filled, was canceled or expired just before the amend reached the book); only working orders can be amended"),
            _ => Problems.Conflict($"order {id} is {result.Order?.Status.ToString() ?? "no longer working"}; {RejectReasons.Describe(result.Code)}"),
        };
    }

    private static async Task<IResult> CancelAsync(long id, HttpContext http, ClaimsPrincipal user, OrderWriter writer,
        OpenOrders openOrders)
    {
        var ct = http.RequestAborted;
        var caller = Caller.From(user);
        var order = await FindOwnAsync(id, caller, http, openOrders, ct);
        if (order is null)
        {
            return OrderNotFound(id);
        }
        if (!order.IsWorking && !order.IsHeld)
        {
            return Problems.OrderNotWorking(order, $"order {id} is {order.Status}; only working or held (PendingReview) orders can be canceled");
        }
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new CancelCommand(caller.UserName, id, caller.UserId), ct);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.NotCarriedOut(ex.Message);
        }
        return result.Outcome == SequencerOutcome.Canceled ? TypedResults.Ok(OrderResponse.From(result.Order!))
            : result.Outcome == SequencerOutcome.VenueRequestPending ? TypedResults.Accepted($"/api/v1/orders/{id}", OrderResponse.From(result.Order!))
            : result.Outcome == SequencerOutcome.NotYourAccount ? OrderNotFound(id)
            : result.Reason is { } reason ? Problems.Conflict($"order {id} is not canceled: {reason}")
            : result.Order is { } now
                ? Problems.OrderNotWorking(now, $"order {id} is {now.Status}; only working or held (PendingReview) orders can be canceled")
                : Problems.Conflict($"order {id} is no longer working (it filled, was canceled or expired just before the cancel reached the book); only working or held (PendingReview) orders can be canceled");
    }

    private static async Task<IResult> MassCancelAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db,
        ReferenceDataCache referenceData, OrderWriter writer)
    {
        var ct = http.RequestAborted;
        var q = new Query(http.Request.Query);
        var accountId = q.Long("accountId");
        var symbol = q.String("symbol", 16);
        TradableInstrument? instrument = null;
        if (symbol is not null && !referenceData.TryGet(symbol, out instrument))
        {
            q.Add("symbol", $"unknown instrument '{symbol}'");
        }
        if (accountId is null && symbol is null)
        {
            q.Add("accountId", "give accountId, symbol, or both: a mass cancel needs a filter");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var caller = Caller.From(user);
        var own = await caller.OwnAccountIdsAsync(db, ct);
        if (accountId is not null && !own.Contains(accountId.Value))
        {
            return Problems.NotYourAccount(accountId.Value);
        }
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new MassCancelCommand(caller.UserName, accountId is { } a ? [a] : own,
                instrument?.Spec.Id), ct);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.NotCarriedOut(ex.Message);
        }
        return TypedResults.Ok(new MassCancelResponse(result.Count, result.OrderIds ?? [], result.VenueCancelIds ?? [], result.NotCanceled ?? []));
    }

    /// <summary>An order the caller may read: a trader's own accounts' orders, anyone's for the read-only roles.</summary>
    private static async Task<OrderRecord?> FindVisibleAsync(long id, Caller caller, TradSysDbContext db, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        var readable = order is null ? null : await caller.ReadableAccountsAsync(db, ct);
        return readable is null || readable.Contains(order!.AccountId) ? order : null;
    }

    /// <summary>An order on one of the caller's own accounts (for amend and cancel).</summary>
    /// <remarks>
    /// An order the caller entered that is open or closed recently is taken from <see cref="OpenOrders"/> (no database read: the
    /// writer checks the account's owner again when it carries the command out, and a closed order is answered 409 as before);
    /// any other order is read from the database with the caller's accounts.
    /// </remarks>
    private static async Task<OrderRecord?> FindOwnAsync(long id, Caller caller, HttpContext http, OpenOrders openOrders, CancellationToken ct)
    {
        if (openOrders.TryGetRecent(id, out var open) && open.UserId == caller.UserId)
        {
            return open;
        }
        var db = Database(http);
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return order is not null && (await caller.OwnAccountIdsAsync(db, ct)).Contains(order.AccountId) ? order : null;
    }

    private static IResult OrderNotFound(long id) => Problems.NotFound($"order {id} does not exist or is not on one of your accounts");

    /// <summary>The optional compliance terms of a new order, each checked; errors name the field.</summary>
    private static OrderTerms ParseTerms(Dictionary<string, List<string>> errors, SubmitOrderRequest request, Side? side)
    {
        var marking = ParseEnum<TradSys.Rules.Context.ShortMarking>(errors, "shortMarking", request.ShortMarking, TradSys.Rules.Context.ShortMarking.None);
        if (marking == TradSys.Rules.Context.ShortMarking.None && request.ShortMarking is not null && !string.IsNullOrWhiteSpace(request.ShortMarking))
        {
            // "None" is the absence of a marking, not a value to send.
            Add(errors, "shortMarking", "must be Long, Short or ShortExempt; leave it out for a buy");
        }
        if (side == Side.Buy && marking is not (null or TradSys.Rules.Context.ShortMarking.None))
        {
            Add(errors, "shortMarking", "only a sell is marked Long, Short or ShortExempt; leave it out for a buy");
        }
        var locate = request.LocateId?.Trim();
        if (locate is not null && (locate.Length is 0 or > 64 || !locate.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' or '/')))
        {
            Add(errors, "locateId", "must be 1-64 characters of letters, digits and . _ : - /");
        }
        var lei = request.CounterpartyLei?.Trim().ToUpperInvariant();
        if (lei is not null && (lei.Length != 20 || !lei.All(char.IsAsciiLetterOrDigit)))
        {
            Add(errors, "counterpartyLei", $"must be a 20-character ISO 17442 LEI of letters and digits; got {lei.Length} characters");
        }
        var uti = request.Uti?.Trim();
        // The EMIR pack decides the UTI's maximum length (52 under Refit); the API only bounds what it stores.
        if (uti is not null && (uti.Length is 0 or > 64 || !uti.All(char.IsAsciiLetterOrDigit)))
        {
            Add(errors, "uti", "must be 1-64 letters and digits (an EMIR Refit UTI has at most 52)");
        }
        if (request.MarkupBps is { } bps && (bps < 0 || bps > 10_000))
        {
            Add(errors, "markupBps", $"must be between 0 and 10000 basis points; got {bps.ToString(CultureInfo.InvariantCulture)}");
        }
        return new OrderTerms(marking ?? TradSys.Rules.Context.ShortMarking.None, locate, request.UsesMargin ?? false, request.Advised ?? false,
            lei, uti, request.Cleared ?? false, request.MarkupBps ?? 0m, request.MarkupDisclosed ?? false);
    }

    private static Quantity ParseQuantity(Dictionary<string, List<string>> errors, string field, decimal? value)
    {
        if (value is not { } q)
        {
            Add(errors, field, "is required");
        }
        else if (q <= 0)
        {
            Add(errors, field, $"must be positive; got {q.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (q != decimal.Truncate(q))
        {
            Add(errors, field, $"must be a whole number of shares; got {q.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (q > MaxQuantity)
        {
            Add(errors, field, $"must be at most {MaxQuantity.ToString(CultureInfo.InvariantCulture)}");
        }
        else
        {
            return new Quantity((long)q);
        }
        return default;
    }

    private static Price ParsePrice(Dictionary<string, List<string>> errors, string field, decimal value, TradableInstrument instrument)
    {
        if (value <= 0)
        {
            Add(errors, field, $"must be positive; got {value.ToString(CultureInfo.InvariantCulture)}");
            return default;
        }
        if (!Price.TryFromDecimal(value, instrument.Decimals, out var price))
        {
            Add(errors, field, $"{field} {value.ToString(CultureInfo.InvariantCulture)} is not on the tick: {instrument.Row.Symbol} prices have at most {instrument.Decimals} decimals");
            return default;
        }
        return price;
    }

    private static TEnum? ParseEnum<TEnum>(Dictionary<string, List<string>> errors, string field, string? raw, TEnum? fallback)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            if (fallback is null)
            {
                Add(errors, field, $"is required: one of {string.Join(", ", Enum.GetNames<TEnum>())}");
            }
            return fallback;
        }
        if (!char.IsDigit(raw[0]) && Enum.TryParse<TEnum>(raw.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }
        Add(errors, field, $"'{raw}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}");
        return fallback;
    }
}
