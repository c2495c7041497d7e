#!/usr/bin/env bash
# Measures the per-replica figures that docs/SCALING.md multiplies out, on this machine, with
# everything on 127.0.0.1:
#   - three demo replicas scraped every 15 s by Prometheus A, which evaluates the shipped recording
#     rules and forwards with the shipped remote_write block (turned on as prometheus.yml says) to
#     Prometheus B (--web.enable-remote-write-receiver): samples per replica, rule series per
#     fleet, text exposition bytes, remote-write bytes per sample;
#   - Prometheus M scraping the same three replicas ten times each (30 targets, 15 s) with the
#     shipped rules, and an idle Prometheus M0 with the same rules: memory per head series;
#   - two replicas pushing OTLP every 10 s, gzip and uncompressed, to Tests/peers/otlp_receiver.py
#     (the official OTLP classes decode every request): bytes per data point;
#   - two replicas streaming StatsD (etsy, DogStatsD) to a UDP sink: bytes per line, lines per second.
# Every replica runs the demo workload at its default rate (50 requests/s).
#
# Usage: Benchmarks/scaling/measure-fleet.sh [path/to/agent-telemetry]
# Environment: SETTLE (default 600) seconds the replicas run before the figures are read (rare
# label combinations keep appearing for several minutes); BASE_PORT (default 19300), 15 ports up.
# Needs prometheus, promtool, curl and python3 with Tests/peers/requirements.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-$ROOT/.build/debug/agent-telemetry}"
SETTLE="${SETTLE:-600}"
P="${BASE_PORT:-19300}"
[ -x "$BIN" ] || { echo "no agent-telemetry at $BIN (swift build, or pass its path)" >&2; exit 2; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Prometheus A flushes its remote-write queue on shutdown; give everything a bounded while.
  for _ in $(seq 1 150); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
start() { local log="$1"; shift; "$@" >"$WORK/$log" 2>&1 & PIDS+=("$!"); }

value() {  # value PORT METRIC_LINE_PREFIX: the first sample of a metric in a /metrics page
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v m="$2" 'index($0, m) == 1 && !found { print $NF; found = 1 }'
}
query() {  # query PORT PROMQL: the first value of an instant query
  curl -sf "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2" |
    python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}

# --- configurations ---------------------------------------------------------------------------
R=($P $((P + 1)) $((P + 2)))
A=$((P + 3)) B=$((P + 4)) M=$((P + 5)) M0=$((P + 6))
OTLP_GZ=$((P + 7)) OTLP_NONE=$((P + 8)) RECV_GZ=$((P + 9)) RECV_NONE=$((P + 10))
SD_ETSY=$((P + 11)) SD_DOG=$((P + 12)) SINK_ETSY=$((P + 13)) SINK_DOG=$((P + 14))

targets() {  # targets COPIES: static_configs entries for the three replicas, COPIES times each
  for copy in $(seq 1 "$1"); do
    for i in 0 1 2; do
      printf "      - targets: ['127.0.0.1:%s']\n        labels: {service: support-agent, deployment_environment: measure, pod: replica-%s-%s}\n" \
        "${R[$i]}" "$i" "$copy"
    done
  done
}
remote_write() {  # the shipped block, uncommented as prometheus.yml says, written into B
  sed -n '/^# remote_write:$/,/^$/p' "$ROOT/configs/prometheus/prometheus.yml" | sed 's/^# //' |
    sed -E "s#^( +)url: .*#\1url: http://127.0.0.1:$B/api/v1/write#"
}
prometheus_config() {  # prometheus_config COPIES [remote_write]
  printf 'global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nrule_files:\n  - %s\nscrape_configs:\n' \
    "$ROOT/configs/prometheus/recording_rules.yml"
  if [ "$1" -gt 0 ]; then printf '  - job_name: agent\n    static_configs:\n'; targets "$1"; fi
  if [ "${2:-}" = remote_write ]; then remote_write; fi
}
mkdir -p "$WORK/a" "$WORK/b" "$WORK/m" "$WORK/m0"
prometheus_config 1 remote_write >"$WORK/a/prometheus.yml"
printf 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n' >"$WORK/b/prometheus.yml"
prometheus_config 10 >"$WORK/m/prometheus.yml"
prometheus_config 0 >"$WORK/m0/prometheus.yml"
for d in a b m m0; do promtool check config "$WORK/$d/prometheus.yml" >/dev/null; done

cat >"$WORK/otlp-gzip.yaml" <<EOF
service: {name: support-agent, instance_id: replica-otlp-gzip}
exporters:
  prometheus: {port: $OTLP_GZ}
  otlp: {enabled: true, endpoint: "http://127.0.0.1:$RECV_GZ", interval: 10s, compression: gzip}
EOF
cat >"$WORK/otlp-none.yaml" <<EOF
service: {name: support-agent, instance_id: replica-otlp-none}
exporters:
  prometheus: {port: $OTLP_NONE}
  otlp: {enabled: true, endpoint: "http://127.0.0.1:$RECV_NONE", interval: 10s, compression: none}
EOF
for flavor in etsy dogstatsd; do
  if [ "$flavor" = etsy ]; then port=$SD_ETSY sink=$SINK_ETSY; else port=$SD_DOG sink=$SINK_DOG; fi
  printf 'exporters:\n  prometheus: {port: %s}\n  statsd: {enabled: true, host: 127.0.0.1, port: %s, flavor: %s}\n' \
    "$port" "$sink" "$flavor" >"$WORK/statsd-$flavor.yaml"
done
cat >"$WORK/udp_sink.py" <<'EOF'
import json, socket, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
s.settimeout(1)
datagrams = lines = size = 0
start = last = time.time()
while True:
    try:
        d, _ = s.recvfrom(65536)
        datagrams, size, lines = datagrams + 1, size + len(d), lines + len(d.rstrip(b"\n").split(b"\n"))
    except socket.timeout:
        pass
    if time.time() - last >= 5:
        last = time.time()
        with open(out, "w") as f:
            json.dump({"seconds": last - start, "datagrams": datagrams, "lines": lines, "bytes": size}, f)
EOF

# --- run ---------------------------------------------------------------------------------------
start b.log prometheus --config.file="$WORK/b/prometheus.yml" --storage.tsdb.path="$WORK/b/data" \
  --web.listen-address=127.0.0.1:$B --web.enable-remote-write-receiver --log.level=warn
for i in 0 1 2; do start "r$i.log" "$BIN" demo --port "${R[$i]}" --seed $((i + 1)) --progress-interval 600; done
start recv-gz.log python3 "$ROOT/Tests/peers/otlp_receiver.py" "$WORK/otlp-gzip.jsonl" --port $RECV_GZ --compact
start recv-none.log python3 "$ROOT/Tests/peers/otlp_receiver.py" "$WORK/otlp-none.jsonl" --port $RECV_NONE --compact
start sink-etsy.log python3 "$WORK/udp_sink.py" $SINK_ETSY "$WORK/statsd-etsy.json"
start sink-dog.log python3 "$WORK/udp_sink.py" $SINK_DOG "$WORK/statsd-dogstatsd.json"
sleep 2  # the receivers bind before the pushing replicas start; their first export is 10 s later
for c in otlp-gzip otlp-none statsd-etsy statsd-dogstatsd; do
  start "$c.log" "$BIN" demo --config "$WORK/$c.yaml" --progress-interval 600
done
start a.log prometheus --config.file="$WORK/a/prometheus.yml" --storage.tsdb.path="$WORK/a/data" \
  --web.listen-address=127.0.0.1:$A --storage.remote.flush-deadline=10s --log.level=warn
start m.log prometheus --config.file="$WORK/m/prometheus.yml" --storage.tsdb.path="$WORK/m/data" \
  --web.listen-address=127.0.0.1:$M --log.level=warn
start m0.log prometheus --config.file="$WORK/m0/prometheus.yml" --storage.tsdb.path="$WORK/m0/data" \
  --web.listen-address=127.0.0.1:$M0 --log.level=warn
echo "measuring after ${SETTLE}s of running ($(date -u +%H:%M:%S) UTC)" >&2
sleep "$SETTLE"

# --- figures -----------------------------------------------------------------------------------
echo "## measure-fleet.sh: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(prometheus --version 2>&1 | head -1), settle ${SETTLE}s"
echo
page="$WORK/page.txt"
curl -sf "http://127.0.0.1:${R[0]}/metrics" -o "$page"
curl -sf -H 'Accept-Encoding: gzip' "http://127.0.0.1:${R[0]}/metrics" -o "$page.gz"
samples=$(grep -vc '^#' "$page")
echo "demo replica: $samples samples per scrape (scrape_samples_scraped on A: $(query $A 'max(scrape_samples_scraped{job="agent"})'))"
echo "text exposition: $(wc -c <"$page") bytes, $(wc -c <"$page.gz") gzip; per sample" \
  "$(python3 -c "print(round($(wc -c <"$page") / $samples, 1), round($(wc -c <"$page.gz") / $samples, 1))")"
echo "fleet rule series on A (3 replicas, one fleet): agent: $(query $A 'count({__name__=~"agent:.+"})')," \
  "instance: $(query $A 'count({__name__=~"instance:.+"})')"
b1=$(value $A 'prometheus_remote_storage_bytes_total{'); s1=$(value $A 'prometheus_remote_storage_samples_total{')
sleep 60
b2=$(value $A 'prometheus_remote_storage_bytes_total{'); s2=$(value $A 'prometheus_remote_storage_samples_total{')
echo "remote write A->B over 60 s: $(python3 -c "print(int($s2 - $s1), 'samples,', int($b2 - $b1), 'bytes,', round(($b2 - $b1) / ($s2 - $s1), 1), 'bytes per sample; total', int($s2), 'samples,', round($b2 / $s2, 1), 'bytes per sample')")"
echo "B holds $(value $B 'prometheus_tsdb_head_series ') head series; A $(value $A 'prometheus_tsdb_head_series ')"
mh=$(value $M 'go_memstats_heap_inuse_bytes '); mr=$(value $M 'process_resident_memory_bytes '); ms=$(value $M 'prometheus_tsdb_head_series ')
bh=$(value $M0 'go_memstats_heap_inuse_bytes '); br=$(value $M0 'process_resident_memory_bytes ')
echo "Prometheus M, 30 targets: $ms head series, heap in use $(python3 -c "print(round($mh / 2**20, 1))") MiB, RSS $(python3 -c "print(round($mr / 2**20, 1))") MiB;" \
  "idle M0: heap $(python3 -c "print(round($bh / 2**20, 1))") MiB, RSS $(python3 -c "print(round($br / 2**20, 1))") MiB;" \
  "per head series: heap $(python3 -c "print(round(($mh - $bh) / $ms))") B, RSS $(python3 -c "print(round(($mr - $br) / $ms))") B"
for c in gzip none; do
  port=$OTLP_GZ; [ $c = none ] && port=$OTLP_NONE
  python3 - "$WORK/otlp-$c.jsonl" "$c" "$(curl -sf "http://127.0.0.1:$port/metrics" | grep -vc '^#')" <<'EOF'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
last = records[-1]
ok = sum(1 for r in records if r["status"] == 200)
print(f"OTLP {sys.argv[2]}: {ok}/{len(records)} exports accepted; last {last['body_bytes']} bytes, {last['points']} data points,"
      f" {last['body_bytes'] / last['points']:.1f} bytes per point; the same replica exposes {sys.argv[3]} samples,"
      f" {last['body_bytes'] / int(sys.argv[3]):.1f} bytes per sample-equivalent")
EOF
done
for flavor in etsy dogstatsd; do
  python3 - "$WORK/statsd-$flavor.json" "$flavor" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"StatsD {sys.argv[2]}: {s['lines']} lines in {s['datagrams']} datagrams over {s['seconds']:.0f} s:"
      f" {s['bytes'] / s['lines']:.1f} bytes per line, {s['lines'] / s['seconds']:.0f} lines/s,"
      f" {s['bytes'] / s['seconds'] / 1024:.1f} KiB/s, {s['lines'] / s['datagrams']:.1f} lines per datagram")
EOF
done
