using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Http;

/// <summary>The problem responses the APIs share.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is not valid", detail: $"{field}: {message}");

    public static IResult Invalid(Dictionary<string, List<string>> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            title: "The request is not valid",
            detail: string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static IResult NotYourAccount(long accountId) =>
        Forbidden($"account {accountId} is not yours: a trader sees only their own accounts (GET /api/v1/accounts lists yours)");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>
    /// 409: the order is no longer in a state the request can change (it filled, was canceled, rejected or expired). Besides the text,
    /// the problem carries <c>orderId</c>, <c>orderStatus</c>, <c>filledQuantity</c>, <c>price</c> and <c>quantity</c> as they are now
    /// (<c>status</c> is the problem's HTTP status, as RFC 9457 has it), so a client that sent a cancel or amend again after an answer
    /// that never came (a node lost mid-request, a 503 "outcome unknown") learns the outcome from the refusal without parsing its text:
    /// a cancel refused with <c>orderStatus</c> Canceled means the order is canceled, whoever canceled it. An amend sent again is
    /// answered exactly only when it carries an <c>Idempotency-Key</c> (see <c>AmendKeys</c>): without one, a refusal's terms say
    /// what the order has, not whether that amend made them.
    /// </summary>
    public static IResult OrderNotWorking(OrderRecord order, string detail)
    {
        ArgumentNullException.ThrowIfNull(order);
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["orderId"] = order.Id,
                ["orderStatus"] = order.Status.ToString(),
                ["filledQuantity"] = order.FilledQuantity,
                ["price"] = TradSys.Web.Apis.Exact.Trim(order.Price),
                ["quantity"] = order.Quantity,
            });
    }

    /// <summary>422: the compliance rule packs refused the request; the decision (rules, messages, inputs) is in the problem's <c>decision</c>.</summary>
    public static IResult RefusedByRules(string detail, RejectCode code, object decision) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Refused by the compliance rule packs", detail: detail,
            extensions: new Dictionary<string, object?> { ["rejectCode"] = (int)code, ["decision"] = decision });

    public static IResult Unavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);

    /// <summary>How long a client should wait before sending a refused command again (seconds).</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>
    /// 503 with <c>Retry-After</c>: the order writer could not write its journal, so the command was not carried out (or, if the
    /// database failed during the commit itself, its outcome is not known). Sending it again is safe: a resend of an order with
    /// the same clientOrderId never creates a second one, and a second cancel or amend of the same order is refused.
    /// </summary>
    public static IResult NotCarriedOut(string detail) => new RetryAfter(TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not carried out",
        detail: $"{detail}. Send it again after {RetryAfterSeconds} s: a resend with the same clientOrderId never creates a second order, " +
                "a second cancel of the same order is refused, and an amend sent again with its Idempotency-Key is answered with the order " +
                "as it stands, so a retry is safe."), RetryAfterSeconds);

    /// <summary>
    /// 503 with <c>Retry-After</c>: the command went to the order writer's leader, whose answer never came (<paramref name="detail"/> says
    /// why), so whether it was carried out is not known here. <paramref name="resend"/> says what makes sending the same request again
    /// safe for this endpoint; by default the order commands' rules: a new order (POST /api/v1/orders) is idempotent by its clientOrderId
    /// on its account (the <c>Idempotency-Key</c> header is not what a new order is keyed on), a cancel already carried out is refused,
    /// and an amend with an <c>Idempotency-Key</c> carried out already is answered with the order as it stands; nothing is applied twice.
    /// </summary>
    public static IResult OutcomeUnknown(string detail, string? resend = null) => new RetryAfter(TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Outcome unknown",
        detail: $"{detail}. Send the same request again after {RetryAfterSeconds} s to learn the outcome: " + (resend ?? OrderResend) + "."),
        RetryAfterSeconds);

    /// <summary>What makes sending an order command again safe (the default of <see cref="OutcomeUnknown"/>).</summary>
    private const string OrderResend = "a new order sent again with the same " +
        "clientOrderId on the same account is never entered twice (the order already entered is returned, 200, and 409 if the terms differ); " +
        "a cancel already carried out is refused (409 with the order's orderStatus and filledQuantity), not applied again; an amend sent " +
        "with an Idempotency-Key and carried out already is answered 200 with the order as it stands (Idempotent-Replayed: true), one " +
        "without a key is refused (409 with the order's state, or 400 for an amend that changes nothing now); a mass cancel sent again " +
        "cancels only the orders still working";

    /// <summary>A result with a <c>Retry-After</c> header.</summary>
    private sealed class RetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
