using System.Globalization;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix;

/// <summary>
/// One acceptor's configuration (<c>Fix:Acceptor</c>, or a simulator's <c>Fix:Simulators:N</c>): the port it listens on at
/// 127.0.0.1, our SenderCompID, the peers' comp ids it takes a Logon from (<c>TargetCompIds:M</c>, one session each), and optionally
/// TLS (<c>Tls</c>, <see cref="FixServerTls"/>).
/// </summary>
public sealed record FixAcceptorConfig(string Key, int Port, string SenderCompId, IReadOnlyList<string> TargetCompIds)
{
    /// <summary>TLS for every connection (<c>Tls:Enabled</c> and our certificate), or null for plain TCP.</summary>
    public FixServerTls? Tls { get; init; }

    /// <summary>
    /// <c>ResetOnLogon</c>: every Logon starts both sequence numbers again at 1, whether or not the peer sent
    /// ResetSeqNumFlag (for peers that keep no numbers across connections; QuickFIX's setting of the same name). Off by
    /// default: numbers continue from the database across connections and restarts.
    /// </summary>
    public bool ResetOnLogon { get; init; }

    /// <summary>
    /// The client certificate each bound peer comp id must log on with (<c>Clients:{comp id}:Certificate</c>,
    /// <see cref="FixCertificateBinding"/>), by comp id; a comp id without one takes any certificate the TLS settings accept.
    /// </summary>
    public IReadOnlyDictionary<string, FixCertificateBinding> CertificateBindings { get; init; } = new Dictionary<string, FixCertificateBinding>();

    /// <summary>
    /// Reads an acceptor section, adding every problem to <paramref name="problems"/> by its configuration key.
    /// </summary>
    /// <param name="section">The section.</param>
    /// <param name="defaultSenderCompId">Our comp id when the section has none (a simulator's venue code); null: required.</param>
    /// <param name="problems">Where problems go.</param>
    public static FixAcceptorConfig Read(IConfigurationSection section, string? defaultSenderCompId, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(problems);
        var key = section.Path;
        var port = 0;
        var rawPort = section["Port"];
        if (rawPort is null)
        {
            problems.Add($"{key}:Port is required");
        }
        else if (!int.TryParse(rawPort, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            problems.Add($"{key}:Port must be a whole number from 1 to 65535, not '{rawPort}'");
        }

        var sender = section["SenderCompId"]?.Trim();
        if (string.IsNullOrEmpty(sender))
        {
            sender = defaultSenderCompId ?? "";
            if (sender.Length == 0)
            {
                problems.Add($"{key}:SenderCompId is required");
            }
        }

        var targets = new List<string>();
        foreach (var child in section.GetSection("TargetCompIds").GetChildren())
        {
            var target = child.Value?.Trim();
            if (string.IsNullOrEmpty(target))
            {
                problems.Add($"{child.Path} must not be empty");
            }
            else if (targets.Contains(target, StringComparer.Ordinal))
            {
                problems.Add($"{child.Path}: '{target}' is listed twice");
            }
            else
            {
                targets.Add(target);
            }
        }

        if (targets.Count == 0)
        {
            problems.Add($"{key}:TargetCompIds needs at least one peer comp id (e.g. {key}:TargetCompIds:0 = BROKER1)");
        }

        var resetOnLogon = false;
        if (section["ResetOnLogon"] is { } rawReset && !bool.TryParse(rawReset, out resetOnLogon))
        {
            problems.Add($"{key}:ResetOnLogon must be true or false, not '{rawReset}'");
        }

        var tls = FixServerTls.Read(section.GetSection("Tls"), problems);
        var bindings = CertificateBindingsOf(section, targets, problems);
        return new FixAcceptorConfig(key, port, sender, targets) { ResetOnLogon = resetOnLogon, Tls = tls, CertificateBindings = bindings };
    }

    /// <summary>
    /// The certificate bindings of <paramref name="targets"/>; a binding needs <c>Tls:Enabled</c> and
    /// <c>Tls:RequireClientCertificate</c> true (as configured: a TLS section with other problems has them named already).
    /// </summary>
    private static Dictionary<string, FixCertificateBinding> CertificateBindingsOf(IConfigurationSection section, List<string> targets,
        List<string> problems)
    {
        var bindings = new Dictionary<string, FixCertificateBinding>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var certificate = section.GetSection("Clients").GetSection(target).GetSection("Certificate");
            if (FixCertificateBinding.Read(certificate, problems) is { } binding)
            {
                bindings[target] = binding;
            }
            else if (!certificate.Exists())
            {
                continue;
            }

            var tls = section.GetSection("Tls");
            if (!IsTrueOrMalformed(tls["Enabled"]))
            {
                problems.Add($"{certificate.Path} needs TLS: {tls.Path}:Enabled is not true, so no client certificate is presented to compare");
            }
            else if (!IsTrueOrMalformed(tls["RequireClientCertificate"]))
            {
                problems.Add($"{certificate.Path} needs {tls.Path}:RequireClientCertificate true: without it a client may present no certificate at all");
            }
        }

        return bindings;

        // A value that is neither true nor false is named by the TLS section itself, not again here.
        static bool IsTrueOrMalformed(string? raw) => raw is not null && (!bool.TryParse(raw, out var value) || value);
    }

    /// <summary>The engine's settings of each session (acceptors; <paramref name="accepted"/> limits the application messages taken).</summary>
    public IReadOnlyList<FixSessionSettings> Settings(IReadOnlySet<string>? accepted) =>
        [.. TargetCompIds.Select(t => new FixSessionSettings
        {
            SenderCompId = SenderCompId, TargetCompId = t, Role = FixSessionRole.Acceptor, AcceptedApplicationMessages = accepted,
            ResetOnLogon = ResetOnLogon,
        })];
}
