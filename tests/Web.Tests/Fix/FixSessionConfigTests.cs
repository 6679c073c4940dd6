using Microsoft.Extensions.Configuration;
using TradSys.Web.Fix;

namespace TradSys.Web.Tests.Fix;

/// <summary><c>Fix:Sessions</c>: a good session read with its defaults; every problem of a bad configuration named by its key at once.</summary>
public sealed class FixSessionConfigTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void A_session_is_read_with_its_defaults_and_none_configured_is_no_session()
    {
        var sessions = FixSessionConfig.ReadValid(Config(new()
        {
            ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Host"] = "127.0.0.1", ["Fix:Sessions:0:Port"] = "9880",
            ["Fix:Sessions:0:SenderCompId"] = "BROKER1", ["Fix:Sessions:0:TargetCompId"] = "EGX",
        }));
        var egx = Assert.Single(sessions);
        Assert.Equal(new FixSessionConfig("egx", "127.0.0.1", 9880, "BROKER1", "EGX", 30, false, 1, 30), egx);
        Assert.Equal(Engine.Fix.FixSessionRole.Initiator, egx.Settings.Role);
        Assert.Empty(FixSessionConfig.ReadValid(Config([])));
    }

    [Fact]
    public void Every_problem_is_named_by_its_key_and_the_start_refused()
    {
        var bad = Config(new()
        {
            ["Fix:Sessions:0:Name"] = "egx", ["Fix:Sessions:0:Port"] = "99999", ["Fix:Sessions:0:SenderCompId"] = "BROKER1",
            ["Fix:Sessions:0:TargetCompId"] = "EGX", ["Fix:Sessions:0:ResetOnLogon"] = "sometimes",
            ["Fix:Sessions:1:Name"] = "egx", ["Fix:Sessions:1:Host"] = "127.0.0.1", ["Fix:Sessions:1:SenderCompId"] = "BROKER1",
            ["Fix:Sessions:1:TargetCompId"] = "EGX2", ["Fix:Sessions:1:ReconnectSeconds"] = "10", ["Fix:Sessions:1:MaxReconnectSeconds"] = "5",
        });
        Assert.Empty(FixSessionConfig.Read(bad, out var problems));
        Assert.Equal(
        [
            "Fix:Sessions:0:Host is required",
            "Fix:Sessions:0:Port must be a whole number from 1 to 65535, not '99999'",
            "Fix:Sessions:0:ResetOnLogon must be true or false, not 'sometimes'",
            "Fix:Sessions:1:Port is required",
            "Fix:Sessions:1:MaxReconnectSeconds (5) must be at least ReconnectSeconds (10)",
            "Fix:Sessions:1:Name 'egx' is used by another session",
        ], problems);
        var refused = Assert.Throws<InvalidOperationException>(() => FixSessionConfig.ReadValid(bad));
        Assert.StartsWith("Fix:Sessions is not valid: Fix:Sessions:0:Host is required;", refused.Message, StringComparison.Ordinal);
    }
}
