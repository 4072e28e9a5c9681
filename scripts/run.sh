#!/usr/bin/env bash
# The main job: install what is missing, build, and open the studio on the
# default scenario. Without a display, print what the CLI sees instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
SCENARIO="${1:-scenarios/tour.yaml}"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/dev/app/cnmlab-studio "$SCENARIO"
fi
echo "No display: showing the scenario with the command line instead."
echo
build/dev/app/cnmlab inspect "$SCENARIO"
for cmd in reach check; do
  if build/dev/app/cnmlab "$cmd" --help >/dev/null 2>&1; then
    echo
    build/dev/app/cnmlab "$cmd" "$SCENARIO" || true
  fi
done
