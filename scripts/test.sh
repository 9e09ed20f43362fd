#!/usr/bin/env bash
# The whole test suite: setup, the analysis scripts' tests (pytest), then the Swift suite
# (release build with testing enabled, so statistical tests run at full speed). The Swift Testing
# summary is the last line printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m pytest -q analysis/tests
swift test -c release -Xswiftc -enable-testing "$@"
