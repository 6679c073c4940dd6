using Microsoft.Extensions.Configuration;
using TradSys.Web.Cluster;

namespace TradSys.Web.Tests.Hosting;

/// <summary>The <c>Cluster</c> section (issue 18): off by default, and every wrong value named at once before anything starts.</summary>
public sealed class ClusterOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Off_by_default_with_shard_main_and_a_three_second_lease()
    {
        var options = ClusterOptions.From(Config());
        Assert.False(options.Enabled);
        Assert.Equal("main", options.Shard);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Lease);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RenewEvery);
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.PollEvery);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ReferenceFollowEvery);
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", options.NodeName);
    }

    [Fact]
    public void A_cluster_on_PostgreSQL_takes_its_names_and_lease()
    {
        var options = ClusterOptions.From(Config(("Platform:Database", "Postgres"), ("Cluster:Enabled", "true"), ("Cluster:NodeName", "node-a"),
            ("Cluster:Shard", "egx"), ("Cluster:LeaseSeconds", "6")));
        Assert.Equal(new ClusterOptions(true, "node-a", "egx", TimeSpan.FromSeconds(6)), options);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RenewEvery);
        Assert.Null(options.AdvertisedUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), ClusterOptions.From(Config(("Cluster:ReferenceFollowSeconds", "5"))).ReferenceFollowEvery);
    }

    [Theory]
    [InlineData("http://10.0.0.5:8080", "http://10.0.0.5:8080/")]
    [InlineData("https://tradsys-0.tradsys-nodes:8443/", "https://tradsys-0.tradsys-nodes:8443/")]
    [InlineData("http://127.0.0.1:5201/base", "http://127.0.0.1:5201/base")]
    public void A_node_advertises_an_absolute_http_or_https_url_where_the_others_reach_it(string value, string expected)
    {
        var options = ClusterOptions.From(Config(("Platform:Database", "Postgres"), ("Cluster:Enabled", "true"), ("Cluster:AdvertisedUrl", value)));
        Assert.Equal(expected, options.AdvertisedUrl!.AbsoluteUri);
    }

    [Theory]
    [InlineData("10.0.0.5:8080")]
    [InlineData("/api")]
    [InlineData("ftp://10.0.0.5/")]
    [InlineData("http://10.0.0.5:8080/?node=a")]
    [InlineData("http://user:secret@10.0.0.5:8080/")]
    public void An_advertised_url_that_is_not_an_absolute_http_url_is_named(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterOptions.From(Config(("Platform:Database", "Postgres"),
            ("Cluster:Enabled", "true"), ("Cluster:AdvertisedUrl", value), ("Cluster:LeaseSeconds", "61"))));
        Assert.Contains($"Cluster:AdvertisedUrl must be an absolute http or https URL of at most 512 characters without query, fragment or user " +
            $"(where the other nodes reach this one, e.g. http://10.0.0.5:8080), not '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:LeaseSeconds must be a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_wrong_value_is_named_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterOptions.From(Config(("Cluster:Enabled", "yes"),
            ("Cluster:NodeName", "node a"), ("Cluster:Shard", "shard/1"), ("Cluster:LeaseSeconds", "0"), ("Cluster:ReferenceFollowSeconds", "0.5"))));
        Assert.Contains("Cluster:ReferenceFollowSeconds must be a whole number of seconds from 1 to 60, not '0.5'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:Enabled must be true or false, not 'yes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:NodeName 'node a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:Shard 'shard/1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:LeaseSeconds must be a whole number of seconds from 1 to 60, not '0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_needs_PostgreSQL_and_no_FIX_session_yet()
    {
        var sqlite = Assert.Throws<InvalidOperationException>(() => ClusterOptions.From(Config(("Cluster:Enabled", "true"))));
        Assert.Contains("Cluster:Enabled needs Platform:Database=Postgres", sqlite.Message, StringComparison.Ordinal);

        var fix = Assert.Throws<InvalidOperationException>(() => ClusterOptions.From(Config(("Platform:Database", "Postgres"), ("Cluster:Enabled", "true"),
            ("Fix:Sessions:0:Name", "EGX"))));
        Assert.Contains("cannot be combined with Fix:Sessions or Fix:Acceptor", fix.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("needs Platform:Database", fix.Message, StringComparison.Ordinal);
    }
}
