namespace TradSys.Web.Ordering;

/// <summary>
/// The time the order path reads: venue sessions, journal timestamps. It is separate from the host's
/// <see cref="TimeProvider"/> (which token lifetimes use) so that a test or a replay can set market time
/// without invalidating credentials. Times are truncated to microseconds, the precision PostgreSQL keeps.
/// </summary>
public sealed class MarketClock(TimeProvider time)
{
    public DateTime UtcNow
    {
        get
        {
            var now = time.GetUtcNow().UtcDateTime;
            return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        }
    }
}
