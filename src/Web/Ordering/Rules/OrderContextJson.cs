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

    /// <summary>A stored snapshot read back into a fresh context.</summary>
    /// <param name="json">Text written by <see cref="Serialize"/>.</param>
    /// <returns>The context.</returns>
    /// <exception cref="JsonException">The text is not an OrderContext snapshot.</exception>
    public static OrderContext Deserialize(string json) =>
        JsonSerializer.Deserialize<OrderContext>(json, Options) ?? throw new JsonException("the stored order context is JSON null");
}
