#!/usr/bin/env bash
# bench.sh: Pitstop's whole-process figures for BENCHMARKS.md, on this machine:
#   1. start-up and a real run: `pitstop --version`, `pitstop check --only api`
#   2. peak memory (/usr/bin/time -v): --version, check --only api, check
#   3. side by side on the same sandbox servers:
#      `pitstop check --only smtp` against swaks doing the same STARTTLS + AUTH,
#      api.reachability's timing breakdown against curl -w for the same URL.
# Every server is the built-in sandbox (`pitstop demo --serve`) on loopback.
# hyperfine, swaks, curl and /usr/bin/time come from Debian; they are
# installed with apt-get when missing (as root), else a plain loop stands in
# for hyperfine. Results go to $BENCH_OUT (default bench-results/).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-bench-results}
RUNS=${BENCH_RUNS:-30}
GO=${GO:-go}
BIN=$PWD/bin/pitstop
mkdir -p "$OUT"

have() { command -v "$1" >/dev/null 2>&1; }

# install PACKAGE... with apt-get when we are root (or have sudo).
install() {
	local sudo=""
	if [ "$(id -u)" != 0 ]; then
		have sudo || return 1
		sudo="sudo -n"
	fi
	have apt-get || return 1
	$sudo apt-get update -qq >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null 2>&1
}

missing=()
have hyperfine || missing+=(hyperfine)
have swaks || missing+=(swaks)
have curl || missing+=(curl)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
	echo "== installing ${missing[*]} from Debian"
	install "${missing[@]}" || echo "   (could not install: some figures will be missing)"
fi

echo "== building $BIN"
$GO build -trimpath -ldflags "-s -w -X main.version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)" -o "$BIN" ./cmd/pitstop

echo "== starting the sandbox (scenario healthy)"
"$BIN" demo --serve --scenario healthy --format json >"$OUT/sandbox.json" 2>"$OUT/sandbox.err" &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null || true; wait $SANDBOX 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	[ -s "$OUT/sandbox.json" ] && break
	sleep 0.1
done
CFG=$(grep -o '"config":"[^"]*"' "$OUT/sandbox.json" | cut -d'"' -f4)
[ -f "$CFG" ] || {
	echo "the sandbox did not start:" >&2
	cat "$OUT/sandbox.err" >&2
	exit 1
}
CA=$(grep -m1 'ca_file:' "$CFG" | awk '{print $2}')
API=$(grep -m1 'base_url:' "$CFG" | awk '{print $2}')
SMTP_ADDR=$(grep -o 'SMTP *[0-9.]*:[0-9]*' "$OUT/sandbox.json" | awk '{print $2}')
SMTP_USER=$(grep -m1 'username:' "$CFG" | awk '{print $2}')
SMTP_PASS=$(grep -m1 'password:' "$CFG" | awk '{print $2}')
SMTP_FROM=$(grep -m1 'from:' "$CFG" | awk '{print $2}')
# The same exchange as swaks --quit-after AUTH: no test message.
NOSEND="$OUT/nosend.yaml"
grep -v 'test_recipient:' "$CFG" >"$NOSEND"
chmod 600 "$NOSEND"
trap 'kill $SANDBOX 2>/dev/null || true; wait $SANDBOX 2>/dev/null || true; rm -f "$NOSEND"' EXIT
echo "   config $CFG, API $API, SMTP $SMTP_ADDR"

SWAKS=(swaks --server "$SMTP_ADDR" --tls --tls-verify --tls-ca-path "$CA" --auth PLAIN
	--auth-user "$SMTP_USER" --auth-password "$SMTP_PASS" --from "$SMTP_FROM" --to "$SMTP_FROM" --quit-after AUTH)
CURL=(curl -sS -o /dev/null --cacert "$CA" "$API/health")

# bench NAME COMMAND...: hyperfine when present, else a plain loop. Writes
# $OUT/NAME.json (hyperfine) and prints mean ± stddev.
bench() {
	local name=$1
	shift
	if have hyperfine; then
		hyperfine -N --warmup 3 --runs "$RUNS" --ignore-failure --export-json "$OUT/$name.json" \
			--export-markdown "$OUT/$name.md" "$@" | sed 's/^/   /'
		return
	fi
	local cmd
	for cmd in "$@"; do
		local start end
		start=$(date +%s%N)
		for _ in $(seq "$RUNS"); do bash -c "$cmd" >/dev/null 2>&1 || true; done
		end=$(date +%s%N)
		printf '   %-60s mean %.1f ms (plain loop, %d runs)\n' "$cmd" "$(echo "($end - $start) / $RUNS / 1000000" | bc -l)" "$RUNS"
	done | tee "$OUT/$name.txt"
}

q() { printf '%q ' "$@"; }

echo "== start-up and a real run"
bench process "$BIN --version" "$BIN --config $CFG check --only api"

