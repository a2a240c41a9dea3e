#!/usr/bin/env bash
# Runs the bot. Without ConnectionStrings__Postgres it starts a private PostgreSQL in .local/pg first.
# The web playground (http://127.0.0.1:5080/playground) with a demo school is on, so the bot can be tried
# without any messenger token. Any setting can be overridden with environment variables (see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
    source scripts/pg.sh
    pg_create_db consultbot
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consultbot"
fi
export Playground__Enabled="${Playground__Enabled:-true}"
export Playground__SeedDemo="${Playground__SeedDemo:-true}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"

echo "ConsultBot: playground at ${ASPNETCORE_URLS%%;*}/playground (Ctrl+C to stop)" >&2
exec dotnet run --project ConsultBot.Host -c Release -- "$@"
