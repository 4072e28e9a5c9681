#!/usr/bin/env bash
# Docker 20.10's macvlan and ipvlan drivers with a VLAN parent, under a real
# private dockerd (tests/conformance/recordings/docker-20.10-vlan-parent.md):
# in a private network and mount namespace (the machine's own interfaces,
# firewall and /run are never touched), eth0 a veth, then for each driver
#   - parent eth0.5000 and eth1.5000: Docker's checks, in its order (fact 3);
#   - parent eth0.50: on a kernel without 8021q, "failed to create eth0.50 vlan
#     link: operation not supported" and nothing left, no network, no link
#     (fact 2); on a kernel with it, eth0.50 created as a VLAN of eth0 with id
#     50 and removed by `docker network rm` (facts 1 and 5).
#
# Exit 77 (a skip) without root or dockerd, or when dockerd cannot start here.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (a private dockerd)"; exit 77; }
command -v dockerd >/dev/null || { echo "skip: no dockerd (apt-get install docker.io)"; exit 77; }
client=/usr/bin/docker
[ -x "$client" ] || client=$(command -v docker || true)
[ -n "$client" ] || { echo "skip: no docker client (apt-get install docker.io)"; exit 77; }

work=$(mktemp -d /tmp/cnmlab-docker-vlan.XXXXXX)
trap 'rm -rf "$work"' EXIT
export work client

unshare --net --mount --fork --propagation private bash -euo pipefail <<'INNER'
log() { echo "== $*"; }
cleanup() {
  set +e
  [ -f "$work/dockerd.pid" ] && kill "$(cat "$work/dockerd.pid")" 2>/dev/null
  for i in $(seq 50); do [ -e "/proc/$(cat "$work/dockerd.pid" 2>/dev/null)" ] || break; sleep 0.2; done
  umount -l "$work/root/vfs" 2>/dev/null
}
trap cleanup EXIT
ip link set lo up
ip link add eth0 type veth peer name eth0p
ip link set eth0 up
ip link set eth0p up
mount -t tmpfs tmpfs /run
D="$client -H unix://$work/docker.sock"

log "dockerd"
dockerd --storage-driver=vfs --data-root="$work/root" --exec-root=/run/docker \
  --host="unix://$work/docker.sock" --pidfile="$work/dockerd.pid" --iptables=false \
  --bridge=none >"$work/dockerd.log" 2>&1 &
for i in $(seq 150); do $D info >/dev/null 2>&1 && break; sleep 0.2; done
$D info >/dev/null 2>&1 || { tail -15 "$work/dockerd.log"; echo "skip: dockerd did not start in a private namespace on this machine"; exit 77; }
version=$($D version -f '{{.Server.Version}}')

# `network create` must fail with exactly this daemon error.
refused() {
  local driver=$1 parent=$2 want=$3 out
  if out=$($D network create -d "$driver" --subnet 10.50.0.0/24 --gateway 10.50.0.1 \
      -o parent="$parent" v50 2>&1); then
    echo "$driver parent=$parent: network create succeeded"; exit 1
  fi
  echo "$driver parent=$parent: $out"
  [ "$out" = "Error response from daemon: $want" ] || { echo "expected: $want"; exit 1; }
}
nothing_left() {
  if $D network ls --format '{{.Name}}' | grep -qx v50; then echo "network v50 left"; exit 1; fi
  if ip link show eth0.50 >/dev/null 2>&1; then echo "link eth0.50 left"; exit 1; fi
}

for driver in macvlan ipvlan; do
  does=""; [ "$driver" = macvlan ] && does="does "
  refused "$driver" eth0.5000 "vlan id must be between 1-4094, received: 5000"
  refused "$driver" eth1.5000 "-o parent interface ${does}was not found on the host: eth1"
  if ! ip link add link eth0 name eth0.9 type vlan id 9 2>/dev/null; then
    log "this kernel has no 802.1Q (8021q): $driver's create must fail, and leave nothing"
    refused "$driver" eth0.50 "failed to create eth0.50 vlan link: operation not supported"
    nothing_left
  else
    ip link del eth0.9
    log "this kernel has 802.1Q: $driver creates eth0.50 and removes it with the network"
    $D network create -d "$driver" --subnet 10.50.0.0/24 -o parent=eth0.50 v50 >/dev/null
    ip -d link show eth0.50 | grep -q "vlan protocol 802.1Q id 50" ||
      { ip -d link show eth0.50; echo "eth0.50 is not VLAN 50 of eth0"; exit 1; }
    $D network rm v50 >/dev/null
    nothing_left
  fi
done
log "PASS: Docker $version, macvlan and ipvlan with a VLAN parent"
INNER
