#!/usr/bin/env bash
# Installs the Debian 12 packages cnmlab needs to build, test and run.
# Idempotent: does nothing (and needs no network) when they are all present.
# `--test` adds what only the tests use: Docker 20.10 and a static busybox,
# with which the docker-plugin tests run each plugin under a private dockerd.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev clang-format clang-tidy pkg-config
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  qt6-translations-l10n
  libboost-dev libboost-graph-dev libpcap-dev libnl-route-3-dev libnl-xfrm-3-dev libnftables-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  xvfb xauth tshark iproute2 fonts-noto-cjk
)
if [ "${1:-}" = "--test" ]; then
  PACKAGES+=(docker.io busybox-static util-linux)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
