#!/usr/bin/env bash
# Setup, release build, and the main job on the embedded default scenario; outputs in out/default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product cekmc
.build/release/cekmc run --out out/default "$@"
