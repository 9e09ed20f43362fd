#!/usr/bin/env bash
# Arrhenius study of the net exchange rate of a seeded Cu2Se front.
#
# What it measures: a 6 nm x 30 nm wire with a Cu2Se slab seeded at z = 12-18 nm
# ([initial] cu2se_slabs_nm, two planar {111} / (001) fronts) is held at one temperature T with a
# shell in equilibrium with the donor (supply_attempt_per_nm = 1.4e7, donor_cu = 1e6; everything
# else default, adaptive acceleration on), the case docs/model.md §6 derives (`cekmc validate
# --effective-rate`, "Cu-rich limit"). analysis/arrhenius.py then takes the slope of cu_cation vs time_s over the
# second half of each run, divides it by 2 fronts x cations per layer (rate per front site, s^-1),
# and fits ln(rate) vs 1/(k_B T) over all seeds: apparent activation energy and prefactor.
#
# Runs (sequential, one cekmc process at a time; 3 seeds each):
#   zb: 150, 200, 250, 300 C        wz: 400, 450, 500, 550 C
# Each hold is chosen so the front moves by several layers in <= ~90 s wall; a run is also capped
# at STOP_EVENTS / STOP_EVENTS_WZ events (the cap ends wz 500/550 C before the hold does, with a
# checkpoint and no summary.json; the analysis uses their timeseries). The front starts only once the
# shell is full and the slab's tetrahedral Cu, drained into the empty shell at t = 0, is refilled
# (zb: ~13 ms at 150 C ... ~0.5 ms at 300 C; wz: ~4 ms at 400 C ... ~0.4 ms at 500 C), hence the fit
# over the second half. wz is not fully stationary even there (its rates are lower bounds).
# Wall time (one core of a 2-core machine, release build): zb 150/200/250/300 C ~85/55/50/60 s per
# run, wz 400/450/500/550 C ~50/42/85/85 s per run: ~26 min for the 24 runs, plus ~1 s analysis.
#
# Usage: bash scripts/arrhenius-study.sh [BIN] [OUTDIR]
#   BIN     cekmc binary (default .build/release/cekmc)
#   OUTDIR  study folder (default out/arrhenius-study); per run OUTDIR/<phase>_T<C>_s<seed>.toml
#           (the scenario) and OUTDIR/<phase>_T<C>_s<seed>/ (its output)
# Environment: PHASES="zb wz" (which phases to run), SEEDS="1 2 3", STOP_EVENTS=25000000 (zb cap),
#              ONLY="zb 300|wz 400" (run only these phase/temperature lines; extended regex),
#              STOP_EVENTS_WZ=60000000 (wz cap),
#              ANALYSIS_ONLY=1 (skip the runs, only analyse OUTDIR).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/.build/release/cekmc}"
out="${2:-$here/out/arrhenius-study}"
phases="${PHASES:-zb wz}"
seeds="${SEEDS:-1 2 3}"
stop_events="${STOP_EVENTS:-25000000}"
stop_events_wz="${STOP_EVENTS_WZ:-60000000}"
mkdir -p "$out"

# phase  T_C  hold (simulated s)  event cap -- from pilot runs: zb ~1e4 events per net exchange
# (kick-off/kick-in flicker), ~7e6 events of shell filling first (the shell fills in ~0.5 ms at
# 300 C, ~1 ms at 250 C, and the front starts only then: holds are >= 3x that); wz 1.7e10 (450 C) - 3.6e10 (500 C)
# events per simulated second, mostly Cd_i hops and Cd escape/return flicker (neither is scaled)
runs_zb="zb 150 0.1 $stop_events
zb 200 0.012 $stop_events
zb 250 0.003 $stop_events
zb 300 0.0015 $stop_events"
runs_wz="wz 400 0.006 $stop_events_wz
wz 450 0.002 $stop_events_wz
wz 500 0.0015 $stop_events_wz
wz 550 0.001 $stop_events_wz"

write_scenario() {   # file phase T_C hold_s
  local dur_min
  dur_min=$(awk -v s="$4" 'BEGIN { printf "%.10g", s / 60 }')
  cat > "$1" <<EOF
# arrhenius-study: $2 wire, Cu2Se slab 12-18 nm, hold at $3 C for $4 s (seed via --seed)
kind = "scenario"
[wire]
phase = "$2"
diameter_nm = 6
length_nm = 30
[temperature]
start_C = $3
[[temperature.steps]]
type = "hold"
at_C = $3
duration_min = $dur_min
[reservoirs]
donor_cu = 1000000
[initial]
cu2se_slabs_nm = [12.0, 18.0]
[model]
supply_attempt_per_nm = 1.4e7
EOF
}

if [ "${ANALYSIS_ONLY:-0}" != 1 ]; then
  for ph in $phases; do
    if [ "$ph" = zb ]; then list="$runs_zb"; else list="$runs_wz"; fi
    while read -r p T hold cap; do
      [ -n "$p" ] || continue
      if [ -n "${ONLY:-}" ] && ! echo "$p $T" | grep -Eq "^(${ONLY})\$"; then continue; fi
      for s in $seeds; do
        name="${p}_T${T}_s${s}"
        write_scenario "$out/$name.toml" "$p" "$T" "$hold"
        t0=$(date +%s)
        rc=0
        "$bin" run "$out/$name.toml" --out "$out/$name" --seed "$s" --overwrite --quiet \
          --stop-after-events "$cap" > "$out/$name.log" 2>&1 || rc=$?
        t1=$(date +%s)
        echo "$name: exit $rc, wall $((t1 - t0)) s  ($(tail -n 1 "$out/$name.log"))"
        echo "$((t1 - t0))" > "$out/$name.wall"
      done
    done <<< "$list"
  done
fi

python3 "$here/analysis/arrhenius.py" "$out"
