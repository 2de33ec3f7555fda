#!/usr/bin/env bash
# bench.sh: Pitstop's whole-process figures for BENCHMARKS.md, on this machine:
#   1. size, start-up and peak memory: the binary, `pitstop --version`
#   2. a real run: the full `pitstop check`, the same run without `content`,
#      `content.prompt` in a fresh process, `check --only api` against one
#      curl of the same API's /verify
#   3. side by side on the same sandbox servers:
#      `pitstop check --only smtp` against swaks doing the same STARTTLS + AUTH,
#      api.reachability's timing breakdown against curl -w for the same URL
#   4. instruction counts (valgrind's callgrind), when valgrind is installed
# With BENCH_BASELINE=<git revision> every Pitstop figure is also taken for
# that revision, built from `git archive` into a temporary directory, in the
# same run and against the same servers: the "before" column.
# Every server is the built-in sandbox (`pitstop demo --serve`) on loopback.
# hyperfine, swaks, curl and /usr/bin/time come from Debian; they are
# installed with apt-get when missing (as root), else a plain loop stands in
# for hyperfine. Results go to $BENCH_OUT (default bench-results/);
# summary.md holds the before/after table.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-bench-results}
RUNS=${BENCH_RUNS:-30}
GO=${GO:-go}
BIN=$PWD/bin/pitstop
BASELINE=${BENCH_BASELINE:-}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

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

