namespace TradSys.Web.Auth;

/// <summary>The platform's roles and the authorization policies built from them.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Trader = "trader";
    public const string Compliance = "compliance";
    public const string Regulator = "regulator";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Trader, Compliance, Regulator, Viewer];
}

/// <summary>Named authorization policies.</summary>
public static class Policies
{
    /// <summary>Place, amend and cancel orders: traders only (admins run the platform, they do not trade).</summary>
    public const string Trade = "trade";
    /// <summary>Read orders, trades, accounts and reference data: every role; traders are limited to their own accounts.</summary>
    public const string Read = "read";
    /// <summary>Read and verify the audit trail.</summary>
    public const string Audit = "audit";
    /// <summary>Read rule packs, their history and diffs: compliance, admins and regulators.</summary>
    public const string ReadRulePacks = "rulepacks.read";
    /// <summary>
    /// Validate, dry-run, publish and roll back rule packs: compliance only. Publishing will move to
    /// maker-checker with the workflow issue; until then the compliance role is the control.
    /// </summary>
    public const string ManageRulePacks = "rulepacks.manage";
    /// <summary>Generate, list and download regulatory reports: regulators, compliance and admins (each report also names its roles).</summary>
    public const string Reports = "reports";
}
