#!/bin/sh
# Load test of `plancheck serve` with wrk: POST /v1/check of one failing
# application at 1, 16 and 64 connections, printing requests per second,
# latency percentiles and the service's resident memory before and after.
# Baseline in the same run: GET /health (the server's floor, no check).
#
#   benches/serve_load.sh [SECONDS]      (needs wrk: apt-get install wrk)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
cargo build --release --quiet
port=18765
./target/release/plancheck serve --addr 127.0.0.1:$port 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
sleep 0.5
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status; }
lua=$(mktemp --suffix .lua)
body=$(tr -d '\n' < seeds/samples/project-low-plot-ratio.json | sed 's/\\/\\\\/g; s/"/\\"/g')
cat > "$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "$body"
done = function(summary, latency, requests)
  io.write(string.format("  %.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
LUA
echo "memory at start: $(rss)"
for c in 1 16 64; do
    t=$(( c < 2 ? 1 : 2 ))
    echo "GET /health, $c connections (baseline):"
    wrk -t$t -c$c -d${secs}s -s /dev/null http://127.0.0.1:$port/health 2>/dev/null | grep -E "Requests/sec|Latency" | sed 's/^/  /'
    echo "POST /v1/check, $c connections:"
    wrk -t$t -c$c -d${secs}s -s "$lua" http://127.0.0.1:$port/v1/check | tail -n 1
done
echo "memory at end: $(rss)"
rm -f "$lua"
