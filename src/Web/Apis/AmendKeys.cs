using TradSys.Web.Http;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>
/// The <c>Idempotency-Key</c> of an amendment (PATCH /api/v1/orders/{id}). An amendment carried out keeps its key on the order
/// (<see cref="OrderRecord.AmendKey"/>); the same request sent again with the same key (a balancer's resend after the node that
/// carried it out died, a client's retry after a lost answer) is answered with the order as it stands, 200 and
/// <c>Idempotent-Replayed: true</c> (202 while a routed order's replace still waits for its venue), and changes nothing, even if
/// the order has filled or been canceled since. Without a key, an amendment sent again is checked afresh: refused (409) when the
/// order has stopped working, which does not say whether the first send was carried out. Only the order's last amendment's key is
/// kept: a client retries its latest amendment, never an older one. A key sent again with other terms than its amendment gave the order
/// is refused (422, nothing done), as draft-ietf-httpapi-idempotency-key-header has a key reused with another payload refused.
/// </summary>
internal static class AmendKeys
{
    /// <summary>The request header (draft-ietf-httpapi-idempotency-key-header).</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>On a replayed answer: the amendment was carried out by an earlier send of the same key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The longest key kept (the orders table's column).</summary>
    public const int MaxLength = 64;

    /// <summary>The key (null when the request has none), or a 400 saying what is wrong with it.</summary>
    public static (string? Key, IResult? Problem) Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }
        if (values.Count != 1)
        {
            return (null, Problems.Invalid(Header, $"give one {Header} header, not {values.Count}"));
        }
        var key = values[0] ?? "";
        // The draft sends the key as a structured-field string ("..."); a bare token is accepted too.
        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"')
        {
            key = key[1..^1];
        }
        if (key.Length is 0 or > MaxLength)
        {
            return (null, Problems.Invalid(Header, $"must be 1 to {MaxLength} characters; this one has {key.Length}"));
        }
        foreach (var c in key)
        {
            if (c is < '!' or > '~' or '"' or '\\')
            {
                return (null, Problems.Invalid(Header,
                    $"may hold only visible ASCII characters other than quote and backslash (a UUID is a good key); U+{(int)c:X4} is not one"));
            }
        }
        return (key, null);
    }

    /// <summary>
    /// The answer to an amendment whose key the order's last amendment carried: the order as it stands; or 422 when this request asks
    /// for other terms than that amendment gave the order (the key was reused for another amendment: nothing is done).
    /// </summary>
    public static IResult Replayed(HttpContext http, OrderRecord order, AmendOrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(request);
        // A routed order's replace still waiting for its venue: the terms it asked for (the order keeps its own until the venue answers).
        var pending = order.VenuePending == Ordering.Stages.RouteStage.PendingReplace;
        var (givenPrice, givenQuantity) = pending ? (order.VenuePendingPrice, order.VenuePendingQuantity ?? order.Quantity) : (order.Price, order.Quantity);
        if (request.Price is { } price && price != givenPrice || request.Quantity is { } quantity && quantity != givenQuantity ||
            request.StopPrice is { } stop && stop != order.StopPrice)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                detail: $"{Header}: this key carried order {order.Id}'s last amendment, which gave it price {Exact.Trim(givenPrice)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, " +
                        $"quantity {givenQuantity}{(order.StopPrice is { } s ? $", stop price {Exact.Trim(s).ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")}; " +
                        "this request asks for other terms: send a new amendment with a new key. Nothing was changed.");
        }
        http.Response.Headers[ReplayedHeader] = "true";
        var body = OrderResponse.From(order);
        return order.VenuePending is null ? TypedResults.Ok(body) : TypedResults.Accepted($"/api/v1/orders/{order.Id}", body);
    }
}
