#!/usr/bin/env bash
# Runs every GreenLoop test on this machine, installing what is missing first.
# Usage: scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is required; see README.md" >&2; exit 2; }
command -v npm >/dev/null || need_apt+=(nodejs npm)
[ -d /usr/share/zoneinfo/Europe ] || need_apt+=(tzdata)
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
# The UI tests drive Debian's Chromium (Playwright never downloads a browser here); CJK fonts so Chinese renders.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need_apt+=(fonts-noto-cjk)
# The e-mail notification tests run a real SMTP receiver (aiosmtpd) under Debian's own Python; a python3 earlier on
# PATH (pyenv, venv) would not see the Debian package, so ask /usr/bin/python3.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need_apt+=(python3-aiosmtpd)
# The connector tests run a real MQTT broker (mosquitto, with mosquitto_pub as an independent client) and a real Modbus
# TCP device simulator (pymodbus, an independent implementation of the protocol).
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
command -v mosquitto_pub >/dev/null || need_apt+=(mosquitto-clients)
/usr/bin/python3 -c 'import pymodbus' 2>/dev/null || need_apt+=(python3-pymodbus)
# Workbooks are read back by an independent reader (Debian's openpyxl), not only by the library that wrote them.
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need_apt+=(python3-openpyxl)
# Baseline regressions are checked against an independent implementation (Debian's statsmodels).
/usr/bin/python3 -c 'import statsmodels' 2>/dev/null || need_apt+=(python3-statsmodels)
# The storage contract tests run every provider; for PostgreSQL they start their own throwaway server (initdb, pg_ctl
# from Debian's postgresql package, run as its 'postgres' user when the tests run as root).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build GreenLoop.slnx -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test GreenLoop.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?

# One closing line over all test projects, from the TRX files.
passed=0; failed=0; skipped=0; total=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
echo ""
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$total" -eq 0 ]; then
  echo "error: no test was run" >&2
  exit 1
fi
[ "$failed" -eq 0 ] || status=1
exit $status
