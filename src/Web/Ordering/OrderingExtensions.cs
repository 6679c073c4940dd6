using TradSys.Web.Auditing;
using TradSys.Web.Ordering.PreTrade;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>
/// The order path's services. Pre-trade stages run in the order registered here; the risk, rules and
/// workflow stages join this list as they are built.
/// </summary>
public static class OrderingExtensions
{
    public static IHostApplicationBuilder AddOrdering(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new MarketClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ReferenceDataCache>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IPreTradeStage, ValidationStage>();
        services.AddSingleton<OpenOrders>();
        services.AddSingleton<CommittedQuotes>();
        services.AddSingleton<OrderWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderWriter>());
        services.AddHostedService<SessionWatcher>();
        // A node that does not write the books follows the leader's listings and calendars (a single node's writer holds them: idle).
        services.AddSingleton<ReferenceData.ReferenceDataFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferenceData.ReferenceDataFollower>());
        services.AddSingleton<Risk.RiskAlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<Risk.RiskAlertMonitor>());
        builder.AddOrderRateLimits();
        return builder;
    }
}
