#!/usr/bin/env bash
# Configures (once) and builds cnmlab with the dev preset into build/dev.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/dev/build.ninja ] || cmake --preset dev >/dev/null
cmake --build build/dev -j"${JOBS:-2}"
