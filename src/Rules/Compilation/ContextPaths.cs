using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using TradSys.Rules.Context;

namespace TradSys.Rules.Compilation;

/// <summary>Reads a context value by dotted path (<c>Order.Quantity</c>). Used for explanations and messages only, never on the pass path.</summary>
internal static class ContextPaths
{
    private static readonly ConcurrentDictionary<string, Func<OrderContext, object?>?> Getters = new(StringComparer.Ordinal);

    /// <summary>The getter for a path, or null when the path names no readable scalar member of the context.</summary>
    public static Func<OrderContext, object?>? GetterFor(string path) => Getters.GetOrAdd(path, Build);

    private static Func<OrderContext, object?>? Build(string path)
    {
        ParameterExpression root = Expression.Parameter(typeof(OrderContext), "ctx");
        Expression current = root;
        foreach (string name in path.Split('.'))
        {
            PropertyInfo? property = current.Type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property is null || !ContextTypes.Views.Contains(current.Type))
            {
                return null;
            }

            current = Expression.Property(current, property);
        }

        if (ContextTypes.Views.Contains(current.Type))
        {
            return null;
        }

        return Expression.Lambda<Func<OrderContext, object?>>(Expression.Convert(current, typeof(object)), root).Compile();
    }
}
