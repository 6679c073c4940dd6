using System.Text.Json;
using System.Text.Json.Serialization;
using TradSys.Rules.Context;

namespace TradSys.Web.Ordering.Rules;

/// <summary>
/// The one JSON form of an <see cref="OrderContext"/>: what the rules stage stores with every decision
/// (<see cref="Persistence.Entities.RuleDecisionRecord.ContextJson"/>), what a replay reads back, and what the dry-run
/// endpoint accepts. Because all three use these options, a stored snapshot round-trips exactly into a context.
/// </summary>
public static class OrderContextJson
{
    /// <summary>
    /// An OrderContext's nested views (Order, Account, ...) are get-only: populate them in place rather than
    /// replace them. Unknown fields are refused so that a misspelt input is an error, not a silent default.
    /// Enums by name, so a stored snapshot stays readable when an enum gains a member.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>The context as stored with a decision.</summary>
    /// <param name="context">The context the packs were evaluated on, before it is reset.</param>
    /// <returns>Its JSON text.</returns>
    public static string Serialize(OrderContext context) => JsonSerializer.Serialize(context, Options);

    /// <summary>
    /// The order's own views as stored with a decision beside the account's and instrument's snapshots: the same text
    /// <see cref="Options"/> make of them, written by the source-generated serializer (<see cref="OrderPartJson"/>), which
    /// the single writer runs for every order without reflection-driven metadata walks.
    /// </summary>
    /// <param name="part">The decision's order, market and aggregates views.</param>
    /// <returns>Its JSON text.</returns>
    public static string Serialize(StoredContext.OrderPart part) => JsonSerializer.Serialize(part, OrderPartJson.Default.OrderPart);

    /// <summary>A stored snapshot read back into a fresh context.</summary>
    /// <param name="json">Text written by <see cref="Serialize(OrderContext)"/>.</param>
    /// <returns>The context.</returns>
    /// <exception cref="JsonException">The text is not an OrderContext snapshot.</exception>
    public static OrderContext Deserialize(string json) =>
        JsonSerializer.Deserialize<OrderContext>(json, Options) ?? throw new JsonException("the stored order context is JSON null");
}

/// <summary>
/// Source-generated serialization of <see cref="StoredContext.OrderPart"/> with the settings of <see cref="OrderContextJson.Options"/>
/// that shape the written text (web defaults: camelCase names; enums by name). <c>OrderContextJsonTests</c> checks that
/// both write the same text.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredContext.OrderPart))]
internal sealed partial class OrderPartJson : JsonSerializerContext;
