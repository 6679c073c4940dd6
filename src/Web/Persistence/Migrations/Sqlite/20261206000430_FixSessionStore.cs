using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FixSessionStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fix_sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    NextSenderMsgSeqNum = table.Column<int>(type: "INTEGER", nullable: false),
                    NextTargetMsgSeqNum = table.Column<int>(type: "INTEGER", nullable: false),
                    SessionStartUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fix_sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "fix_messages",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    MsgSeqNum = table.Column<int>(type: "INTEGER", nullable: false),
                    Message = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fix_messages", x => new { x.SessionId, x.MsgSeqNum });
                    table.ForeignKey(
                        name: "FK_fix_messages_fix_sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "fix_sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fix_messages");

            migrationBuilder.DropTable(
                name: "fix_sessions");
        }
    }
}
