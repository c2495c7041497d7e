#!/usr/bin/env bash
# Builds the benchmarks in release mode and runs ours and the peers in the same run:
#   - Swift (ordo-one/benchmark): AgentTelemetry vs swift-prometheus 2.4.1 and a plain AsyncStream
#     fan-out, in the same benchmark processes;
#   - Python: prometheus_client 0.26 and the OpenTelemetry Python SDK 1.45 OTLP encoder;
#   - memory: bytes per counter series and per histogram series (classic, native, swift-otel's
#     exponential; MemoryProbe, outside the harness) and the demo's peak RSS.
# Prints a markdown table of medians and ratios (peer time / our time; > 1 means we are faster).
#
# Usage: Benchmarks/compare.sh [--skip-python] [--skip-host-cost] [--filter REGEX] [--target REGEX] [--baseline COMMIT | --baseline-dir DIR]
# (ordo-one/benchmark matches both regular expressions against whole names: `--target 'Bus|Exposition'`,
# `--filter 'Exposition/counters_.*/ours'`.)
#
# --baseline COMMIT builds that commit's benchmarks in a git worktree (Benchmarks/.build/baseline-COMMIT)
# and runs its Swift benchmarks and this checkout's in the same run, alternating, then prints
# before/after ratios per case (--baseline-dir uses an existing checkout of the baseline instead).
# The load average is printed before and after each section; a section that started or ended above
# 1.0 is marked noisy.
# Last, unless --skip-host-cost: Benchmarks/host-cost.sh (the demo at ~10k events/s for 60 s with
# every exporter on, then with --no-telemetry: the CPU and RSS telemetry costs its host).
# Environment: COMPARE_OUT (default Benchmarks/.build/compare), DEMO_RATE (default 1000 requests/s
# = about 10k events/s), DEMO_SECONDS (default 20).
set -euo pipefail
cd "$(dirname "$0")"

SKIP_PYTHON=0
SKIP_HOST_COST=0
FILTER=()
BASELINE=""
BASELINE_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-python) SKIP_PYTHON=1 ;;
    --skip-host-cost) SKIP_HOST_COST=1 ;;
    --filter) FILTER+=(--filter "$2"); shift ;;
    --target) FILTER+=(--target "$2"); shift ;;
    --baseline) BASELINE="$2"; shift ;;
    --baseline-dir) BASELINE_DIR="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Load average (1 min) before and after a section; noisy when either is above 1.0.
load() { cut -d' ' -f1 /proc/loadavg; }
section() {
  local name="$1"; shift
  local before after status=0
  before=$(load)
  # A failing section is reported and the run goes on, so the sections after it (the host-cost
  # table among them) are still printed; the script exits non-zero at the end.
  "$@" || status=$?
  after=$(load)
  if [ "$status" != 0 ]; then
    echo "section $name FAILED (exit $status)" | tee -a "$OUT/failed.txt"
  fi
  local mark=""
  if awk -v a="$before" -v b="$after" 'BEGIN { exit !(a > 1.0 || b > 1.0) }'; then mark=" NOISY (load above 1.0)"; fi
  echo "load: $name: before $before, after $after$mark" | tee -a "$OUT/load.txt"
}

