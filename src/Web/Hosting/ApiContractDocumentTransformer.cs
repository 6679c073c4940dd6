using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradSys.Web.Hosting;

/// <summary>
/// The document-wide half of the API contract (issue 14): server URLs without a trailing slash, the problem-details
/// schema the error responses point to, and a description for every tag (a new tag needs one here; the lint test says so).
/// </summary>
internal sealed class ApiContractDocumentTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Orders"] = "Place, amend, cancel and read orders; every order passes the compliance rule packs first",
        ["Trades"] = "Executions, as the caller may see them",
        ["Positions"] = "Holdings per account and instrument",
        ["Reference data"] = "Venues, instruments and their trading rules",
        ["Listings"] = "List, change and delist instruments (operations): each change checked field by field, versioned, audited and in force for the very next order, without a restart",
        ["Venue calendars"] = "Read and change a venue's calendar (operations): time zone, trading days, sessions, holidays and half days, checked field by field, versioned, audited and in force for the very next order, without a restart",
        ["FX rates"] = "The reference FX rates the platform converts with (each currency against the US dollar, euro rates derived), read by operations, admins, risk and compliance and changed by operations and admins: versioned, audited, and used from the very next order on every node",
        ["Corporate actions"] = "Cash dividends: announced, listed, corrected and canceled (before the ex-date) by operations, with each account's entitlement from its position at the end of the day before the ex-date, paid into accounts' cash on the payment date once; stock splits and reverse splits: announced and canceled (before the effective date) by operations, applied once on the effective date between sessions to every account's position (fractions paid in cash in lieu, cost basis kept), the reference prices and the open orders (canceled) in one writer transaction, what an application did read back from its audit record; symbol changes: announced and canceled (before the effective date) by operations, applied once on the effective date between sessions by listing the new symbol as a copy of the old listing, moving every position to it at its average cost, canceling the old symbol's open orders, copying its stored daily closes and delisting it, in one writer transaction, what an application did read back from its audit record",
        ["Reference prices"] = "Each day's reference (closing) prices per instrument and FX rates per currency, stored at each venue's close and importable by operations (with a dry run): what reports of a past day value positions and convert currencies with",
        ["Market data"] = "Depth, level 1 quotes and price bars from the public tape",
        ["Accounts"] = "Trading accounts and the caller's identity; client onboarding and KYC: create an account (one, or many from a CSV file with a dry run), replace its data, its versions (who, when, why, before and after)",
        ["Audit"] = "The hash-chained audit trail: search, export, verify",
        ["Rule packs"] = "Compliance rule packs and their versions",
        ["Rule pack drafts"] = "Drafting, validating and submitting changes to a rule pack (four eyes)",
        ["Rule pack replays"] = "Replaying past orders against a draft pack to see what it would change",
        ["Tasks"] = "Review and approval tasks of the workflows",
        ["Workflows"] = "Workflow definitions and instances",
        ["Reports"] = "Regulatory reports: catalogue, generation, download",
        ["Users"] = "Users, roles and API clients (admins)",
        ["Cash"] = "Accounts' cash per currency (available and settled), reservations of open buys, credit line and buying power; deposits and withdrawals",
        ["Risk"] = "Pre-trade risk controls (trading statuses, the kill switches, and versioned limits) and risk calculators (option analytics, what-if VaR)",
        ["Admin"] = "Platform health for operators",
    };

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey(nameof(ProblemDetails)))
        {
            document.Components.Schemas[nameof(ProblemDetails)] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
        }
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is not null && string.IsNullOrEmpty(tag.Description) && TagDescriptions.TryGetValue(tag.Name, out var text))
            {
                tag.Description = text;
            }
        }
    }
}
