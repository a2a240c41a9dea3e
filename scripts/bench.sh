#!/usr/bin/env bash
# Benchmark: the real host (Release, its own process, webhook mode) against a private PostgreSQL and a fake
# Bot API enforcing Telegram's limits. Prints updates/s, latency percentiles, delivery rate, 429s and peak RSS; then
# consultation bookings through the same webhook: bookings/s uncontended with latency percentiles, and the last seat
# of a slot pressed by many students at once (exactly one winner, the rest refused, time to settle).
# Then the daily lesson reminders of a large region: planning time of one run and the drain rate of the new backlog.
# Exits non-zero when a press did not book exactly once or the last seat did not have exactly one winner.
# Environment: USERS (5000 measured), WARMUP_USERS (4000, not measured: lets tiered JIT reach steady state), CONCURRENCY (16 concurrent requests),
# RATE (30 messages/s, Telegram's ceiling), DISPATCH_SECONDS (20), POOL (20 connections),
# BOOKINGS (5000 students, one booking each, measured), BOOKING_WARMUP (1000, not measured), BOOKING_TEACHERS (4, 50 group slots each),
# LAST_SEAT (200 students pressing "Book" on the one free seat at the same moment),
# REMINDER_STUDENTS (100000 students seeded for the daily-reminder planning; 0 skips it), REMINDER_PARENTS (50000, each following one child),
# GROUP_SIZE (33 students a group, five lessons a group today),
# VK_USERS (1000 users whose registration script is posted to /vk/callback; then the VK send rate against the fake's 20 requests/s; 0 skips it),
# PGBENCH_SECONDS (15: pgbench runs the inbound transaction with CONCURRENCY clients for the PostgreSQL ceiling).
# Ends with one table of the figures and their targets (also in bench-results/latest.md), a chart in bench-results/latest.html
# (inline SVG) and, when Chromium is installed, bench-results/latest.png rendered from it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/pg.sh
rm -f bench-results/latest.md bench-results/latest.html bench-results/latest.png
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS consultbot_bench WITH (FORCE)" >/dev/null
pg_create_db consultbot_bench
dotnet build ConsultBot.Host -c Release -v quiet -nologo >/dev/null
dotnet build ConsultBot.Bench -c Release -v quiet -nologo >/dev/null
status=0
dotnet ConsultBot.Bench/bin/Release/net10.0/ConsultBot.Bench.dll \
    --host-dll ConsultBot.Host/bin/Release/net10.0/ConsultBot.Host.dll \
    --connection "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consultbot_bench;Maximum Pool Size=${POOL:-20}" \
    --users "${USERS:-5000}" --concurrency "${CONCURRENCY:-16}" --warmup-users "${WARMUP_USERS:-4000}" --rate "${RATE:-30}" --dispatch-seconds "${DISPATCH_SECONDS:-20}" \
    --bookings "${BOOKINGS:-5000}" --booking-warmup "${BOOKING_WARMUP:-1000}" --booking-teachers "${BOOKING_TEACHERS:-4}" --last-seat "${LAST_SEAT:-200}" \
    --reminder-students "${REMINDER_STUDENTS:-100000}" --reminder-parents "${REMINDER_PARENTS:-50000}" --group-size "${GROUP_SIZE:-33}" --vk-users "${VK_USERS:-1000}" \
    --pgbench "$PG_BIN/pgbench" --pgbench-seconds "${PGBENCH_SECONDS:-15}" || status=$?

chromium_bin="$(command -v chromium || command -v chromium-browser || true)"
if [ -f bench-results/latest.html ] && [ -n "$chromium_bin" ]; then
    if timeout 90 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars \
        --window-size=1000,1150 --screenshot="$PWD/bench-results/latest.png" "file://$PWD/bench-results/latest.html" >/dev/null 2>&1; then
        echo "Wrote bench-results/latest.png" >&2
    else
        echo "bench.sh: Chromium could not render bench-results/latest.png (the HTML is there)" >&2
    fi
elif [ -z "$chromium_bin" ]; then
    echo "bench.sh: no chromium installed, so no bench-results/latest.png (the HTML is there)" >&2
fi
exit "$status"
