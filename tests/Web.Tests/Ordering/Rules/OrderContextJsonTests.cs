using System.Text.Json;
using TradSys.Rules.Context;
using TradSys.Web.Ordering.Rules;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>
/// The writer stores each decision's own views with the source-generated serializer; the text must be the one
/// <see cref="OrderContextJson.Options"/> make (replays and the dry run read it with those options).
/// </summary>
public sealed class OrderContextJsonTests
{
    [Fact]
    public void The_stored_order_part_is_the_text_the_context_options_write_for_every_property_set()
    {
        var random = new Random(20261205);
        for (var i = 0; i < 200; i++)
        {
            var context = new OrderContext();
            Fill(context.Order, random);
            Fill(context.Market, random);
            Fill(context.Aggregates, random);
            var part = new StoredContext.OrderPart(context.Order, context.Market, context.Aggregates);

            Assert.Equal(JsonSerializer.Serialize(part, OrderContextJson.Options), OrderContextJson.Serialize(part));
        }
    }

    [Fact]
    public void Text_that_needs_escaping_is_escaped_alike()
    {
        var context = new OrderContext();
        context.Order.ClientOrderId = "quote \" back\\slash <tag> & 'apos' \u0001 \u00e9 \u0627\u0644\u0644\u0647 \ud83d\ude00";
        context.Order.LocateId = "\n\t";
        var part = new StoredContext.OrderPart(context.Order, context.Market, context.Aggregates);
        Assert.Equal(JsonSerializer.Serialize(part, OrderContextJson.Options), OrderContextJson.Serialize(part));
    }

    private static void Fill(object view, Random random)
    {
        foreach (var property in view.GetType().GetProperties().Where(p => p.CanWrite))
        {
            var type = property.PropertyType;
            object value = type switch
            {
                _ when type == typeof(string) => $"s{random.Next()}",
                _ when type == typeof(long) => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
                _ when type == typeof(int) => random.Next(-1000, 1000),
                _ when type == typeof(bool) => random.Next(2) == 1,
                _ when type == typeof(decimal) => new decimal(random.Next(), random.Next(0, 1000), 0, random.Next(2) == 1, (byte)random.Next(0, 9)),
                _ when type == typeof(DateOnly) => DateOnly.FromDayNumber(random.Next(700_000, 760_000)),
                _ when type.IsEnum => Enum.GetValues(type).GetValue(random.Next(Enum.GetValues(type).Length))!,
                _ => throw new InvalidOperationException($"{view.GetType().Name}.{property.Name}: no sample value for {type.Name}; add one"),
            };
            property.SetValue(view, value);
        }
    }
}
