#!/usr/bin/env bash
# Installs what cekmc needs on a fresh machine: GSL (libgsl-dev) and the Python packages of analysis/.
# Debian/Ubuntu: apt-get (as root or through sudo). macOS: `brew install gsl` (done here when brew exists).
set -euo pipefail
if ! pkg-config --exists gsl 2>/dev/null; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    brew install gsl pkg-config
  else
    echo "setup: GSL not found and neither apt-get nor brew is available; install GSL ≥ 2.6 and pkg-config" >&2
    exit 1
  fi
fi
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -r analysis/requirements.txt
