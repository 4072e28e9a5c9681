#!/usr/bin/env bash
# Live mode speed (issue #5): 100 sandboxes on one bridge, set up and torn down,
# measured side by side in one run (root; medians of RUNS runs):
#   cnmlab   `cnmlab live up` + `live down` of `cnmlab generate --containers 100`
#   ip       the same shape built by iproute2, one `ip` process per operation
#   ip-batch the same commands through one `ip -batch`
#   mininet  `mn --switch lxbr --controller none --topo single,100 --test none`, if installed
# Usage: tests/bench/live_bench.sh [BUILD_DIR] [N]
set -euo pipefail
BUILD=${1:-build/dev}
N=${2:-100}
RUNS=${RUNS:-5}
CLI="$BUILD/app/cnmlab"
[ "$(id -u)" -eq 0 ] || { echo "live_bench needs root (network namespaces)"; exit 3; }
SCEN=$(mktemp --suffix=.yaml)
"$CLI" generate --hosts 1 --networks 1 --containers "$N" --seed 1 > "$SCEN"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ip_commands() {  # the topology as ip commands (prefix "cnmbench")
  echo "netns add cnmbench-host"
  echo "-n cnmbench-host link add br0 type bridge"
  echo "-n cnmbench-host addr add 10.0.0.1/16 dev br0"
  echo "-n cnmbench-host link set br0 up"
  for i in $(seq 1 "$N"); do
    echo "netns add cnmbench-c$i"
    echo "-n cnmbench-host link add veth$i type veth peer name eth0 netns cnmbench-c$i"
    echo "-n cnmbench-host link set veth$i master br0 up"
    echo "-n cnmbench-c$i addr add 10.0.$((i / 250)).$((i % 250 + 2))/16 dev eth0"
    echo "-n cnmbench-c$i link set eth0 up"
    echo "-n cnmbench-c$i link set lo up"
    echo "-n cnmbench-c$i route add default via 10.0.0.1"
  done
}
ip_teardown() {
  for i in $(seq 1 "$N"); do echo "netns del cnmbench-c$i"; done
  echo "netns del cnmbench-host"
}

run_cnmlab() { "$CLI" live up "$SCEN" > /dev/null && "$CLI" live down "$SCEN" > /dev/null; }
run_ip() { ip_commands | while read -r c; do ip $c; done; ip_teardown | while read -r c; do ip $c; done; }
# `ip -batch` takes no per-line -n: one batch for `netns add`, one inside the
# host namespace, one per sandbox, one for the deletions.
run_batch() {
  ip_commands | grep '^netns add' | ip -batch -
  ip_commands | sed -n 's/^-n cnmbench-host //p' | ip -n cnmbench-host -batch -
  for i in $(seq 1 "$N"); do
    ip_commands | sed -n "s/^-n cnmbench-c$i //p" | ip -n "cnmbench-c$i" -batch -
  done
  ip_teardown | ip -batch -
}
# Mininet puts its switch in the namespace it runs in: a private one (unshare
# --net), so the machine's own interfaces are never touched. Needs bridge-utils.
run_mininet() {
  unshare --net sh -c "ip link set lo up; mn --switch lxbr --controller none --topo single,$N --test none" \
    > /dev/null 2>&1
}

measure() {
  local name=$1 fn=$2
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local t0 t1
    # The kernel frees the previous run's namespaces later, in a work queue;
    # each run starts once that is over, so no tool pays for another's teardown.
    sleep "${SETTLE:-1}"
    t0=$(now); $fn; t1=$(now)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
  done
  printf '%-9s %6.3f s  (median of %d: %s)\n' "$name" "$(printf '%s\n' "${times[@]}" | median)" \
    "$RUNS" "$(printf '%.3f ' "${times[@]}")"
}

# Leftovers of an interrupted run of this script (its own names only).
for ns in $(ip netns list | awk '{print $1}' | grep '^cnmbench-' || true); do ip netns del "$ns"; done

echo "set-up plus tear-down of $N sandboxes on one bridge"
measure cnmlab run_cnmlab
measure ip run_ip
measure ip-batch run_batch
if command -v mn > /dev/null && command -v brctl > /dev/null; then measure mininet run_mininet; else echo "mininet   not installed (apt-get install mininet bridge-utils)"; fi
rm -f "$SCEN"
