#!/usr/bin/env bash
# Resident memory of the service with a million items stored (the goal: 200 MB).
#   tests/Aggregator.Benchmarks/memory-1m.sh [folder] [VAR=value ...]
# The folder (default ./memory-1m) keeps the store between runs: the first run seeds it with 1,005,001 items
# (`Aggregator seed --limit 670000`, a 1.6 GB file; about seven minutes here). Each run then starts the service (Release)
# on it, reads /feed.atom, /feed.rss, /feed.json and a search as soon as it answers (while it reads its index),
# lets a local feed bring 50 new items, reads /feed.atom, /feed.rss, /feed.json, /health, /metrics, /status, / and
# a search again, and prints the service's resident set right after, 10 s and 20 s later (quiet: see
# MemoryTrim in appsettings.json), and its peak. VAR=value arguments are
# passed to the service's environment, e.g. DOTNET_gcServer=0.
set -euo pipefail
cd "$(dirname "$0")/../.."
folder=$(realpath -m "${1:-memory-1m}")
[ $# -gt 0 ] && shift
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
feed_port=$(free_port)
mkdir -p "$folder/www"
server=""
feeds=""
cleanup() {
  for pid in $server $feeds; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "Building Release..."
dotnet build src/Aggregator/Aggregator.csproj -c Release -o "$folder/bin" --nologo -v quiet >"$folder/build.log" || { cat "$folder/build.log" >&2; exit 1; }

# Ten outlets the seed writes items for (their addresses answer nothing), and the local feed; nothing is purged.
{
  echo '{ "output": { "title": "Dépêches francophones", "link": "http://127.0.0.1:'"$port"'/" }, "retention": "5000d", "feeds": ['
  for i in $(seq 1 10); do
    echo '  { "id": "agence'"$i"'", "name": "Agence '"$i"'", "url": "http://127.0.0.1:9/agence'"$i"'.xml", "category": "cat'"$((i % 4))"'" },'
  done
  echo '  { "id": "local", "name": "Agence locale", "url": "http://127.0.0.1:'"$feed_port"'/local.xml", "interval": "1m" }'
  echo '] }'
} >"$folder/feeds.json"

aggregator() { (cd "$folder" && exec dotnet bin/Aggregator.dll "$@"); }
if [ ! -f "$folder/data/aggregator.db" ]; then
  echo "Seeding a million items into $folder/data..."
  aggregator seed --config feeds.json --data data --limit 670000
fi

# Fifty dispatches nobody has sent before: new ids, links and texts, so each opens its own story.
python3 - "$folder/www/local.xml" <<'EOF'
import html, random, sys, time
tag = str(time.time_ns())
rnd = random.Random(tag)
words = ("le la les un une des du de et à au aux en dans sur pour par avec sans entre contre vers après avant "
         "gouvernement ministre président pays accord coopération économie commerce sécurité santé école "
         "université agriculture énergie pétrole gaz électricité eau route port aéroport projet programme budget "
         "croissance inflation emploi jeunesse élection parlement loi réforme justice frontière région province "
         "ville capitale Alger Rabat Dakar Pékin Paris Abidjan Tunis Niamey Bamako Québec annonce déclare affirme "
         "souligne indique précise rappelle estime prévoit lance inaugure signe reçoit visite nouveau nouvelle "
         "grand grande national nationale international internationale public publique").split()
items = []
for n in range(50):
    text = " ".join(rnd.choice(words) for _ in range(450))
    title = " ".join(rnd.choice(words) for _ in range(8)).capitalize()
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(time.time() - n * 60))
    items.append(f"<item><guid>local-{tag}-{n}</guid><title>{html.escape(title)}</title>"
                 f"<link>http://127.0.0.1/d/{tag}-{n}.html</link><pubDate>{date}</pubDate>"
                 f"<description>{html.escape(f'<p>{text}.</p>')}</description></item>")
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Agence locale</title>'
              '<link>http://127.0.0.1/</link><description>Dépêches</description>' + "".join(items) + "</channel></rss>")
EOF
(cd "$folder/www" && exec python3 -m http.server "$feed_port" --bind 127.0.0.1 >"$folder/www.log" 2>&1) &
feeds=$!

echo "Starting the service on the store..."
(cd "$folder" && exec env "$@" dotnet bin/Aggregator.dll serve --config feeds.json --data data --urls "http://127.0.0.1:$port" >serve.log 2>&1) &
server=$!
# Readers poll a service as soon as it is back: the first requests come while it reads its million ids.
for attempt in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" != 000 ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.2
done
for path in feed.atom feed.rss feed.json "feed.atom?q=chine"; do
  curl -s -o /dev/null "http://127.0.0.1:$port/$path"
done
for attempt in $(seq 1 600); do
  grep -aq "Fetched local: new" "$folder/serve.log" && break
  if ! kill -0 "$server" 2>/dev/null || [ "$attempt" -eq 600 ]; then
    echo "error: the local feed was not fetched:" >&2; tail -20 "$folder/serve.log" >&2; exit 1
  fi
  sleep 1
done
grep -a "Fetched local: new" "$folder/serve.log" | tail -1
for path in feed.atom feed.rss feed.json health metrics status "" "feed.atom?q=chine"; do
  curl -s -o /dev/null "http://127.0.0.1:$port/$path"
done
# The service's pid: the subshell exec-ed env, which exec-ed dotnet.
rss() { grep -E "VmRSS" "/proc/$server/status" | awk '{print $2}'; }
echo "resident right after the requests: $(( $(rss) / 1024 )) MB"
sleep 10
echo "resident 10 s later: $(( $(rss) / 1024 )) MB"
# The service gives the collector's spare memory back once quiet (MemoryTrim:QuietSeconds, 5 s by default).
sleep 10
echo "resident 20 s later: $(( $(rss) / 1024 )) MB"
grep -E "VmHWM|VmRSS|RssAnon|RssFile|RssShmem" "/proc/$server/status"
curl -s "http://127.0.0.1:$port/metrics" | grep -E "^aggregator_memory" || true
