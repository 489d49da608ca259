#!/usr/bin/env bash
# Serving benchmark: the real service (Release) on a loopback port over a store seeded with synthetic stories,
# measured with wrk against /feed.atom (gzip, as readers ask), /feed.atom revalidated (304), and the same bytes
# as a static file from the same Kestrel (the yardstick). Prints requests/s for each and the ratios.
#   tests/Aggregator.Benchmarks/serve-bench.sh [seconds per run, default 10]
# Environment: THREADS (2), CONNECTIONS (64), STORIES (100), PORT (a free one).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
stories=${STORIES:-100}
port=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "Building Release..."
dotnet build src/Aggregator/Aggregator.csproj -c Release -o "$work/bin" --nologo -v quiet >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }

# Ten outlets, all disabled: nothing is fetched while wrk runs, the store only holds the seeded stories.
{
  echo '{ "output": { "title": "Dépêches francophones", "link": "http://127.0.0.1:'"$port"'/" }, "feeds": ['
  for i in $(seq 1 10); do
    sep=$([ "$i" -lt 10 ] && echo "," || echo "")
    echo '  { "id": "agence'"$i"'", "name": "Agence '"$i"'", "url": "http://127.0.0.1:9/agence'"$i"'.xml", "category": "cat'"$((i % 4))"'", "enabled": false }'"$sep"
  done
  echo '] }'
} > "$work/feeds.json"

aggregator() { (cd "$work" && exec dotnet bin/Aggregator.dll "$@"); }
aggregator seed --config feeds.json --data data --limit "$stories"

mkdir -p "$work/static"
(cd "$work" && exec dotnet bin/Aggregator.dll serve --config feeds.json --data data --urls "http://127.0.0.1:$port" --bench-static static >serve.log 2>&1) &
server=$!
base="http://127.0.0.1:$port"
for attempt in $(seq 1 150); do
  curl -fsS -o /dev/null "$base/feed.atom" 2>/dev/null && break
  if ! kill -0 "$server" 2>/dev/null || [ "$attempt" -eq 150 ]; then
    echo "error: the service did not start:" >&2; cat "$work/serve.log" >&2; exit 1
  fi
  sleep 0.2
done

# The static file holds exactly the bytes /feed.atom sends a reader that accepts gzip.
mkdir -p "$work/static"
etag=$(curl -fsS -H 'Accept-Encoding: gzip' -D - -o "$work/static/feed.atom.gz" "$base/feed.atom" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
echo "Seeded $stories stories; /feed.atom is $(stat -c %s "$work/static/feed.atom.gz") bytes gzipped, ETag $etag"
curl -fsS -o /dev/null "$base/bench-static/feed.atom.gz"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$base/feed.atom")" = 304 ] \
  || { echo "error: the ETag was not answered with 304" >&2; exit 1; }

# The service's CPU time (user + system, in clock ticks) so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)

run() {
  local name=$1; shift
  # A short warm-up so the JIT's tiers settle before measuring.
  wrk -t"$threads" -c"$connections" -d2s "$@" >/dev/null
  local before after out rps requests
  before=$(cpu_ticks)
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" "$@")
  after=$(cpu_ticks)
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  # CPU per request does not depend on what else the machine runs, unlike requests/s.
  printf '%-32s %8s req/s  %6.1f µs of service CPU per request\n' "$name" "$rps" \
    "$(awk -v t=$((after - before)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { print 1e6 * t / hz / r }')" >&2
  echo "$rps"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "wrk: $threads threads, $connections connections, ${duration} s per run" >&2
full=$(run "/feed.atom (gzip, 200)" -H 'Accept-Encoding: gzip' "$base/feed.atom")
notmodified=$(run "/feed.atom (If-None-Match, 304)" -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$base/feed.atom")
static=$(run "static file, same bytes" -H 'Accept-Encoding: gzip' "$base/bench-static/feed.atom.gz")

awk -v f="$full" -v n="$notmodified" -v s="$static" 'BEGIN {
  printf "feed / static: %.0f%%   304 / static: %.0f%%\n", 100 * f / s, 100 * n / s
}'
