#!/usr/bin/env bash
# THE test command: brings up PostgreSQL and RabbitMQ on 127.0.0.1 (installing
# them if needed), runs the whole test suite, and prints one summary line
#   N passed, N failed[, N skipped]
# computed from the .trx result files in artifacts/test-results.
#
#   tests/run.sh                       # everything
#   tests/run.sh --filter Engine       # extra arguments go to `dotnet test`
#
# Exit code: dotnet test's; non-zero also when no test was executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RESULTS_DIR="$ROOT/artifacts/test-results"

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE="${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}"

echo "== tests/run.sh: bringing up the test servers (tests/infra/up.sh) =="
# Sourced: exports TRADSYS_TEST_PG and TRADSYS_TEST_RABBITMQ.
. "$ROOT/tests/infra/up.sh"

echo "== tests/run.sh: dotnet test TradSys.sln -c Release $* =="
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

test_rc=0
dotnet test TradSys.sln -c Release \
  --logger "trx" --results-directory "$RESULTS_DIR" \
  "$@" </dev/null || test_rc=$?

# Sum the <Counters .../> of every .trx file (one per test project and framework).
# Prints a per-file breakdown and writes the summary line to $SUMMARY_FILE;
# exits 3 if no test was executed.
SUMMARY_FILE="$RESULTS_DIR/summary.txt"
summary_rc=0
python3 - "$RESULTS_DIR" "$SUMMARY_FILE" <<'PY' || summary_rc=$?
import glob, os, sys
import xml.etree.ElementTree as ET

results_dir = sys.argv[1]
files = sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True))
keys = ("total", "executed", "passed", "failed", "error", "timeout", "aborted", "notExecuted")
sums = dict.fromkeys(keys, 0)
for path in files:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        print(f"  {os.path.relpath(path, results_dir)}: unreadable ({exc})")
        sums["error"] += 1
        continue
    counters = root.find(".//{*}ResultSummary/{*}Counters")
    if counters is None:
        counters = root.find(".//{*}Counters")
    if counters is None:
        print(f"  {os.path.relpath(path, results_dir)}: no <Counters> element")
        sums["error"] += 1
        continue
    c = {k: int(counters.get(k, "0") or 0) for k in keys}
    for k in keys:
        sums[k] += c[k]
    outcome = root.find(".//{*}ResultSummary")
    outcome = outcome.get("outcome", "?") if outcome is not None else "?"
    print(f"  {os.path.relpath(path, results_dir)}: total={c['total']} executed={c['executed']} "
          f"passed={c['passed']} failed={c['failed']} error={c['error']} "
          f"skipped={max(c['total'] - c['executed'], c['notExecuted'])} ({outcome})")

failed = sums["failed"] + sums["error"] + sums["timeout"] + sums["aborted"]
# xunit's skipped tests are in total but not in executed (notExecuted stays 0).
skipped = max(sums["total"] - sums["executed"], sums["notExecuted"], 0)
print(f"== tests/run.sh: {len(files)} result file(s) in {os.path.relpath(results_dir)} ==")
with open(sys.argv[2], "w") as fh:
    fh.write(f"{sums['passed']} passed, {failed} failed, {skipped} skipped\n")
sys.exit(3 if sums["executed"] == 0 else 0)
PY

rc=0
if [[ $test_rc -ne 0 ]]; then
  echo "tests/run.sh: dotnet test exited with code $test_rc"
  rc=$test_rc
elif [[ $summary_rc -eq 3 ]]; then
  echo "tests/run.sh: no test was executed: failing"
  rc=1
elif [[ $summary_rc -ne 0 ]]; then
  echo "tests/run.sh: could not summarise the test results (exit $summary_rc)"
  rc=1
fi
# The summary line, alone and last.
if [[ -s "$SUMMARY_FILE" ]]; then
  cat "$SUMMARY_FILE"
else
  echo "0 passed, 0 failed"
fi
exit "$rc"
