using System.Globalization;
using System.Threading.RateLimiting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Ordering;

/// <summary>
/// Order-entry throttling: each user has a token bucket for new orders and amends (<c>Trading:OrderRateLimit:PerSecond</c>
/// tokens a second, up to <c>Trading:OrderRateLimit:Burst</c>). A request beyond it is refused with 429, a Retry-After
/// header and a problem saying the limit, before anything is parsed or written. Cancels (single and mass) are never
/// throttled: a trader must always be able to take risk off. The limit is per node; behind a load balancer with N nodes a
/// user can reach N times it, which the per-node figure should allow for.
/// </summary>
public static class OrderRateLimits
{
    /// <summary>The rate-limiter policy on order entry and amend.</summary>
    public const string Policy = "order-entry";

    /// <summary>The configured limit (also the FIX order-entry sessions' throttle); throws when it is not valid.</summary>
    public static (int PerSecond, int Burst) Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Trading:OrderRateLimit");
        var perSecond = section.GetValue("PerSecond", 50);
        var burst = section.GetValue("Burst", 100);
        if (perSecond < 1 || burst < perSecond)
        {
            throw new InvalidOperationException(
                $"Trading:OrderRateLimit is not valid: PerSecond ({perSecond}) must be at least 1 and Burst ({burst}) at least PerSecond");
        }
        return (perSecond, burst);
    }

    /// <summary>Registers the policy from configuration (defaults: 50 a second, bursts of 100).</summary>
    public static IHostApplicationBuilder AddOrderRateLimits(this IHostApplicationBuilder builder)
    {
        var (perSecond, burst) = Read(builder.Configuration);
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, http =>
            {
                var subject = http.User.FindFirst(Claims.Subject)?.Value;
                return subject is null
                    ? RateLimitPartition.GetNoLimiter("anonymous") // refused by authorization before it gets here
                    : RateLimitPartition.GetTokenBucketLimiter(subject, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrderRateLimits))
                    .LogWarning("Order entry throttled for user {User}: {Method} {Path}", http.User.FindFirst(Claims.Name)?.Value,
                        http.Request.Method, http.Request.Path);
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many orders",
                    detail: $"order entry and amends are limited to {perSecond} a second per user (bursts of {burst}); nothing was " +
                            $"done with this request: send it again after {retryAfter} s. Cancels are never limited.").ExecuteAsync(http);
            };
        });
        return builder;
    }
}
