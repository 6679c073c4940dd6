using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <summary>
    /// The order journal's checks, run in the server so that a batch written and committed in one round trip (no transaction of
    /// the client's: PostgreSQL's implicit transaction up to the batch's end) is refused whole when one fails
    /// (<c>PostgresJournalRowWriter</c>): <c>journal_expect_rows</c> for each update by key (SQLSTATE TJ001), <c>writer_fence_held</c>
    /// for a cluster writer's lease at its epoch (SQLSTATE TJ002, which the writer turns into "no longer the leader").
    /// </summary>
    public partial class JournalChecksInServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION journal_expect_rows(touched bigint, expected bigint, what text) RETURNS bigint LANGUAGE plpgsql AS $$
                BEGIN
                    IF touched <> expected THEN
                        RAISE EXCEPTION 'a statement of the order journal (%) touched % rows, not %: the batch was rolled back', what, touched, expected
                            USING ERRCODE = 'TJ001';
                    END IF;
                    RETURN touched;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION writer_fence_held(touched bigint, shard text, epoch bigint) RETURNS bigint LANGUAGE plpgsql AS $$
                BEGIN
                    IF touched <> 1 THEN
                        RAISE EXCEPTION 'the order writer''s lease of shard ''%'' is no longer at epoch % (another node took it over): the batch was rolled back', shard, epoch
                            USING ERRCODE = 'TJ002';
                    END IF;
                    RETURN touched;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS writer_fence_held(bigint, text, bigint);");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS journal_expect_rows(bigint, bigint, text);");
        }
    }
}
