using System.Globalization;

namespace TradSys.Web.Fix.OrderEntry;

/// <summary>
/// What a client FIX session may do (<c>Fix:Acceptor:Clients:{peer comp id}</c>): the API client (<c>ClientId</c>, the OAuth
/// client the same firm uses for REST, tied to a trader) whose user the session's orders are entered as, and the accounts
/// (<c>Accounts:N</c>) it may trade, each one of that user's own.
/// </summary>
/// <param name="CompId">The peer's comp id (its SenderCompID, our TargetCompID).</param>
/// <param name="ClientId">The API client.</param>
/// <param name="Accounts">The accounts it may trade.</param>
public sealed record FixClientBinding(string CompId, string ClientId, IReadOnlyList<long> Accounts)
{
    /// <summary>
    /// Reads <c>Fix:Acceptor:Clients</c>: one binding for each of <paramref name="compIds"/> (the acceptor's TargetCompIds),
    /// none for another comp id; every problem goes to <paramref name="problems"/> by its key.
    /// </summary>
    public static IReadOnlyList<FixClientBinding> Read(IConfigurationSection acceptor, IReadOnlyList<string> compIds, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(acceptor);
        ArgumentNullException.ThrowIfNull(compIds);
        ArgumentNullException.ThrowIfNull(problems);
        var bindings = new List<FixClientBinding>();
        var clients = acceptor.GetSection("Clients");
        foreach (var child in clients.GetChildren())
        {
            if (!compIds.Contains(child.Key, StringComparer.Ordinal))
            {
                problems.Add($"{child.Path}: '{child.Key}' is not one of {acceptor.Path}:TargetCompIds");
            }
        }

        foreach (var compId in compIds)
        {
            var section = clients.GetSection(compId);
            var clientId = section["ClientId"]?.Trim();
            if (string.IsNullOrEmpty(clientId))
            {
                problems.Add($"{section.Path}:ClientId is required: the API client (OAuth client id) whose trader the session's orders are entered as");
            }

            var accounts = new List<long>();
            foreach (var account in section.GetSection("Accounts").GetChildren())
            {
                if (!long.TryParse(account.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
                {
                    problems.Add($"{account.Path} must be an account id (a positive whole number), not '{account.Value}'");
                }
                else if (accounts.Contains(id))
                {
                    problems.Add($"{account.Path}: account {id} is listed twice");
                }
                else
                {
                    accounts.Add(id);
                }
            }

            if (accounts.Count == 0)
            {
                problems.Add($"{section.Path}:Accounts needs at least one account the session may trade (e.g. {section.Path}:Accounts:0 = 1001)");
            }

            bindings.Add(new FixClientBinding(compId, clientId ?? "", accounts));
        }

        return bindings;
    }
}
