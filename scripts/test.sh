#!/usr/bin/env bash
# Runs every test against a private PostgreSQL (started here when ConsultBot__TestPostgres is not set)
# and prints one line "N passed, N failed". Extra arguments go to dotnet test (e.g. --filter Name~Outbox).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${ConsultBot__TestPostgres:-}" ]; then
    source scripts/pg.sh || { echo "0 passed, 1 failed"; exit 1; }
    export ConsultBot__TestPostgres="$PG_SERVER_CONNECTION"
fi
# pg.sh runs with errexit; here a failing test run must still reach the summary line below.
set +e
# Headless Chromium for the browser test; if it cannot be installed, that test fails and says what is missing.
bash scripts/chromium.sh

results="TestResults"
rm -rf "$results"
dotnet test ConsultBot.sln -c Release --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" "$@"
status=$?

trx="$(ls "$results"/*.trx 2>/dev/null | head -n 1 || true)"
if [ -n "$trx" ]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    errors="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
    failed=$(( ${failed:-0} + ${errors:-0} ))
    echo "${passed:-0} passed, ${failed} failed"
    if [ "${passed:-0}" = 0 ] && [ "$status" = 0 ]; then status=1; fi
else
    echo "0 passed, 1 failed"
    [ "$status" = 0 ] && status=1
fi
exit "$status"
