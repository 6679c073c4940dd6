namespace TradSys.Web.Persistence;

/// <summary>
/// The data step of the migration ClsOneDailyCloseStore (both providers: the SQL below is the same in SQLite and PostgreSQL), which
/// makes <c>reference_prices</c> the one store of daily closes and drops <c>daily_closes</c> (issues 14 and 15). Up moves every row of
/// <c>daily_closes</c> (imports of <c>POST /api/v1/risk/price-history</c> and the demo history) into <c>reference_prices</c> with its
/// source, who and when, and the instrument's currency (instruments are never deleted, only delisted, so every close has one), by the
/// store's precedence: an import replaces the close job's figure of the same instrument and day, and an older import through
/// <c>PUT /api/v1/reference-prices/{date}</c>; a demo close never replaces a stored figure. Down copies the imports and the demo closes
/// back into <c>daily_closes</c> and removes the demo closes from <c>reference_prices</c> (an import stays in both: which API made it is
/// in the audit trail, not the row).
/// </summary>
internal static class DailyCloseMerge
{
    /// <summary>Moves the rows of daily_closes into reference_prices (run before daily_closes is dropped).</summary>
    public const string Up = """
        UPDATE reference_prices AS r
        SET "Price" = c."Close", "Source" = c."Source", "EnteredBy" = c."EnteredBy", "EnteredAt" = c."EnteredAt"
        FROM daily_closes AS c
        WHERE c."Symbol" = r."Symbol" AND c."Date" = r."Date" AND c."Source" = 'import'
          AND (r."Source" <> 'import' OR c."EnteredAt" > r."EnteredAt");

        INSERT INTO reference_prices ("Date", "Symbol", "Price", "Currency", "Source", "EnteredBy", "EnteredAt")
        SELECT c."Date", c."Symbol", c."Close", i."Currency", c."Source", c."EnteredBy", c."EnteredAt"
        FROM daily_closes AS c JOIN instruments AS i ON i."Symbol" = c."Symbol"
        WHERE NOT EXISTS (SELECT 1 FROM reference_prices AS r WHERE r."Date" = c."Date" AND r."Symbol" = c."Symbol");
        """;

    /// <summary>Copies the imports and demo closes back into daily_closes (run after it is created again).</summary>
    public const string Down = """
        INSERT INTO daily_closes ("Symbol", "Date", "Close", "Source", "EnteredBy", "EnteredAt")
        SELECT "Symbol", "Date", "Price", "Source", "EnteredBy", "EnteredAt" FROM reference_prices WHERE "Source" IN ('import', 'demo');

        DELETE FROM reference_prices WHERE "Source" = 'demo';
        """;
}