# Everything temporary lives here and goes at the end, with the sandbox.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pitstop-bench-XXXXXX")
SANDBOXES=()
cleanup() {
	local pid
	for pid in "${SANDBOXES[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

echo "== load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"

echo "== building $BIN"
$GO build -trimpath -ldflags "-s -w -X main.version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)" -o "$BIN" ./cmd/pitstop

# The binaries to measure: after (this tree), and before (the baseline).
NAMES=(after)
BINS=("$BIN")
if [ -n "$BASELINE" ]; then
	echo "== building the baseline $BASELINE"
	mkdir -p "$TMP/baseline"
	git archive "$BASELINE" | tar -x -C "$TMP/baseline"
	(cd "$TMP/baseline" && $GO build -trimpath -ldflags "-s -w -X main.version=$BASELINE" -o "$TMP/pitstop-before" ./cmd/pitstop)
	NAMES=(before after)
	BINS=("$TMP/pitstop-before" "$BIN")
fi

# Each binary runs against its own sandbox (same scenario, its own
# version of the servers and of the settings file: a baseline may not read
# settings added since). curl, swaks and the timing table use this tree's.
CFGS=()
NOSENDS=()
for i in "${!NAMES[@]}"; do
	name=${NAMES[$i]}
	echo "== starting the $name sandbox (scenario healthy)"
	"${BINS[$i]}" demo --serve --scenario healthy --format json >"$OUT/sandbox-$name.json" 2>"$OUT/sandbox-$name.err" &
	SANDBOXES+=($!)
	for _ in $(seq 100); do
		[ -s "$OUT/sandbox-$name.json" ] && break
		sleep 0.1
	done
	cfg=$(grep -o '"config":"[^"]*"' "$OUT/sandbox-$name.json" | cut -d'"' -f4)
	[ -f "$cfg" ] || {
		echo "the $name sandbox did not start:" >&2
		cat "$OUT/sandbox-$name.err" >&2
		exit 1
	}
	CFGS+=("$cfg")
	# The same exchange as swaks --quit-after AUTH: no test message.
	grep -v 'test_recipient:' "$cfg" >"$TMP/nosend-$name.yaml"
	chmod 600 "$TMP/nosend-$name.yaml"
	NOSENDS+=("$TMP/nosend-$name.yaml")
done
CFG=${CFGS[${#CFGS[@]}-1]}
CA=$(grep -m1 'ca_file:' "$CFG" | awk '{print $2}')
API=$(grep -m1 'base_url:' "$CFG" | awk '{print $2}')
API_KEY=$(grep -m1 ' key:' "$CFG" | awk '{print $2}')
SMTP_ADDR=$(grep -o 'SMTP *[0-9.]*:[0-9]*' "$OUT/sandbox-after.json" | awk '{print $2}')
SMTP_USER=$(grep -m1 'username:' "$CFG" | awk '{print $2}')
SMTP_PASS=$(grep -m1 'password:' "$CFG" | awk '{print $2}')
SMTP_FROM=$(grep -m1 'from:' "$CFG" | awk '{print $2}')
# curl reads the key from a file, so it is in no command line or result.
CURLVERIFY="$TMP/verify.curlrc"
(
	umask 077
	printf 'silent\nshow-error\noutput = "/dev/null"\ncacert = "%s"\nheader = "Authorization: Bearer %s"\nurl = "%s/verify"\n' "$CA" "$API_KEY" "$API" >"$CURLVERIFY"
)
echo "   config $CFG, API $API, SMTP $SMTP_ADDR"

SWAKS=(swaks --server "$SMTP_ADDR" --tls --tls-verify --tls-ca-path "$CA" --auth PLAIN
	--auth-user "$SMTP_USER" --auth-password "$SMTP_PASS" --from "$SMTP_FROM" --to "$SMTP_FROM" --quit-after AUTH)
CURL=(curl -sS -o /dev/null --cacert "$CA" "$API/health")
ONLY_NO_CONTENT=api,crm,smtp,domain,cache

q() { printf '%q ' "$@"; }

# bench NAME LABEL COMMAND [LABEL COMMAND]...: hyperfine when present
# (commands shown by their labels, so no secret of a command line lands in
# the results), else a plain loop. Writes $OUT/NAME.{md,json,csv}.
bench() {
	local name=$1
	shift
	if have hyperfine; then
		local args=()
		while [ $# -gt 0 ]; do
			args+=(-n "$1" "$2")
			shift 2
		done
		hyperfine -N --warmup 3 --runs "$RUNS" --ignore-failure --export-json "$OUT/$name.json" \
			--export-markdown "$OUT/$name.md" --export-csv "$OUT/$name.csv" "${args[@]}" | sed 's/^/   /'
		return
	fi
	echo "command,mean,stddev,median,user,system,min,max" >"$OUT/$name.csv"
	while [ $# -gt 0 ]; do
		local label=$1 cmd=$2 start end
		shift 2
		start=$(date +%s%N)
		for _ in $(seq "$RUNS"); do bash -c "$cmd" >/dev/null 2>&1 || true; done
		end=$(date +%s%N)
		local mean
		mean=$(echo "($end - $start) / $RUNS / 1000000000" | bc -l)
		echo "$label,$mean,,$mean,,,," >>"$OUT/$name.csv"
		printf '   %-50s mean %.1f ms (plain loop, %d runs)\n' "$label" "$(echo "$mean * 1000" | bc -l)" "$RUNS"
	done
}

# ms NAME LABEL: the median of LABEL in $OUT/NAME.csv, in milliseconds.
ms() { awk -F, -v l="$2" '$1 == l { printf "%.1f", $4 * 1000 }' "$OUT/$1.csv"; }

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit } m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m }'; }

# peak COMMAND...: median of the maximum resident set size over 10 runs, MiB.
peak() {
	[ -x /usr/bin/time ] || {
		echo "-"
		return
	}
	for _ in $(seq 10); do
		/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
	done | awk '{ print $1 / 1024 }' | median
}

# promptms BIN CONFIG: content.prompt's own duration (the tokenizer's first
# load and count) in fresh processes, median over $RUNS, in milliseconds.
promptms() {
	for _ in $(seq "$RUNS"); do
		"$1" --config "$2" check --only content --format json 2>/dev/null | tr ',' '\n' |
			awk '/"id": *"content.prompt"/ { f = 1 } f && /"duration_ms":/ { sub(/.*"duration_ms": */, ""); print; exit }'
	done | median
}

# instr COMMAND...: instructions executed (valgrind's callgrind), or "-".
instr() {
	have valgrind || {
		echo "-"
		return
	}
	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/ refs:/ { gsub(",", "", $NF); printf "%.1f M", $NF / 1e6 }'
}

echo "== start-up, and a full check with and without content (sandbox healthy)"
args=()
for i in "${!NAMES[@]}"; do
	args+=("${NAMES[$i]}: pitstop --version" "${BINS[$i]} --version")
done
for i in "${!NAMES[@]}"; do
	args+=("${NAMES[$i]}: pitstop check" "${BINS[$i]} --config ${CFGS[$i]} check"
		"${NAMES[$i]}: pitstop check without content" "${BINS[$i]} --config ${CFGS[$i]} check --only $ONLY_NO_CONTENT")
done
bench process "${args[@]}"

echo "== pitstop check --only api against one curl of /verify"
args=()
for i in "${!NAMES[@]}"; do
	args+=("${NAMES[$i]}: pitstop check --only api" "${BINS[$i]} --config ${CFGS[$i]} check --only api")
done
if have curl; then
	args+=("curl /verify" "curl -K $CURLVERIFY")
fi
bench api "${args[@]}"

echo "== content.prompt in a fresh process (tokenizer load and count), $RUNS runs each"
: >"$OUT/prompt.txt"
for i in "${!NAMES[@]}"; do
	echo "${NAMES[$i]} $(promptms "${BINS[$i]}" "${CFGS[$i]}")" | tee -a "$OUT/prompt.txt" | sed 's/^/   /'
done

echo "== pitstop check --only smtp against swaks (STARTTLS + AUTH PLAIN, then QUIT)"
if have swaks; then
	args=()
	for i in "${!NAMES[@]}"; do
		args+=("${NAMES[$i]}: pitstop check --only smtp" "${BINS[$i]} --config ${NOSENDS[$i]} check --only smtp")
	done
	bench smtp "${args[@]}" "swaks STARTTLS + AUTH" "$(q "${SWAKS[@]}")"
else
	echo "   swaks is missing: skipped"
fi

echo "== api.reachability's timing breakdown against curl -w, $RUNS runs each (medians, ms)"
: >"$OUT/timing-cli.txt"
: >"$OUT/timing-curl.txt"
for _ in $(seq "$RUNS"); do
	# What a person sees: "DNS 0 ms │ connect 0.14 ms │ TLS 2.1 ms │ server 0.14 ms │ transfer 0.14 ms" and "… in 2.8 ms"
	"$BIN" --config "$CFG" check --only api --format json 2>/dev/null |
		tr ',' '\n' | grep -E 'DNS [0-9.]+ ?[µm]?s|/health → .* in [0-9.]+ ?[µm]?s' | tr -d '"[]' | tr '\n' ' ' >>"$OUT/timing-cli.txt" || true
	echo >>"$OUT/timing-cli.txt"
	if have curl; then
		curl -sS -o /dev/null --cacert "$CA" -w '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_pretransfer} %{time_starttransfer} %{time_total}\n' \
			"$API/health" >>"$OUT/timing-curl.txt"
	fi
done
# The CLI's figures ("2.1 ms", "850 µs", "1.2 s"; "12ms" before the one
# latency formatter) to milliseconds per phase.
awk '
function ms(v, unit) {
	if (unit == "ms" || unit == "s" || unit == "µs") v = v unit
	if (v ~ /µs$/) { sub(/µs$/, "", v); return v/1000 }
	if (v ~ /ms$/) { sub(/ms$/, "", v); return v+0 }
	if (v ~ /s$/) { sub(/s$/, "", v); return v*1000 }
	return v+0
}
{
	for (i = 1; i <= NF; i++) {
		if ($i == "DNS") dns = ms($(i+1), $(i+2)); if ($i == "connect") con = ms($(i+1), $(i+2)); if ($i == "TLS") tls = ms($(i+1), $(i+2))
		if ($i == "server") srv = ms($(i+1), $(i+2)); if ($i == "transfer") xfer = ms($(i+1), $(i+2)); if ($i == "in") tot = ms($(i+1), $(i+2))
	}
	print dns, con, tls, srv, xfer, tot
}' "$OUT/timing-cli.txt" >"$OUT/timing-cli.ms"
# curl: cumulative seconds to per-phase ms (server = pretransfer → first byte).
awk '{ printf "%.3f %.3f %.3f %.3f %.3f %.3f\n", $1*1000, ($2-$1)*1000, ($3-$2)*1000, ($5-$4)*1000, ($6-$5)*1000, $6*1000 }' \
	"$OUT/timing-curl.txt" >"$OUT/timing-curl.ms"
# Pitstop's traced client in one warm process, to the microsecond.
$GO run ./scripts/probetime -runs "$RUNS" -ca "$CA" "$API/health" >"$OUT/timing-probe.txt" || true
{
	printf '| phase | pitstop check (as shown, cold process) | Pitstop probe (warm, µs precision) | curl -w |\n|---|---|---|---|\n'
	col=1
	for phase in DNS connect TLS "server (first byte)" transfer total; do
		printf '| %s | %s | %s | %s |\n' "$phase" "$(cut -d' ' -f$col "$OUT/timing-cli.ms" | median)" \
			"$(cut -d' ' -f$col "$OUT/timing-probe.txt" 2>/dev/null || echo -)" "$(cut -d' ' -f$col "$OUT/timing-curl.ms" | median)"
		col=$((col + 1))
	done
} | tee "$OUT/timing.md" | sed 's/^/   /'

echo "== peak memory (maximum resident set size, median of 10 runs, MiB)"
{
	printf '| command |'
	for n in "${NAMES[@]}"; do printf ' %s |' "$n"; done
	printf '\n|---|'
	for _ in "${NAMES[@]}"; do printf -- '---|'; done
	printf '\n'
	for what in "--version" "check --only api" "check --only $ONLY_NO_CONTENT" "check"; do
		printf '| pitstop %s |' "$what"
		for i in "${!BINS[@]}"; do
			if [ "$what" = "--version" ]; then
				printf ' %s |' "$(peak "${BINS[$i]}" --version)"
			else
				# shellcheck disable=SC2086 # $what is the subcommand and its flags
				printf ' %s |' "$(peak "${BINS[$i]}" --config "${CFGS[$i]}" $what)"
			fi
		done
		printf '\n'
	done
	if have swaks; then printf '| swaks (STARTTLS + AUTH) | %s |\n' "$(peak "${SWAKS[@]}")"; fi
	if have curl; then printf '| curl (one GET of /health) | %s |\n' "$(peak "${CURL[@]}")"; fi
} | tee "$OUT/memory.md" | sed 's/^/   /'

echo "== instructions executed (callgrind)"
{
	printf '| command |'
	for n in "${NAMES[@]}"; do printf ' %s |' "$n"; done
	printf '\n|---|'
	for _ in "${NAMES[@]}"; do printf -- '---|'; done
	printf '\n| pitstop --version |'
	for b in "${BINS[@]}"; do printf ' %s |' "$(instr "$b" --version)"; done
	printf '\n| pitstop check --only content |'
	for i in "${!BINS[@]}"; do printf ' %s |' "$(instr "${BINS[$i]}" --config "${CFGS[$i]}" --timeout 120s check --only content)"; done
	printf '\n'
} | tee "$OUT/instructions.md" | sed 's/^/   /'

echo "== the tokenizer's Go benchmarks"
$GO test -run '^$' -bench . -benchmem ./internal/check/content/o200k | grep '^Benchmark' | sed 's/^/after: /' | tee "$OUT/tokenizer.txt" | sed 's/^/   /'
if [ -n "$BASELINE" ]; then
	(cd "$TMP/baseline" && $GO test -run '^$' -bench 'Token' -benchmem ./internal/check/content) | grep '^Benchmark' |
		sed 's/^/before: /' | tee -a "$OUT/tokenizer.txt" | sed 's/^/   /'
fi

echo "== summary"
{
	printf '| what |'
	for n in "${NAMES[@]}"; do printf ' %s |' "$n"; done
	printf '\n|---|'
	for _ in "${NAMES[@]}"; do printf -- '---|'; done
	printf '\n'
	row() { # row LABEL VALUE-FOR-EACH-NAME-COMMAND...
		local label=$1
		shift
		printf '| %s |' "$label"
		for n in "${NAMES[@]}"; do printf ' %s |' "$("$@" "$n")"; done
		printf '\n'
	}
	full() { echo "$(ms process "$1: pitstop check") ms"; }
	bare() { echo "$(ms process "$1: pitstop check without content") ms"; }
	ratio() { awk -v a="$(ms process "$1: pitstop check")" -v b="$(ms process "$1: pitstop check without content")" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "-" }'; }
	prompt() { echo "$(awk -v n="$1" '$1 == n { print $2 }' "$OUT/prompt.txt") ms"; }
	version() { echo "$(ms process "$1: pitstop --version") ms"; }
	api() { echo "$(ms api "$1: pitstop check --only api") ms"; }
	apiratio() { awk -v a="$(ms api "$1: pitstop check --only api")" -v b="$(ms api "curl /verify")" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "-" }'; }
	size() {
		local i
		for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" = "$1" ] && stat -c %s "${BINS[$i]}" | awk '{ printf "%.1f MB", $1 / 1e6 }'; done
	}
	mem() { # mem NAME COLUMN-OF-memory.md
		awk -F'|' -v row="$1" -v col="$2" '$2 == " pitstop " row " " { gsub(/ /, "", $(col + 2)); print $(col + 2) " MiB" }' "$OUT/memory.md"
	}
	memcol() { for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" = "$2" ] && mem "$1" "$((i + 1))"; done; }
	row "full \`pitstop check\` (median)" full
	row "the same without content (\`--only $ONLY_NO_CONTENT\`)" bare
	row "full / without content" ratio
	row "full \`pitstop check\`, peak RSS" memcol "check"
	row "without content, peak RSS" memcol "check --only $ONLY_NO_CONTENT"
	row "\`content.prompt\` in a fresh process (its own duration)" prompt
	row "\`pitstop --version\`" version
	row "\`pitstop --version\`, peak RSS" memcol "--version"
	row "\`pitstop check --only api\`" api
	row "… against one curl of /verify ($(ms api "curl /verify") ms)" apiratio
	row "binary size (-trimpath -s -w)" size
} | tee "$OUT/summary.md" | sed 's/^/   /'

echo "== machine"
{
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc)"
	echo "- memory: $(awk '/MemTotal/ { printf "%.0f GiB", $2/1024/1024 }' /proc/meminfo)"
	echo "- OS: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") ($(uname -r))"
	echo "- Go: $($GO version | cut -d' ' -f3-)"
	have hyperfine && echo "- $(hyperfine --version)"
	have swaks && echo "- swaks $(swaks --version 2>/dev/null | awk '{print $3; exit}')"
	have curl && echo "- $(curl --version | head -1 | cut -d' ' -f1-2)"
	have valgrind && echo "- $(valgrind --version)"
	echo "- load average (1, 5, 15 min): $(sed 's/.*start: //' "$OUT/load.txt") at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
	if [ -n "$BASELINE" ]; then
		echo "- before: $BASELINE ($(git rev-parse --short "$BASELINE")), after: $(git describe --tags --always --dirty 2>/dev/null || echo this tree)"
	fi
} | tee "$OUT/machine.md" | sed 's/^/   /'
echo "== done: $OUT/"
