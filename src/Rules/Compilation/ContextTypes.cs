using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.CustomTypeProviders;
using System.Reflection;
using TradSys.Engine;
using TradSys.Rules.Context;

namespace TradSys.Rules.Compilation;

/// <summary>The only types rule expressions may name or read members of.</summary>
internal static class ContextTypes
{
    /// <summary>Classes whose instance properties expressions may read.</summary>
    public static readonly HashSet<Type> Views =
    [
        typeof(OrderContext), typeof(OrderView), typeof(AccountView), typeof(InstrumentView),
        typeof(ShariaView), typeof(VenueView), typeof(MarketView), typeof(AggregatesView),
        // Workflow guards' root (src/Workflows); no OrderContext member leads to it, so rule expressions cannot reach it.
        typeof(WorkflowContext),
    ];

    /// <summary>Enums expressions may name (<c>Side.Sell</c>, <c>ClientCategory.Retail</c>).</summary>
    public static readonly HashSet<Type> Enums =
    [
        typeof(Side), typeof(OrderType), typeof(TimeInForce), typeof(ClientCategory), typeof(Jurisdiction),
        typeof(FatcaStatus), typeof(UsIndicia), typeof(ShortMarking), typeof(EmirCounterpartyClass), typeof(AssetClass),
    ];

    public static ParsingConfig CreateParsingConfig() => new()
    {
        CustomTypeProvider = new RestrictedTypeProvider(),
        AllowNewToEvaluateAnyType = false,
        DisallowNewKeyword = true,
        ResolveTypesBySimpleName = false,
        LoadAdditionalAssembliesFromCurrentDomainBaseDirectory = false,
        SupportCastingToFullyQualifiedTypeAsString = false,
        SupportEnumerationsFromSystemNamespace = false,
        AreContextKeywordsEnabled = false,
        DisableMemberAccessToIndexAccessorFallback = true,
        IsCaseSensitive = true,
        EvaluateGroupByAtDatabase = false,
        PrioritizePropertyOrFieldOverTheType = true,
    };

    /// <summary>Exposes the context types only; resolves no type by name, so no string can reach another type.</summary>
    private sealed class RestrictedTypeProvider : IDynamicLinqCustomTypeProvider
    {
        private static readonly HashSet<Type> Types = [.. Views, .. Enums];

        public HashSet<Type> GetCustomTypes() => [.. Types];

        public Dictionary<Type, List<MethodInfo>> GetExtensionMethods() => [];

        public Type? ResolveType(string typeName) => null;

        public Type? ResolveTypeBySimpleName(string simpleTypeName) => null;
    }
}
