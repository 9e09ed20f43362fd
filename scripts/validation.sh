#!/usr/bin/env bash
# The reproduction study of docs/validation.md (spec §7, §8; Casu et al., ACS Nano 2023): every
# experiment scenario over several seeds, the shell-vs-vacancy study, the paper's estimate, and the
# report (analysis/validation_report.py).
#
# Usage: bash scripts/validation.sh [--seeds 1-5] [--jobs 2] [--wall-min 20] [--out out/validation]
#                                   [--report docs/validation.md] [--figures docs/figures]
#                                   [--barriers FILE] [--report-only] [--dry-run]
#   --seeds     seeds of every scenario (cekmc run --seeds syntax: 1-5, 1,3,5, 1-3,7); default 1-5
#   --jobs      seeds run at a time within one scenario; default 2
#   --wall-min  wall-time budget in minutes of each `cekmc run --seeds` command (one per scenario,
#               7 in all — zb, wz, wz-ramp, reversibility, and 3 vacancy fractions —, 9 with --barriers); default 20
#   --out       study folder; default out/validation
#   --report    the Markdown report; default docs/validation.md
#   --figures   folder of the report's PNG figures; default docs/figures
#   --barriers  an MD barrier file (cekmc calibrate): the zb ramp and the wz 400 °C scenarios are also
#               run with it (OUT/zb-md, OUT/wz-md) and reported beside the defaults; default
#               inputs/barriers-md.toml (the full calibration profile) when that file exists, else
#               inputs/barriers-md-quick.toml (the quick profile, shipped)
#   --report-only  no build and no runs: only the estimate CSVs and the report from what OUT holds
#   --dry-run   print the commands, run nothing
#
# What it runs, from the repository root:
#   swift build -c release --product cekmc
#   cekmc run inputs/zb-ramp.toml       --out OUT/zb             (and wz-400C → OUT/wz, wz-ramp →
#                                                                 OUT/wz-ramp, reversibility →
#                                                                 OUT/reversibility)
#   cekmc run OUT/inputs/default-zb-ramp-vac_X.XX.toml --out OUT/shell-vacancy/vac_X.XX
#             (inputs/default-zb-ramp.toml with [defects] surface_vacancy_fraction = 0.00, 0.03, 0.05)
#   each with --seeds SEEDS --jobs JOBS --max-wall-min WALL, then
#   cekmc estimate --phase zb|wz --from-C 27 --to-C 477 --step-C 10 > OUT/estimate-zb|wz.csv
#   python3 analysis/validation_report.py … --out REPORT --figures FIGURES
#
# The full study is long: above ≈ 300 °C a run covers ≈ 0.01–0.06 simulated s per wall s (the
# inputs' headers, docs/performance.md), so one 20-min hold there costs ≈ 6–33 h of wall time per
# seed, and the whole zb and wz programs far more than one budget. Every `cekmc run --seeds` command stops
# at its --max-wall-min budget with a checkpoint per seed (exit status 0), and the run folders are
# kept: running this script again with the same --seeds and --out continues every seed from its
# checkpoint (a completed seed only gets its summary rewritten), and the report is rewritten from
# whatever the folders hold — each fact says how far the runs got ("not reached" and why). So: run it,
# read docs/validation.md, run it again to go further. One pass costs at most 7 × WALL minutes (9 with --barriers) of wall
# time plus the build. Keep the inputs unchanged between passes into the same OUT: a seed folder of
# another input is refused (adding seeds to --seeds is fine: the new ones start fresh).
set -euo pipefail
cd "$(dirname "$0")/.."

seeds="1-5"
jobs=2
wall_min=20
out="out/validation"
report_md="docs/validation.md"
figures="docs/figures"
dry_run=0
report_only=0
barriers=""
if [[ -f inputs/barriers-md.toml ]]; then barriers="inputs/barriers-md.toml"
elif [[ -f inputs/barriers-md-quick.toml ]]; then barriers="inputs/barriers-md-quick.toml"; fi

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --seeds) seeds="${2:?--seeds needs a value}"; shift 2 ;;
        --jobs) jobs="${2:?--jobs needs a value}"; shift 2 ;;
        --wall-min) wall_min="${2:?--wall-min needs a value}"; shift 2 ;;
        --out) out="${2:?--out needs a value}"; shift 2 ;;
        --report) report_md="${2:?--report needs a value}"; shift 2 ;;
        --figures) figures="${2:?--figures needs a value}"; shift 2 ;;
        --dry-run) dry_run=1; shift ;;
        --report-only) report_only=1; shift ;;
        --barriers) barriers="${2:?--barriers needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "validation.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

bin=".build/release/cekmc"
vacancies=(0.00 0.03 0.05)

