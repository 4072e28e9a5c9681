#!/usr/bin/env bash
# A cnmlab plugin under a real Docker 20.10 daemon: in a private network and
# mount namespace (the machine's own interfaces, firewall and /run are never
# touched), start the plugin with --live on /run/docker/plugins/NAME.sock,
# where dockerd looks, and a private dockerd; then `docker network create -d
# NAME`, two `docker run --network` of a busybox image, and a ping from one
# container to the other. Checks what the plugin built in the kernel.
#
#   docker_plugin_test.sh PLUGIN_BINARY NAME 'PLUGIN ARGS' 'NETWORK CREATE ARGS' IFNAME [vlan]
#
# With `vlan` the network tags its frames on the uplink (802.1Q): on a kernel
# without 8021q, `docker network create` must fail with the plugin's
# CONFIG_VLAN_8021Q error and leave nothing behind (the pass is then that).
#
# Exit 77 (a skip) without root, dockerd or busybox, or when dockerd cannot
# start here.
set -euo pipefail
plugin=$1 name=$2 pluginArgs=$3 netArgs=$4 ifname=$5 needs=${6:-}

[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (a private dockerd)"; exit 77; }
command -v dockerd >/dev/null || { echo "skip: no dockerd (apt-get install docker.io)"; exit 77; }
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q static ||
  busybox=/bin/busybox
[ -x "$busybox" ] || { echo "skip: no static busybox (apt-get install busybox-static)"; exit 77; }

work=$(mktemp -d /tmp/cnmlab-docker-plugin.XXXXXX)
trap 'rm -rf "$work"' EXIT
export plugin name pluginArgs netArgs ifname busybox work needs

unshare --net --mount --fork --propagation private bash -euo pipefail <<'INNER'
log() { echo "== $*"; }
cleanup() {
  set +e
  docker -H "unix://$work/docker.sock" rm -f c1 c2 >/dev/null 2>&1
  docker -H "unix://$work/docker.sock" network rm pnet >/dev/null 2>&1
  [ -f "$work/dockerd.pid" ] && kill "$(cat "$work/dockerd.pid")" 2>/dev/null
  for i in $(seq 50); do [ -e "/proc/$(cat "$work/dockerd.pid" 2>/dev/null)" ] || break; sleep 0.2; done
  [ -n "${ppid:-}" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
  umount -l "$work/root/vfs" 2>/dev/null
}
trap cleanup EXIT
ip link set lo up
# An uplink, as a host has one: a veth with an address and the default route
# (Calico's proxy ARP answers for addresses the host routes elsewhere).
ip link add uplink type veth peer name uplink-peer
ip addr add 192.0.2.1/24 dev uplink
ip link set uplink up
ip link set uplink-peer up
ip route add default via 192.0.2.254 dev uplink
# A private /run: dockerd's exec root, its containerd, and the plugin socket.
mount -t tmpfs tmpfs /run
mkdir -p /run/docker/plugins
D="docker -H unix://$work/docker.sock"

log "plugin: $plugin $pluginArgs --live"
# shellcheck disable=SC2086
"$plugin" --socket "/run/docker/plugins/$name.sock" --live --log $pluginArgs >"$work/plugin.log" 2>&1 &
ppid=$!
for i in $(seq 50); do [ -S "/run/docker/plugins/$name.sock" ] && break; sleep 0.1; done
[ -S "/run/docker/plugins/$name.sock" ] || { cat "$work/plugin.log"; echo "plugin did not listen"; exit 1; }

log "dockerd"
dockerd --storage-driver=vfs --data-root="$work/root" --exec-root=/run/docker \
  --host="unix://$work/docker.sock" --pidfile="$work/dockerd.pid" --dns 127.0.0.1 \
  >"$work/dockerd.log" 2>&1 &
for i in $(seq 150); do $D info >/dev/null 2>&1 && break; sleep 0.2; done
# A daemon that cannot start here (no cgroups, no containerd) is the
# machine's limit, not the plugin's: a skip, with dockerd's own words.
$D info >/dev/null 2>&1 || { tail -15 "$work/dockerd.log"; echo "skip: dockerd did not start in a private namespace on this machine"; exit 77; }

log "busybox image"
mkdir -p "$work/rootfs/bin"
cp "$busybox" "$work/rootfs/bin/busybox"
for t in sh ping ip sleep cat; do ln -s busybox "$work/rootfs/bin/$t"; done
tar -C "$work/rootfs" -c . | $D import - cnmlab-busybox >/dev/null

log "docker network create -d $name $netArgs pnet"
if [ "$needs" = vlan ] && ! ip link add link uplink name uplink.9 type vlan id 9 2>/dev/null; then
  log "this kernel has no 802.1Q (8021q): the create must fail, and leave nothing"
  # shellcheck disable=SC2086
  if out=$($D network create -d "$name" $netArgs pnet 2>&1); then
    echo "$out"; echo "network create succeeded without 8021q"; exit 1
  fi
  echo "$out"
  echo "$out" | grep -q "CONFIG_VLAN_8021Q" || { echo "not the 8021q error"; exit 1; }
  ip -br link show
  if ip -br link show | grep -q "^contiv"; then echo "a bridge was left behind"; exit 1; fi
  log "PASS: Docker $($D version -f '{{.Server.Version}}') reports the plugin's refusal: $out"
  exit 0
fi
ip link del uplink.9 2>/dev/null || true
# shellcheck disable=SC2086
$D network create -d "$name" $netArgs pnet
for c in c1 c2; do
  $D run -d --name "$c" --network pnet cnmlab-busybox sleep 600 >/dev/null
done
ip2=$($D inspect -f '{{(index .NetworkSettings.Networks "pnet").IPAddress}}' c2)
log "c2 is at $ip2 on pnet; c1's interfaces:"
$D exec c1 ip -o -4 addr show
$D exec c1 ip -o link show "${ifname}0" >/dev/null ||
  { echo "c1 has no interface ${ifname}0"; exit 1; }
log "docker exec c1 ping -c 2 $ip2"
$D exec c1 ping -c 2 -W 2 "$ip2"
log "what the plugin built, in dockerd's namespace"
ip -br link show
$D rm -f c1 c2 >/dev/null
$D network rm pnet >/dev/null
log "the exchanges dockerd had with the plugin"
cat "$work/plugin.log"
log "PASS: containers on a $name network ping each other under Docker $($D version -f '{{.Server.Version}}')"
INNER