echo "== pitstop check --only smtp against swaks (STARTTLS + AUTH PLAIN, then QUIT)"
if have swaks; then
	bench smtp "$BIN --config $NOSEND check --only smtp" "$(q "${SWAKS[@]}")"
else
	echo "   swaks is missing: skipped"
fi

echo "== pitstop check --only api against curl (one GET of the health URL)"
if have curl; then
	bench api "$BIN --config $CFG check --only api" "$(q "${CURL[@]}")"
fi

echo "== api.reachability's timing breakdown against curl -w, $RUNS runs each (medians, ms)"
: >"$OUT/timing-cli.txt"
: >"$OUT/timing-curl.txt"
for _ in $(seq "$RUNS"); do
	# What a person sees: "DNS 0ms │ connect 0ms │ TLS 2ms │ server 0ms │ transfer 0ms" and "… in 4ms"
	"$BIN" --config "$CFG" check --only api --format json 2>/dev/null |
		tr ',' '\n' | grep -E 'DNS [0-9.]+m?s|/health → .* in [0-9.]+m?s' | tr -d '"[]' | tr '\n' ' ' >>"$OUT/timing-cli.txt" || true
	echo >>"$OUT/timing-cli.txt"
	if have curl; then
		curl -sS -o /dev/null --cacert "$CA" -w '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer} %{time_starttransfer} %{time_total}\n' \
			"$API/health" >>"$OUT/timing-curl.txt"
	fi
done
# The CLI's figures, whole milliseconds, to numbers per phase.
awk '
function ms(v) { if (v ~ /ms$/) { sub(/ms$/, "", v); return v+0 } if (v ~ /s$/) { sub(/s$/, "", v); return v*1000 } return v+0 }
{
	for (i = 1; i <= NF; i++) {
		if ($i == "DNS") dns = ms($(i+1)); if ($i == "connect") con = ms($(i+1)); if ($i == "TLS") tls = ms($(i+1))
		if ($i == "server") srv = ms($(i+1)); if ($i == "transfer") xfer = ms($(i+1)); if ($i == "in") tot = ms($(i+1))
	}
	print dns, con, tls, srv, xfer, tot
}' "$OUT/timing-cli.txt" >"$OUT/timing-cli.ms"
# curl: cumulative seconds to per-phase ms (server = pretransfer → first byte).
awk '{ printf "%.3f %.3f %.3f %.3f %.3f %.3f\n", $1*1000, ($2-$1)*1000, ($3-$2)*1000, ($5-$4)*1000, ($6-$5)*1000, $6*1000 }' \
	"$OUT/timing-curl.txt" >"$OUT/timing-curl.ms"
# Pitstop's traced client in one warm process, to the microsecond.
$GO run ./scripts/probetime -runs "$RUNS" -ca "$CA" "$API/health" >"$OUT/timing-probe.txt" || true
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit } m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m }'; }
{
	printf '| phase | pitstop check (as shown, cold process) | Pitstop probe (warm, µs precision) | curl -w |\n|---|---|---|---|\n'
	col=1
	for phase in DNS connect TLS "server (first byte)" transfer total; do
		printf '| %s | %s | %s | %s |\n' "$phase" "$(cut -d' ' -f$col "$OUT/timing-cli.ms" | median)" \
			"$(cut -d' ' -f$col "$OUT/timing-probe.txt" 2>/dev/null || echo -)" "$(cut -d' ' -f$col "$OUT/timing-curl.ms" | median)"
		col=$((col + 1))
	done
} | tee "$OUT/timing.md" | sed 's/^/   /'

echo "== peak memory (maximum resident set size)"
peak() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.1f MiB\n", $2 / 1024 }'
	else
		echo "-"
	fi
}
{
	printf '| command | peak RSS |\n|---|---|\n'
	printf '| pitstop --version | %s |\n' "$(peak "$BIN" --version)"
	printf '| pitstop check --only api | %s |\n' "$(peak "$BIN" --config "$CFG" check --only api)"
	printf '| pitstop check (every family) | %s |\n' "$(peak "$BIN" --config "$CFG" check)"
	if have swaks; then printf '| swaks (STARTTLS + AUTH) | %s |\n' "$(peak "${SWAKS[@]}")"; fi
	if have curl; then printf '| curl (one GET) | %s |\n' "$(peak "${CURL[@]}")"; fi
} | tee "$OUT/memory.md" | sed 's/^/   /'

echo "== machine"
{
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc)"
	echo "- memory: $(awk '/MemTotal/ { printf "%.0f GiB", $2/1024/1024 }' /proc/meminfo)"
	echo "- OS: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") ($(uname -r))"
	echo "- Go: $($GO version | cut -d' ' -f3-)"
	have hyperfine && echo "- $(hyperfine --version)"
	have swaks && echo "- swaks $(swaks --version 2>/dev/null | awk '{print $3; exit}')"
	have curl && echo "- $(curl --version | head -1 | cut -d' ' -f1-2)"
	echo "- load average when run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.md" | sed 's/^/   /'
echo "== done: $OUT/"
