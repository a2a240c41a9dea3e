#!/usr/bin/env bash
# Fault-injection suite: the real host (Release, its own process, webhook mode) on a fresh database of the private
# PostgreSQL per scenario, against the fake Bot API (vk-down: and the fake VK API, Callback API mode). Scenarios (all
# when none is named):
#   kill        SIGKILL mid daily reminders, opt-outs in between, restart: each delivered once at least, one duplicate at most
#   pg-restart  PostgreSQL stopped and started mid traffic: readiness reports it, refused updates retried and processed once, jobs recover
#   two-hosts   two hosts on one empty database: migrations once, each outbox row sent once, daily reminders planned once
#   api-down    the Bot API answers 502 while a backlog builds, then comes back: drained at the configured rate, no 429, nothing dropped
#   vk-down     the VK API fails (dropped connections, 500, late answers, errors 10 and 1) while a VK backlog builds, then
#               comes back: each peer gets its message once, at most 20 calls/s, no error 6, nothing failed
#   blocked     a recipient blocked the bot during a broadcast: undeliverable, unreachable, no retry, the rest delivered
#   soak        steady webhook load: host RSS and outbox backlog sampled and checked flat
# Each prints what it did and counted and PASS/FAIL with the reason; exits non-zero on any failure.
# Environment (defaults finish the suite in about 11 minutes on 2 cores): FAULTS_RATE (30 messages/s, the fake's and the host's),
# FAULTS_REMINDER_STUDENTS (2000), FAULTS_KILL_AT (0.3 of them delivered before the kill), FAULTS_OPT_OUTS (5),
# FAULTS_PG_DOWN_SECONDS (10), FAULTS_PG_UPDATES (400), FAULTS_PG_UPDATES_PER_SECOND (20),
# FAULTS_TWO_HOSTS_STUDENTS (600), FAULTS_TWO_HOSTS_UPDATES (300), FAULTS_API_DOWN_SECONDS (60), FAULTS_API_BACKLOG (900),
# FAULTS_VK_DOWN_SECONDS (75, five kinds of failure a fifth each), FAULTS_VK_BACKLOG (600 broadcast rows), FAULTS_VK_USERS (200 writing in),
# FAULTS_BROADCAST (300), FAULTS_SOAK_WARMUP_SECONDS (60, loaded but not compared), FAULTS_SOAK_SECONDS (120 after it),
# FAULTS_SOAK_UPDATES_PER_SECOND (20), FAULTS_SOAK_SAMPLE_SECONDS (5),
# FAULTS_SOAK_RSS_BOUND (1.10: the last third's mean RSS at most this times the first third's, after the warm-up).
# Host settings pass through: e.g. Outbox__MaxAttempts=6 bash scripts/faults.sh api-down.
# Host output goes to faults-results/hosts.log, the summary to faults-results/latest.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/pg.sh
# pg.sh leaves the cluster's folder in _data and its log in _log; the suite stops the server and starts it again with
# pg.sh's own options through pg_ctl (as postgres when root).
if [ "$(id -u)" = 0 ]; then _pg_ctl="runuser -u postgres -- $PG_BIN/pg_ctl -D $_data"; else _pg_ctl="$PG_BIN/pg_ctl -D $_data"; fi
_pg_start="-l $_log -w -t 60 -o '$(_pg_options)' start"
dotnet build ConsultBot.Host -c Release -v quiet -nologo >/dev/null
dotnet build ConsultBot.Bench -c Release -v quiet -nologo >/dev/null
exec dotnet ConsultBot.Bench/bin/Release/net10.0/ConsultBot.Bench.dll faults \
    --host-dll ConsultBot.Host/bin/Release/net10.0/ConsultBot.Host.dll \
    --server-connection "$PG_SERVER_CONNECTION" --pg-ctl "$_pg_ctl" --pg-start "$_pg_start" "$@"
