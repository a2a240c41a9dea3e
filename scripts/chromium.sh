#!/usr/bin/env bash
# Makes sure Debian's Chromium and its chromedriver are installed for the browser test
# (ConsultBot.Tests/Playground/PlaygroundBrowserTests.cs), with a colour emoji font so its screenshot shows what a
# person sees. Run as root it installs what is missing (quietly; apt's output goes to .local/chromium-install.log);
# otherwise it only says what is missing, and the browser test fails naming the packages. Idempotent and quick when
# everything is there. Set ConsultBot__Chromium and ConsultBot__ChromeDriver to use another browser instead.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -n "${ConsultBot__Chromium:-}" ] || ! command -v dpkg-query >/dev/null; then
    exit 0
fi
missing=()
for package in chromium chromium-driver fonts-noto-color-emoji; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ "${#missing[@]}" = 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "chromium.sh: missing ${missing[*]} (needed by the browser test); install them: apt-get install ${missing[*]}" >&2
    exit 1
fi
mkdir -p .local
log=".local/chromium-install.log"
echo "chromium.sh: installing ${missing[*]} for the browser test..." >&2
started=$SECONDS
# Waits for another apt run to finish rather than failing on its lock.
if apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 \
    && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    echo "chromium.sh: installed in $((SECONDS - started)) s" >&2
else
    tail -n 20 "$log" >&2
    echo "chromium.sh: ERROR: could not install ${missing[*]} (log: $log)" >&2
    exit 1
fi
