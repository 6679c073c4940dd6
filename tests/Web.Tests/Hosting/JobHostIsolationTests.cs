using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Ordering;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Hosting;

/// <summary>
/// Hangfire keeps its storage and job activator in process-wide statics that every host overwrites when it configures
/// Hangfire. Two platforms in one process (the test suite runs many at once) must each run their own jobs with their own
/// services: a report run enqueued by one host and activated in another's container finishes in the wrong database while
/// its own run stays queued.
/// </summary>
public sealed class JobHostIsolationTests
{
    [Fact]
    public async Task A_host_activates_its_jobs_in_its_own_services_even_when_another_host_configured_hangfire_meanwhile()
    {
        // Another host configures Hangfire (and so replaces JobActivator.Current) between this host's configuration and the
        // creation of its job server: the interleaving of two hosts starting at once, made deterministic. The job server
        // resolves its storage between the two, so the storage's factory stands in for the other host.
        var elsewhere = new JobActivator();
        await using var platform = new PlatformFactory
        {
            TestServices = services => services.AddSingleton<JobStorage>(sp =>
            {
                _ = sp.GetRequiredService<IGlobalConfiguration>();
                JobActivator.Current = elsewhere;
                return new Hangfire.InMemory.InMemoryStorage();
            }),
        };

        var activator = platform.Services.GetRequiredService<JobActivator>();
        Assert.NotSame(elsewhere, activator);
        using var scope = activator.BeginScope((JobActivatorContext)null!);
        Assert.Same(platform.Services.GetRequiredService<OrderWriter>(), scope.Resolve(typeof(OrderWriter)));
    }
}
