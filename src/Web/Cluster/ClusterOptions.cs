using System.Text.RegularExpressions;
using TradSys.Web.Hosting;

namespace TradSys.Web.Cluster;

/// <summary>
/// The <c>Cluster</c> section (issue 18). Off by default: one node, which is always the order writer. On, every node of the
/// cluster is a candidate for the writer of its shard, and one at a time holds it through a lease row in PostgreSQL.
/// </summary>
/// <param name="Enabled"><c>Cluster:Enabled</c>: contend for the writer's lease (needs <c>Platform:Database=Postgres</c>).</param>
/// <param name="NodeName"><c>Cluster:NodeName</c>: this node's name, unique in the cluster (default: the host name and process id).</param>
/// <param name="Shard"><c>Cluster:Shard</c>: the books this node may write (default <c>main</c>: every instrument).</param>
/// <param name="Lease"><c>Cluster:LeaseSeconds</c> (1-60, default 3): how long a lease lasts unrenewed; a standby takes over this long
/// after a leader stopped renewing. The leader renews it three times in that span.</param>
/// <param name="AdvertisedUrl"><c>Cluster:AdvertisedUrl</c> (optional): the base URL where the other nodes reach this one, an
/// absolute http(s) URL. A leader writes it into its lease row; a standby that has one of its own forwards the order commands it
/// receives to the leader's (<see cref="CommandForwarding"/>). Without it this node, as a standby, answers them 503 and leaves the
/// resend to the balancer.</param>
/// <param name="FollowEvery"><c>Cluster:ReferenceFollowSeconds</c> (1-60, default 2): how often a node that does not write the books
/// reads the reference tables' change counters and, when one moved, takes the venues' and instruments' rows the leader (or an operator's
/// SQL) changed (<see cref="ReferenceData.ReferenceDataFollower"/>). Null: the default.</param>
public sealed partial record ClusterOptions(bool Enabled, string NodeName, string Shard, TimeSpan Lease, Uri? AdvertisedUrl = null,
    TimeSpan? FollowEvery = null)
{
    public const string Section = "Cluster";
    public const string DefaultShard = "main";

    /// <summary>The longest an advertised URL may be (the lease row's column).</summary>
    public const int MaxAdvertisedUrlLength = 512;

    /// <summary>
    /// How long a standby waits for the leader's answer to a forwarded command. The leader answers within its group commit (a few
    /// milliseconds) unless it is overloaded or cut off; past this the caller hears that the outcome is unknown.
    /// </summary>
    public static TimeSpan ForwardTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The default of <c>Cluster:ReferenceFollowSeconds</c>.</summary>
    public static TimeSpan DefaultFollowEvery { get; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a standby follows the reference data (<see cref="FollowEvery"/> or its default).</summary>
    public TimeSpan ReferenceFollowEvery => FollowEvery ?? DefaultFollowEvery;

    /// <summary>How often the leader renews its lease.</summary>
    public TimeSpan RenewEvery => Lease / 3;

    /// <summary>How often a standby tries to take an expired lease.</summary>
    public TimeSpan PollEvery => TimeSpan.FromMilliseconds(Math.Max(100, Lease.TotalMilliseconds / 10));

    /// <summary>Reads and checks the section; every problem is listed at once.</summary>
    /// <exception cref="InvalidOperationException">A value is wrong, or the cluster is on without PostgreSQL.</exception>
    public static ClusterOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var problems = new List<string>();
        var enabled = false;
        if (section["Enabled"] is { Length: > 0 } enabledText && !bool.TryParse(enabledText, out enabled))
        {
            problems.Add($"Cluster:Enabled must be true or false, not '{enabledText}'");
        }
        var nodeName = section["NodeName"] is { Length: > 0 } name ? name : $"{Environment.MachineName}-{Environment.ProcessId}";
        if (!Name().IsMatch(nodeName) || nodeName.Length > 128)
        {
            problems.Add($"Cluster:NodeName '{nodeName}' must be 1-128 letters, digits, '.', '_' or '-'");
        }
        var shard = section["Shard"] is { Length: > 0 } shardText ? shardText : DefaultShard;
        if (!Name().IsMatch(shard) || shard.Length > 32)
        {
            problems.Add($"Cluster:Shard '{shard}' must be 1-32 letters, digits, '.', '_' or '-'");
        }
        var seconds = 3;
        if (section["LeaseSeconds"] is { Length: > 0 } leaseText &&
            (!int.TryParse(leaseText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seconds) || seconds is < 1 or > 60))
        {
            problems.Add($"Cluster:LeaseSeconds must be a whole number of seconds from 1 to 60, not '{leaseText}'");
        }
        TimeSpan? followEvery = null;
        if (section["ReferenceFollowSeconds"] is { Length: > 0 } followText)
        {
            if (!int.TryParse(followText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var followSeconds) ||
                followSeconds is < 1 or > 60)
            {
                problems.Add($"Cluster:ReferenceFollowSeconds must be a whole number of seconds from 1 to 60, not '{followText}'");
            }
            else
            {
                followEvery = TimeSpan.FromSeconds(followSeconds);
            }
        }
        Uri? advertised = null;
        if (section["AdvertisedUrl"] is { Length: > 0 } urlText)
        {
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out advertised) || advertised.Scheme is not ("http" or "https") ||
                !string.IsNullOrEmpty(advertised.Query) || !string.IsNullOrEmpty(advertised.Fragment) || !string.IsNullOrEmpty(advertised.UserInfo) ||
                urlText.Length > MaxAdvertisedUrlLength)
            {
                problems.Add($"Cluster:AdvertisedUrl must be an absolute http or https URL of at most {MaxAdvertisedUrlLength} characters without " +
                    $"query, fragment or user (where the other nodes reach this one, e.g. http://10.0.0.5:8080), not '{urlText}'");
                advertised = null;
            }
        }
        if (enabled && PlatformOptions.From(configuration).Database != DatabaseProvider.Postgres)
        {
            problems.Add("Cluster:Enabled needs Platform:Database=Postgres: the nodes share the writer's lease and the journal in PostgreSQL " +
                "(the embedded SQLite file belongs to one process)");
        }
        if (enabled && (configuration.GetSection("Fix:Sessions").GetChildren().Any() || configuration.GetSection("Fix:Acceptor").Exists()))
        {
            // A venue session on every node would log on twice with the same comp ids, and a fill arriving at a standby could not
            // be booked: FIX sessions do not follow the writer's lease yet.
            problems.Add("Cluster:Enabled cannot be combined with Fix:Sessions or Fix:Acceptor yet: FIX sessions do not follow the writer's " +
                "leadership (run FIX connectivity on a single node)");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Cluster configuration is not valid: " + string.Join("; ", problems) + ".");
        }
        return new ClusterOptions(enabled, nodeName, shard, TimeSpan.FromSeconds(seconds), advertised, followEvery);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Name();
}
