namespace TradSys.Web.Auth;

/// <summary>The platform's roles and the authorization policies built from them.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Trader = "trader";
    public const string Compliance = "compliance";
    public const string Regulator = "regulator";
    public const string Viewer = "viewer";
    /// <summary>
    /// Senior compliance: where review and approval tasks escalate after their SLA (the shipped definitions' escalateTo). Held
    /// together with <see cref="Compliance"/> (demo user compliance2); a role rather than the admin role, because admins run the
    /// platform and do not judge orders.
    /// </summary>
    public const string SeniorCompliance = "senior_compliance";
    /// <summary>
    /// Operations (back office): onboards clients and keeps their KYC data, lists and delists instruments (issue 14). Reads what every role reads (accounts,
    /// orders, trades, positions); does not trade and does not judge orders.
    /// </summary>
    public const string Operations = "operations";
    /// <summary>Risk officers: set the pre-trade limits and the trading statuses (kill switches), watch the firm's risk.</summary>
    public const string Risk = "risk";

    public static readonly IReadOnlyList<string> All = [Admin, Trader, Compliance, Regulator, Viewer, SeniorCompliance, Risk, Operations];
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
    /// Validate, dry-run, and submit rule-pack changes (a new version or a rollback): compliance only. A change goes live only
    /// when a second compliance officer approves its task (maker-checker, the rulepack-publication workflow).
    /// </summary>
    public const string ManageRulePacks = "rulepacks.manage";
    /// <summary>Generate, list and download reports: regulators, compliance, admins and risk officers; each report names its own roles
    /// (risk officers see only the daily risk report).</summary>
    public const string Reports = "reports";
    /// <summary>The task inbox: compliance and senior compliance (the roles tasks wait for).</summary>
    public const string Tasks = "tasks";
    /// <summary>Read workflow definitions and instances' histories: compliance, senior compliance, admins, regulators.</summary>
    public const string ReadWorkflows = "workflows.read";
    /// <summary>Validate and publish workflow definitions: compliance.</summary>
    public const string ManageWorkflows = "workflows.manage";
    /// <summary>Read the risk controls (limits, trading statuses): risk officers, admins, compliance and regulators.</summary>
    public const string ReadRisk = "risk.read";
    /// <summary>Set limits and trading statuses (the kill switches): risk officers and admins.</summary>
    public const string ManageRisk = "risk.manage";
    /// <summary>Book deposits and withdrawals on accounts' cash: operations (the back office) and admins.</summary>
    public const string ManageCash = "cash.manage";
    /// <summary>Onboard clients and keep their KYC data (create and edit accounts, issue 14): operations (the back office) and admins.</summary>
    public const string ManageAccounts = "accounts.manage";
    /// <summary>List, change and delist instruments (issue 14): operations (the back office) and admins.</summary>
    public const string ManageInstruments = "instruments.manage";
    /// <summary>Import a day's reference prices and FX rates (issue 14 part 3): operations (the back office) and admins.</summary>
    public const string ManageReferencePrices = "referenceprices.manage";
    /// <summary>Read a day's stored reference prices and FX rates: operations, admins, risk officers and compliance.</summary>
    public const string ReadReferencePrices = "referenceprices.read";
    /// <summary>Create users, change their roles and activity, reset passwords, issue API clients: admins.</summary>
    public const string ManageUsers = "users.manage";
}
