#!/usr/bin/env bash
# prometheus-tools.sh DIR: make Debian's `prometheus` and `promtool` available
# for the exporter's end-to-end test (internal/serve), quietly and only once.
#
# Already on PATH or in DIR: nothing to do. Otherwise the package is
# downloaded (apt-get download needs no root) and unpacked into DIR, so no
# system service is installed or started; as root, the package lists are
# refreshed first when the download fails, and `apt-get install` is the last
# resort. When none of that works the test skips and says why.
set -u
dir=${1:?usage: prometheus-tools.sh DIR}
have() { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; }
if have || { [ -x "$dir/prometheus" ] && [ -x "$dir/promtool" ]; }; then
	exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "note: no apt-get here; the Prometheus end-to-end test will skip (install prometheus and promtool to run it)" >&2; exit 0; }
work=$(mktemp -d) || exit 0
trap 'rm -rf "$work"' EXIT
fetch() { (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1); }
if ! fetch && [ "$(id -u)" = 0 ]; then
	apt-get update -qq >/dev/null 2>&1
	fetch
fi
deb=$(ls "$work"/prometheus_*.deb 2>/dev/null | head -n1)
if [ -n "$deb" ] && dpkg-deb -x "$deb" "$work/root" 2>/dev/null; then
	mkdir -p "$dir"
	cp "$work/root/usr/bin/prometheus" "$work/root/usr/bin/promtool" "$dir/" && exit 0
fi
if [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; then
	exit 0
fi
echo "note: could not get Debian's prometheus package; the Prometheus end-to-end test will skip" >&2
exit 0
