#!/usr/bin/env bash
# The acceleration study of docs/acceleration.md: unaccelerated and adaptive runs (3 seeds each) of a
# 6 × 30 nm wire in the fast-regime parameter set, for a zb hold at 125 °C (windows [25, 50],
# [50, 100], [100, 200]), a wz hold at 175 °C and a zb ramp 100 → 150 °C; prints the table.
# Usage: scripts/acceleration-study.sh [WORKDIR]   (release build; ≈ 6 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product cekmc >/dev/null
bin="$PWD/.build/release/cekmc"
work="${1:-out/acceleration-study}"
mkdir -p "$work"
cd "$work"
# name phase startC step-type extra duration_min output_min mode smin smax seed
make_input() {
  cat > "$1.toml" <<EOF
kind = "scenario"
seed = ${11}
[wire]
phase = "$2"
diameter_nm = 6.0
length_nm = 30.0
[temperature]
start_C = $3
[[temperature.steps]]
type = "$4"
$5
duration_min = $6
[reservoirs]
donor_cu = 6000
[defects]
surface_vacancy_fraction = 0.03
[model]
cu_tetra_eV = -0.25
cu_octa_eV = -0.25
cd_tetra_eV = 0.0
cd_octa_eV = 0.0
cu_cation_eV = -0.2
interface_J_eV = 0.0
cu2se_pair_U_eV = -0.05
escaped_cd_eV = -1.0
adsorption_eV = 0.1
supply_attempt_per_nm = 1e15
[acceleration]
mode = "$8"
min_separation = $9
max_separation = ${10}
[output]
interval_min = $7
checkpoint_every = 0
maps_every = 0
EOF
}
jobs=()
for seed in 1 2 3; do
  make_input "zb-hold_off_s$seed" zb 125.0 hold "" 4.1667e-10 8.3334e-11 off 50 100 $seed; jobs+=("zb-hold_off_s$seed")
  for w in "25 50" "50 100" "100 200"; do
    set -- $w
    make_input "zb-hold_adaptive-$1-$2_s$seed" zb 125.0 hold "" 4.1667e-10 8.3334e-11 adaptive $1 $2 $seed; jobs+=("zb-hold_adaptive-$1-$2_s$seed")
  done
  for m in off adaptive; do
    make_input "wz-hold_${m}_s$seed" wz 175.0 hold "" 2e-8 4e-9 $m 50 100 $seed; jobs+=("wz-hold_${m}_s$seed")
    make_input "zb-ramp_${m}_s$seed" zb 100.0 ramp "to_C = 150.0" 4.1667e-10 8.3334e-11 $m 50 100 $seed; jobs+=("zb-ramp_${m}_s$seed")
  done
done
printf '%s\n' "${jobs[@]}" | xargs -P 2 -I{} sh -c "/usr/bin/time -f %e -o {}.wall '$bin' run {}.toml --out {} --overwrite --quiet >/dev/null"
python3 - <<'EOF'
import csv, glob, json, statistics as st
def ms(xs): return f"{st.mean(xs):.4g} ± {st.stdev(xs) / len(xs) ** 0.5:.2g}"
groups = {}
for t in sorted(glob.glob('*.toml')):
    name = t[:-5]
    groups.setdefault(name.rsplit('_s', 1)[0], []).append(name)
print("| run | X at t/2 | X at t | Cu_i | Cd_i | shell Cu | escaped Cd | events | wall s |")
print("|---|---|---|---|---|---|---|---|---|")
for g, names in groups.items():
    ts = [list(csv.DictReader(open(n + '/timeseries.csv'))) for n in names]
    col = lambda k, i=-1: [float(r[i if i >= 0 else len(r) - 1][k]) for r in ts]
    ev = [json.load(open(n + '/summary.json'))['total_events'] for n in names]
    wall = [float(open(n + '.wall').read().split()[-1]) for n in names]
    half = [float(r[len(r) // 2]['exchanged_fraction']) for r in ts]
    print(f"| {g} | {ms(half)} | {ms(col('exchanged_fraction'))} | {ms(col('n_cu_interstitial'))} | {ms(col('n_cd_interstitial'))} "
          f"| {ms(col('shell_cu'))} | {ms(col('escaped_cd'))} | {st.mean(ev):.3g} | {st.mean(wall):.3g} |")
EOF
