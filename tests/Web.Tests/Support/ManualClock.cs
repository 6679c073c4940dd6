namespace TradSys.Web.Tests.Support;

/// <summary>Real time unless a test pins it (e.g. to a Saturday, when EGX is closed).</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset? Fixed { get; set; }

    public override DateTimeOffset GetUtcNow() => Fixed ?? base.GetUtcNow();
}
