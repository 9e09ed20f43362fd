#!/usr/bin/env bash
# A/B timing of two cekmc binaries on a shared machine: runs them alternately ROUNDS times
# (default 6) with the same bench options and prints every rate and each binary's median.
# Usage: scripts/bench-ab.sh BIN_A BIN_B [ROUNDS] [-- extra `cekmc bench` options]
# Example: scripts/bench-ab.sh /tmp/cekmc-before .build/release/cekmc 6 -- --events 10000000
set -euo pipefail
a=$1; b=$2; shift 2
rounds=6
if [ $# -gt 0 ] && [ "$1" != "--" ]; then rounds=$1; shift; fi
[ "${1:-}" = "--" ] && shift
for ((i = 0; i < rounds; i++)); do
  for bin in "$a" "$b"; do
    rate=$("$bin" bench --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events_per_second"])')
    echo "$bin $rate"
  done
done | python3 -c '
import sys, statistics
rates = {}
for line in sys.stdin:
    name, r = line.split(); rates.setdefault(name, []).append(float(r))
    print(f"{name}: {float(r)/1e6:.2f} M events/s", flush=True)
for name, r in rates.items():
    print(f"median {name}: {statistics.median(r)/1e6:.2f} M events/s over {len(r)} runs")
'
