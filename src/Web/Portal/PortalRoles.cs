using TradSys.Web.Auth;

namespace TradSys.Web.Portal;

/// <summary>Which roles may use which portal pages, as role lists for <c>[Authorize(Roles = ...)]</c> and the navigation.</summary>
public static class PortalRoles
{
    /// <summary>The order ticket: traders (the API refuses every other role's orders).</summary>
    public const string Trade = Roles.Trader;

    /// <summary>Orders and trades: every role that may read them (a trader sees their own accounts only).</summary>
    public const string ReadOrders = Roles.Admin + "," + Roles.Trader + "," + Roles.Compliance + "," + Roles.Regulator + "," + Roles.Viewer + "," + Roles.SeniorCompliance + "," + Roles.Risk + "," + Roles.Operations;

    /// <summary>The admin's pages (users, health) and the jobs dashboard.</summary>
    public const string Admin = Roles.Admin;
    /// <summary>The review inbox: compliance and senior compliance, the roles tasks wait for (the API's <c>tasks</c> policy).</summary>
    public const string Review = Roles.Compliance + "," + Roles.SeniorCompliance;

    /// <summary>Generated reports and their downloads: regulators, compliance, admins and risk officers (the API's <c>reports</c> policy;
    /// the catalogue shows each caller only the reports its roles may read, a risk officer only the daily risk report).</summary>
    public const string Reports = Roles.Admin + "," + Roles.Compliance + "," + Roles.Regulator + "," + Roles.Risk;

    /// <summary>The rule packs and the rule editor, read-only: the API's <c>ReadRulePacks</c> policy (compliance, admins, regulators).</summary>
    public const string Rules = Roles.Admin + "," + Roles.Compliance + "," + Roles.Regulator;

    /// <summary>Editing, testing, replaying and submitting rule packs: the API's <c>ManageRulePacks</c> policy (compliance).</summary>
    public const string EditRules = Roles.Compliance;

    /// <summary>The risk controls (kill switches and limits): the API's <c>ManageRisk</c> policy (risk officers and admins).</summary>
    public const string Risk = Roles.Risk + "," + Roles.Admin;

    /// <summary>Onboarding clients and changing their data (the account form and the CSV import): the API's <c>ManageAccounts</c> policy (operations and admins).</summary>
    public const string ManageAccounts = Roles.Operations + "," + Roles.Admin;

    /// <summary>Listing, changing, delisting and importing instruments (the instrument form, the delisting and the CSV import): the API's <c>ManageInstruments</c> policy (operations and admins).</summary>
    public const string ManageInstruments = Roles.Operations + "," + Roles.Admin;

    /// <summary>A day's reference prices and FX rates: the API's <c>ReadReferencePrices</c> policy (operations, admins, risk officers and
    /// compliance); operations and admins also set prices there (<c>ManageReferencePrices</c>).</summary>
    public const string ReadReferencePrices = Roles.Operations + "," + Roles.Admin + "," + Roles.Risk + "," + Roles.Compliance;

    /// <summary>Importing reference FX rates from a CSV file: the API's <c>ManageReferencePrices</c> policy (operations and admins).</summary>
    public const string ManageReferencePrices = Roles.Operations + "," + Roles.Admin;

    /// <summary>The dividends page: the API's <c>ReadReferencePrices</c> policy, which reads dividends (operations, admins, risk officers and
    /// compliance); operations and admins also announce, correct, cancel and pay there (the API's <c>ManageInstruments</c> policy).</summary>
    public const string Dividends = ReadReferencePrices;

    /// <summary>The splits page: the API's <c>ReadReferencePrices</c> policy, which reads splits (operations, admins, risk officers and
    /// compliance); operations and admins also announce, cancel and apply there (the API's <c>ManageInstruments</c> policy).</summary>
    public const string Splits = ReadReferencePrices;

    /// <summary>The symbol changes page: the API's <c>ReadReferencePrices</c> policy, which reads symbol changes (operations, admins, risk
    /// officers and compliance); operations and admins also announce, cancel and apply there (the API's <c>ManageInstruments</c> policy).</summary>
    public const string SymbolChanges = ReadReferencePrices;

    /// <summary>The audit trail with its filters, hashes and verification: admins, compliance and regulators (the API's <c>audit</c> policy).</summary>
    public const string Audit = Roles.Admin + "," + Roles.Compliance + "," + Roles.Regulator;
}