# Print a command (shell-quoted), then run it unless --dry-run.
run() {
    printf '%q ' "$@" | sed 's/ $//'
    echo
    if [[ $dry_run -eq 0 ]]; then "$@"; fi
}

# run_to FILE CMD…: the same, with stdout into FILE (written whole, then renamed).
run_to() {
    local file="$1"; shift
    printf '%q ' "$@"
    printf '> %q\n' "$file"
    if [[ $dry_run -eq 0 ]]; then "$@" > "$file.tmp"; mv "$file.tmp" "$file"; fi
}

# vacancy_input FRACTION FILE: inputs/default-zb-ramp.toml with surface_vacancy_fraction = FRACTION.
vacancy_input() {
    local frac="$1" file="$2"
    printf 'sed %q inputs/default-zb-ramp.toml > %q\n' "s/^surface_vacancy_fraction = .*/surface_vacancy_fraction = $frac/" "$file"
    if [[ $dry_run -eq 0 ]]; then
        sed "s/^surface_vacancy_fraction = .*/surface_vacancy_fraction = $frac/" inputs/default-zb-ramp.toml > "$file.tmp"
        if ! grep -qx "surface_vacancy_fraction = $frac" "$file.tmp"; then
            echo "validation.sh: inputs/default-zb-ramp.toml has no 'surface_vacancy_fraction = …' line to set" >&2
            rm -f "$file.tmp"
            exit 1
        fi
        mv "$file.tmp" "$file"
    fi
}

# md_input SCENARIO FILE: SCENARIO with [model] barrier_file = the MD barrier file (relative to FILE).
md_input() {
    local scenario="$1" file="$2" rel
    rel="$(python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$barriers" "$(dirname "$file")")"
    printf '{ cat %q; printf %q; } > %q\n' "$scenario" "\n[model]\nbarrier_file = \"$rel\"\n" "$file"
    if [[ $dry_run -eq 0 ]]; then
        { cat "$scenario"; printf '\n[model]\nbarrier_file = "%s"\n' "$rel"; } > "$file.tmp"
        mv "$file.tmp" "$file"
    fi
}

seed_run() {   # seed_run INPUT OUTDIR
    run "$bin" run "$1" --out "$2" --seeds "$seeds" --jobs "$jobs" --max-wall-min "$wall_min"
}

if [[ $dry_run -eq 0 ]]; then mkdir -p "$out"; fi

if [[ $report_only -eq 0 ]]; then
    if [[ $dry_run -eq 0 ]]; then mkdir -p "$out/inputs" "$out/shell-vacancy"; fi
    run swift build -c release --product cekmc
    seed_run inputs/zb-ramp.toml "$out/zb"
    seed_run inputs/wz-400C.toml "$out/wz"
    seed_run inputs/wz-ramp.toml "$out/wz-ramp"
    seed_run inputs/reversibility.toml "$out/reversibility"
    for v in "${vacancies[@]}"; do
        vacancy_input "$v" "$out/inputs/default-zb-ramp-vac_$v.toml"
        seed_run "$out/inputs/default-zb-ramp-vac_$v.toml" "$out/shell-vacancy/vac_$v"
    done
    if [[ -n "$barriers" ]]; then
        md_input inputs/zb-ramp.toml "$out/inputs/zb-ramp-md.toml"
        seed_run "$out/inputs/zb-ramp-md.toml" "$out/zb-md"
        md_input inputs/wz-400C.toml "$out/inputs/wz-400C-md.toml"
        seed_run "$out/inputs/wz-400C-md.toml" "$out/wz-md"
    fi
fi

for phase in zb wz; do
    run_to "$out/estimate-$phase.csv" "$bin" estimate --phase "$phase" --from-C 27 --to-C 477 --step-C 10
done

report=(python3 analysis/validation_report.py --zb "$out/zb" --wz "$out/wz")
# Optional scenarios enter the report once a run of them exists (with --report-only they may not).
for pair in "wz-ramp:--wz-ramp" "reversibility:--reversibility"; do
    dir="$out/${pair%%:*}"
    if [[ $dry_run -eq 1 || -d "$dir" ]]; then report+=("${pair#*:}" "$dir"); fi
done
if [[ $dry_run -eq 1 || -d "$out/shell-vacancy/vac_0.00" ]]; then report+=(--shell-vacancy "$out/shell-vacancy"); fi
if [[ -n "$barriers" ]]; then
    report+=(--barriers "$barriers")
    if [[ $dry_run -eq 1 || -d "$out/zb-md" ]]; then report+=(--md-zb "$out/zb-md"); fi
    if [[ $dry_run -eq 1 || -d "$out/wz-md" ]]; then report+=(--md-wz "$out/wz-md"); fi
fi
report+=(--estimate-csv "$out/estimate-zb.csv" --estimate-csv "$out/estimate-wz.csv"
         --out "$report_md" --figures "$figures")
run "${report[@]}"