OUT="${COMPARE_OUT:-.build/compare}"
# Absolute from here on: sections run in other directories (python/, the baseline checkout).
case "$OUT" in /*) ;; *) OUT="$(pwd)/$OUT" ;; esac
rm -rf "$OUT"
mkdir -p "$OUT"
START=$(date +%s)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "commit: $COMMIT$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')" | tee "$OUT/commit.txt"

if [ -n "$BASELINE" ] || [ -n "$BASELINE_DIR" ]; then
  if [ -z "$BASELINE_DIR" ]; then
    BASELINE_DIR="$(pwd)/.build/baseline-$BASELINE"
    [ -d "$BASELINE_DIR" ] || git worktree add --detach "$BASELINE_DIR" "$BASELINE"
  fi
  BASE_COMMIT=$(git -C "$BASELINE_DIR" rev-parse --short HEAD)
  echo "== before/after: baseline $BASE_COMMIT ($BASELINE_DIR) vs current $COMMIT"
  (cd "$BASELINE_DIR/Benchmarks" && swift build -c release)
  swift build -c release
  run_bench() {  # DIR OUTPUT: one run of the Swift benchmarks of the package in DIR
    (cd "$1" && swift package --allow-writing-to-package-directory benchmark --format influx --path "$2" \
      --no-progress ${FILTER[@]+"${FILTER[@]}"})
  }
  for round in 1 2; do
    section "baseline round $round" run_bench "$BASELINE_DIR/Benchmarks" "$OUT/baseline-$round"
    section "current round $round" run_bench "$(pwd)" "$OUT/current-$round"
  done
  echo
  echo "== before/after (medians of the better of two rounds; ratio = baseline time / current time, < 0.95 means more than 5 % slower)"
  python3 python/baseline_report.py "$OUT" "$BASE_COMMIT" "$COMMIT" | tee "$OUT/before-after.md"
  cat "$OUT/load.txt"
  if [ -s "$OUT/failed.txt" ]; then cat "$OUT/failed.txt"; exit 1; fi
  exit 0
fi

echo "== machine" | tee "$OUT/machine.txt"
{
  echo "nproc: $(nproc)"
  lscpu | head -n 15
  free -h | head -n 2
  swift --version 2>&1 | head -n 1
  python3 --version
  uptime
} | tee -a "$OUT/machine.txt"

echo "== build (release)"
swift build -c release
# The demo binary of the root package, for its peak RSS.
swift build -c release --product agent-telemetry

echo "== Swift benchmarks (ours and swift-prometheus / AsyncStream in the same processes)"
section "swift benchmarks" swift package --allow-writing-to-package-directory benchmark \
  --format influx --path "$OUT" --no-progress ${FILTER[@]+"${FILTER[@]}"}

if [ "$SKIP_PYTHON" = 0 ]; then
  echo "== Python peers"
  if ! python3 -c 'import prometheus_client, opentelemetry.sdk, opentelemetry.exporter.otlp.proto.common' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check -r python/requirements.txt \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r python/requirements.txt
  fi
  section "python peers" bash -c "cd python && (python3 instruments.py && python3 exposition.py && python3 otlp_encode.py) | tee '$OUT/python.jsonl'"
fi

echo "== memory: bytes per counter series at 100k series (fresh process each)"
for impl in ours swift-prometheus; do .build/release/MemoryProbe "$impl" 100000; done | tee "$OUT/memory.txt" \
  || echo "section memory FAILED" | tee -a "$OUT/failed.txt"

echo "== memory: bytes per histogram series at 10k series, 200 latencies each (classic, native, swift-otel exponential)"
for impl in histogram-classic histogram-native histogram-swift-otel; do .build/release/MemoryProbe "$impl" 10000; done | tee -a "$OUT/memory.txt" \
  || echo "section histogram memory FAILED" | tee -a "$OUT/failed.txt"

echo "== memory: demo peak RSS (VmHWM) at ~10k events/s"
RATE="${DEMO_RATE:-1000}"
SECONDS_RUN="${DEMO_SECONDS:-20}"
.build/release/agent-telemetry demo --rate "$RATE" --duration "$SECONDS_RUN" --port 0 --progress-interval 5 > "$OUT/demo.log" 2>&1 &
PID=$!
HWM=0
URL=""
while kill -0 "$PID" 2>/dev/null; do
  v=$(awk '/VmHWM/{print $2}' "/proc/$PID/status" 2>/dev/null || true)
  if [ -n "$v" ]; then HWM=$v; fi
  if [ -z "$URL" ]; then URL=$(grep -o 'http://127.0.0.1:[0-9]*/metrics' "$OUT/demo.log" | head -n 1 || true); fi
  # Scrape like a Prometheus server would (more often than usual), so exposition is included.
  if [ -n "$URL" ]; then curl -s -o /dev/null "$URL" || true; fi
  sleep 1
done
wait "$PID" || true
EVENTS=$(grep -o '[0-9]* events/s' "$OUT/demo.log" | tail -n 1 || true)
echo "demo-rss: agent-telemetry demo --rate $RATE --duration $SECONDS_RUN: VmHWM ${HWM} kB ($((HWM / 1024)) MiB), last progress line ${EVENTS:-?}" | tee "$OUT/demo.txt"
cat "$OUT/demo.log"

if [ "$SKIP_HOST_COST" = 0 ]; then
  echo "== host cost: demo with every exporter vs --no-telemetry (Benchmarks/host-cost.sh)"
  section "host cost" ./host-cost.sh --no-build --out "$OUT/host-cost"
fi

echo
echo "== results (medians; ratio = peer time / our time, > 1 means ours is faster)"
python3 python/report.py "$OUT" | tee "$OUT/table.md"
cat "$OUT/load.txt"
echo
echo "total runtime: $(( $(date +%s) - START )) s; raw data in $OUT"
if [ -s "$OUT/failed.txt" ]; then cat "$OUT/failed.txt"; exit 1; fi
