#!/usr/bin/env bash
# Imports a timetable CSV (see README, "Timetable") and exits: 0 imported (counts on stdout), 1 refused (bad rows on stderr).
# Without ConnectionStrings__Postgres it uses the private PostgreSQL in .local/pg, like scripts/run.sh.
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: bash scripts/import-timetable.sh FILE.csv" >&2
    exit 2
fi
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
    source scripts/pg.sh
    pg_create_db consultbot
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consultbot"
fi
export Logging__LogLevel__Default="${Logging__LogLevel__Default:-Warning}"
exec dotnet run --project ConsultBot.Host -c Release -- import-timetable "$file"
