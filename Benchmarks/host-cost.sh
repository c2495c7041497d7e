#!/usr/bin/env bash
# The cost of telemetry to its host (issue 16, goal 5): `agent-telemetry demo` at ~10k events/s
# for 60 s with Prometheus scraping every second, OTLP every 5 s and StatsD on, then the same
# workload with --no-telemetry; prints CPU seconds, % of one core and RSS of both, and the
# difference. Needs `prometheus` on PATH and the OTLP receiver's Python packages
# (Tests/peers/requirements.txt).
#
# Usage: Benchmarks/host-cost.sh [--rate REQUESTS_PER_S] [--seconds N] [--no-build] [--out DIR]
#   --rate 1000 gives about 10,000 events/s (each simulated request emits 10-20 events).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/.."
RATE=1000
SECONDS_RUN=60
BUILD=1
OUT=Benchmarks/.build/host-cost
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE="$2"; shift ;;
    --seconds) SECONDS_RUN="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --out) OUT="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
# The root package's demo binary, built in the benchmarks package's .build (as compare.sh does).
if [ "$BUILD" = 1 ]; then (cd Benchmarks && swift build -c release -j 1 --product agent-telemetry >&2); fi
case "$OUT" in /*) ;; *) OUT="$(pwd)/$OUT" ;; esac
mkdir -p "$OUT"
{
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo ' (+ uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), rate $RATE requests/s for $SECONDS_RUN s"
  echo
  python3 Benchmarks/python/host_cost.py Benchmarks/.build/release/agent-telemetry "$OUT" --rate "$RATE" --seconds "$SECONDS_RUN"
} | tee "$OUT/result.md"
