using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <summary>
    /// The reference tables' counter trigger also notifies (<c>pg_notify</c> on <c>tradsys_reference_versions</c>, with the counter's
    /// name): the order writer's listener (<c>ReferenceChangeListener</c>) learns of a change as it commits, so the writer reads the
    /// counters only then instead of every batch. The notification is sent at commit, once per distinct name and transaction.
    /// </summary>
    public partial class ReferenceVersionsNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION reference_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "reference_versions" SET "Version" = "Version" + 1 WHERE "Name" = TG_ARGV[0];
                    PERFORM pg_notify('tradsys_reference_versions', TG_ARGV[0]);
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION reference_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "reference_versions" SET "Version" = "Version" + 1 WHERE "Name" = TG_ARGV[0];
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
