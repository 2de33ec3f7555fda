#!/usr/bin/env bash
# Where make test's time goes: the race pass, with the CPU each test binary
# used (user + system, its children included: the pitstop binary and the
# Prometheus the tests start), by package, largest first. Wall times inside
# a run depend on what shared the cores; the CPU figures are the ones to
# compare between two trees.
#
#   bash scripts/testcpu.sh                  # every package
#   bash scripts/testcpu.sh ./internal/cli   # some
set -euo pipefail

if [ "${1:-}" = "--exec" ]; then # go test -exec: run one test binary, timed
	shift
	exec /usr/bin/time -a -o "$TESTCPU_LOG" -f "%U %S %e $PWD" "$@"
fi

cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
	echo "testcpu: /usr/bin/time is missing (Debian: apt-get install time)" >&2
	exit 2
fi
TESTCPU_LOG=$(mktemp)
out=$(mktemp)
export TESTCPU_LOG
trap 'rm -f "$TESTCPU_LOG" "$out"' EXIT
[ $# -gt 0 ] || set -- ./...
status=0
PATH="$PATH:$PWD/.cache/prometheus" GORACE="${GORACE:-atexit_sleep_ms=0}" \
	GOFLAGS="$(go env GOFLAGS) -trimpath" \
	go test -race -vet=off -ldflags='-s -w' -count=1 -exec "bash $PWD/scripts/testcpu.sh --exec" "$@" >"$out" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	cat "$out" >&2 # what failed, as go test said it
fi
awk -v root="$PWD/" '$1 ~ /^[0-9.]+$/ {
	pkg = $4; sub(root, "", pkg); cpu[pkg] += $1 + $2; wall[pkg] += $3
} END {
	for (p in cpu) printf "%7.1f s CPU %7.1f s wall  %s\n", cpu[p], wall[p], p
}' "$TESTCPU_LOG" | sort -rn
awk '$1 ~ /^[0-9.]+$/ { total += $1 + $2 } END {
	printf "%7.1f s CPU in all: the test binaries only, not compiling or linking them\n", total
}' "$TESTCPU_LOG"
exit "$status"
