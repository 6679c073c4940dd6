namespace TradSys.Web.Fix.Venues;

/// <summary>How the instrument of a routed order is named to the venue.</summary>
public enum VenueInstrumentId
{
    /// <summary>Symbol (55) only: the platform symbol.</summary>
    Symbol,
    /// <summary>Symbol (55) and SecurityID (48) = the ISIN with SecurityIDSource (22) = 4.</summary>
    Isin,
}

/// <summary>
/// One venue whose orders go out over FIX (<c>Routing:Venues:CODE</c>) instead of the platform's own matching engine.
/// </summary>
/// <param name="Venue">The venue code (EGX, ADX) as in the reference data.</param>
/// <param name="Session">The name of the configured FIX session (<c>Fix:Sessions:N:Name</c>) its orders go out on.</param>
/// <param name="Account">Account (tag 1) sent with every order; null sends the platform account id.</param>
/// <param name="InstrumentId">How instruments are named to the venue.</param>
public sealed record VenueRoute(string Venue, string Session, string? Account, VenueInstrumentId InstrumentId)
{
    /// <summary>
    /// Reads <c>Routing:Venues</c>: every problem of every route at once, naming its key (a session that is not configured
    /// included), or the routes by venue code. No route at all (the default) keeps every order on the internal engine.
    /// </summary>
    public static IReadOnlyDictionary<string, VenueRoute> Read(IConfiguration configuration, IReadOnlyCollection<string> sessions,
        out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var found = new List<string>();
        var routes = new Dictionary<string, VenueRoute>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection("Routing:Venues").GetChildren())
        {
            var session = section["Session"]?.Trim();
            if (string.IsNullOrEmpty(session))
            {
                found.Add($"{section.Path}:Session is required (the Name of a Fix:Sessions entry)");
            }
            else if (!sessions.Contains(session))
            {
                found.Add($"{section.Path}:Session '{session}' is not a configured FIX session (Fix:Sessions:N:Name)");
            }
            var id = VenueInstrumentId.Symbol;
            if (section["InstrumentId"] is { } raw && !Enum.TryParse(raw, ignoreCase: false, out id))
            {
                found.Add($"{section.Path}:InstrumentId must be Symbol or Isin, not '{raw}'");
            }
            var account = section["Account"]?.Trim();
            routes[section.Key] = new VenueRoute(section.Key, session ?? "", string.IsNullOrEmpty(account) ? null : account, id);
        }
        problems = found;
        return found.Count == 0 ? routes : new Dictionary<string, VenueRoute>();
    }
}
