#!/usr/bin/env python3
"""Records what a swarm of real Docker 20.10 daemons builds for overlay networks.

Run through record_swarm.sh (as root). For every scenario with an overlay
network (tests/conformance/scenarios/*.yaml that have one, or the files given)
it starts one private dockerd per x-host, each in its own network namespace on
one LAN, forms a swarm as SPEC §1a says (the first host inits with
--advertise-addr its underlay address, the others join as workers in file
order), creates the scenario's networks and plain containers, records what
record.py records (IPAM, routes, reachability, DNS) for every node, container
and LAN machine plus the overlay facts (VXLAN IDs, MTUs, ingress,
docker_gwbridge and its rules, the overlay namespaces with their devices, FDB
and neighbour entries, load-balancer endpoints, xfrm state), removes
everything and writes tests/conformance/recorded_swarm/<scenario>.json. See
README.md beside this file ("The swarm recorder").

Swarm services (SPEC §1a: `deploy:`, as `docker stack deploy` makes them) are
made with `docker service create` on the manager; each task is recorded like a
container, named KEY.SLOT (KEY.HOST for a global service), with the service's
VIPs, published ports and task facts. Such files go to recorded_services/
(the C++ test reads recorded_swarm/ only). See docs/services.md.

Isolation: every namespace this recorder makes is named `cnmlab-sw-*`: the LAN
(`cnmlab-sw-lan`, a bridge `lan` and nothing else), one per Docker host
(`cnmlab-sw-<host>`, whose only interface is `eth0` with the host's underlay
address, no default route) and one per LAN machine (`cnmlab-sw-x-<name>`).
Each dockerd runs in its host's namespace, in a private mount namespace (a
tmpfs over /run, the cgroup hierarchies mounted again) and a private UTS
namespace (hostname = the host's name), with its own data root, exec root,
socket and pid file under the work directory. No traffic leaves the
namespaces: nothing routes out of the LAN, and the daemons' only upstream DNS
server is 127.0.0.1 inside each container, where nothing listens.
"""

import argparse
import datetime
import ipaddress
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import record  # noqa: E402  (the single-host recorder: daemon, image, scenario, probes)
from record import (BUSYBOX, DOCKER, DOCKERD, IMAGE, Recorder,  # noqa: E402
                    Scenario, parse_nslookup, parse_probe_output, probe_script,
                    set_reach_result)

try:
    import yaml  # Debian: python3-yaml
except ImportError:  # pragma: no cover
    sys.exit("record_swarm: needs PyYAML (apt-get install python3-yaml)")

HERE = Path(__file__).resolve().parent
PREFIX = "cnmlab-sw-"
LAN_NS = PREFIX + "lan"
LAN_BRIDGE = "lan"
DEFAULT_HOSTS = {"host1": "192.168.100.11/24"}  # SPEC §1: no x-hosts means host1 only
GWBRIDGE = "docker_gwbridge"
INGRESS = "ingress"


def sh(*args, check=True, timeout=60):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {r.stderr.strip()}")
    return r


def in_ns(ns, *args, check=True):
    return sh("nsenter", f"--net=/run/netns/{ns}", *args, check=check)


def our_namespaces():
    out = sh("ip", "netns", "list", check=False).stdout
    return [line.split()[0] for line in out.splitlines()
            if line.split() and line.split()[0].startswith(PREFIX)]


class Node(Recorder):
    """One Docker host of the swarm: record.Recorder in the namespace cnmlab-sw-NAME,
    with its own UTS namespace so that the daemon's hostname is the host's name."""

    def __init__(self, name: str, cidr: str, index: int, workdir: Path, log):
        super().__init__(workdir / name, log, netns=PREFIX + name)
        self.name = name
        self.cidr = cidr
        self.addr = cidr.split("/")[0]
        self.port = f"sw{index}"  # its eth0's peer on the LAN bridge
        self.log_mark = 0

    def setup_netns(self):
        attach_to_lan(self.netns, self.port, self.cidr)

    def daemon_script(self) -> str:
        # dockerd reads the hostname for its swarm node name; SPEC names nodes by host.
        # --debug: libnetwork's overlay steps in dockerd.log (kept with --keep-logs)
        return "\n".join([f"echo {self.name} > /proc/sys/kernel/hostname",
                          "export DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1",
                          super().daemon_script() + " --debug"])

    def daemon_argv(self) -> list:
        return ["ip", "netns", "exec", self.netns, "unshare", "--uts", "sh", "-c",
                self.daemon_script()]

    def dockerd_pid(self) -> int:
        pid = int((self.dir / "dockerd.pid").read_text().strip())
        if not self.ours(pid, str(self.dir)):  # never enter another process's namespaces
            raise RuntimeError(f"{self.name}: pid {pid} is not this recorder's dockerd")
        return pid

    def in_daemon(self, *args, netns_path=None, check=False):
        """Runs a command in the daemon's mount namespace (where the sandboxes'
        namespace files are), in the host's or in NETNS_PATH's network namespace."""
        cmd = ["nsenter", "-t", str(self.dockerd_pid()), "-m", "-n"]
        if netns_path:
            cmd += ["nsenter", f"--net={netns_path}"]
        return self.run(*cmd, *args, check=check)

    def daemon_log(self):
        """The daemon's log lines since the last call."""
        f = self.dir / "dockerd.log"
        data = f.read_text(errors="replace") if f.exists() else ""
        new = data[self.log_mark:]
        self.log_mark = len(data)
        return new.splitlines()


def attach_to_lan(ns, port, cidr):
    """Makes namespace NS with eth0 = CIDR, the other end PORT on the LAN bridge."""
    sh("ip", "netns", "add", ns)
    in_ns(ns, "ip", "link", "set", "lo", "up")
    in_ns(ns, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", port)
    in_ns(ns, "ip", "link", "set", port, "netns", LAN_NS)
    in_ns(LAN_NS, "ip", "link", "set", port, "master", LAN_BRIDGE)
    in_ns(LAN_NS, "ip", "link", "set", port, "up")
    in_ns(ns, "ip", "addr", "add", cidr, "dev", "eth0")
    in_ns(ns, "ip", "link", "set", "eth0", "up")


def setup_lan():
    sh("ip", "netns", "add", LAN_NS)
    in_ns(LAN_NS, "ip", "link", "set", "lo", "up")
    in_ns(LAN_NS, "ip", "link", "add", LAN_BRIDGE, "type", "bridge")
    in_ns(LAN_NS, "ip", "link", "set", LAN_BRIDGE, "up")


def teardown_all(workdir: Path, log, keep=()):
    """Removes whatever this recorder left, from this run or a crashed one: the
    daemons by their pid files, processes in our namespaces and cgroups by their
    ids, our namespaces by name, the work directory (but the files named in
    KEEP). Idempotent."""
    nodes = set()
    if workdir.is_dir():
        nodes |= {p.name for p in workdir.iterdir() if (p / "data").is_dir() or
                  (p / "dockerd.pid").exists()}
    nodes |= {ns[len(PREFIX):] for ns in our_namespaces()
              if ns != LAN_NS and not ns.startswith(PREFIX + "x-")}
    nodes |= {cg.name[len(PREFIX):] for cg in Path("/sys/fs/cgroup").glob(f"*/{PREFIX}*")
              if not cg.name.startswith(PREFIX + "x-") and cg.name != LAN_NS}
    for i, name in enumerate(sorted(nodes)):
        Node(name, "0.0.0.0/0", i, workdir, log).teardown()
    for ns in our_namespaces():  # the LAN and the LAN machines: short-lived shells only
        for p in sh("ip", "netns", "pids", ns, check=False).stdout.split():
            Recorder.stop_pid(int(p), wait=5)
        sh("ip", "netns", "del", ns)
    if any(str(workdir) in line for line in Path("/proc/self/mounts").read_text().splitlines()):
        raise RuntimeError(f"something is mounted under {workdir}; not removing it")
    if not keep:
        sh("rm", "-rf", "--one-file-system", str(workdir))
    elif workdir.is_dir():
        for p in workdir.iterdir():
            if p.name not in keep:
                sh("rm", "-rf", "--one-file-system", str(p))


class Swarm:
    """The LAN, the Docker hosts (first = manager) and the LAN machines."""

    def __init__(self, hosts: dict, externals: dict, workdir: Path, log):
        self.workdir = workdir
        self.log = log
        self.nodes = [Node(n, c, i, workdir, log) for i, (n, c) in enumerate(hosts.items())]
        self.by_name = {n.name: n for n in self.nodes}
        self.externals = dict(externals)  # name -> cidr (LAN machines)
        self.manager = self.nodes[0]

    def ext_ns(self, name):
        return f"{PREFIX}x-{name}"

    def up(self, image_tar: Path):
        """LAN, namespaces, daemons, image, swarm. Returns seconds per phase."""
        t = {}
        t0 = time.time()
        setup_lan()
        for n in self.nodes:
            n.dir.mkdir(parents=True, exist_ok=True)
            n.setup_netns()
        for i, (name, cidr) in enumerate(self.externals.items()):
            attach_to_lan(self.ext_ns(name), f"swx{i}", cidr)
        t["namespaces"] = time.time() - t0
        t1 = time.time()
        for n in self.nodes:
            n.start_daemon()
        t["daemons"] = time.time() - t1
        t1 = time.time()
        for n in self.nodes:
            if not image_tar.exists():
                n.import_image()
                n.run(DOCKER, "save", "-o", str(image_tar), IMAGE)
            else:
                n.docker("load", "-q", "-i", str(image_tar))
        t["image"] = time.time() - t1
        for n in self.nodes:
            n.daemon_log()  # the daemon's start-up: not part of the scenario's events
        t1 = time.time()
        m = self.manager
        m.docker("swarm", "init", "--advertise-addr", m.addr)
        token = m.docker("swarm", "join-token", "-q", "worker").stdout.strip()
        for n in self.nodes[1:]:
            n.docker("swarm", "join", "--token", token, "--advertise-addr", n.addr,
                     f"{m.addr}:2377")
        self.wait_ready()
        t["swarm"] = time.time() - t1
        t1 = time.time()
        self.wait_ingress()
        t["ingress"] = time.time() - t1
        return t

    def wait_ingress(self, timeout=60):
        """Each node sets up its ingress sandbox (and with it docker_gwbridge)
        some time after it joined. A bridge network created before that takes
        docker_gwbridge's pool (172.18.0.0/16), so the recorder waits, as a
        user who creates networks after `swarm init` would in practice."""
        end = time.time() + timeout
        for n in self.nodes:
            while True:
                r = n.docker("network", "inspect", GWBRIDGE, "--format", "{{json .Containers}}",
                             check=False)
                if r.returncode == 0 and "ingress-sbox" in r.stdout:
                    break
                if time.time() > end:
                    raise RuntimeError(f"{n.name}: no ingress sandbox after {timeout}s")
                time.sleep(0.2)

    def wait_ready(self, timeout=60):
        end = time.time() + timeout
        want = {n.name for n in self.nodes}
        while time.time() < end:
            out = self.manager.docker("node", "ls", "--format", "{{.Hostname}} {{.Status}}",
                                      check=False).stdout
            ready = {line.split()[0] for line in out.splitlines() if line.endswith(" Ready")}
            if ready >= want:
                return
            time.sleep(0.5)
        raise RuntimeError(f"swarm nodes not ready after {timeout}s: {out.strip()}")

    def down(self, keep=()):
        for n in self.nodes:
            n.stop_daemon()
        teardown_all(self.workdir, self.log, keep)


# ---- the scenario: record.Scenario plus hosts, placement and LAN machines ----

class SwarmScenario(Scenario):
    def __init__(self, path: Path):
        doc = yaml.safe_load(path.read_text())
        hosts = doc.get("x-hosts") or {}
        self.hosts = {k: v["underlay"] for k, v in hosts.items()} or dict(DEFAULT_HOSTS)
        self.first_host = next(iter(self.hosts))
        self.externals = {}
        for k, v in (doc.get("x-externals") or {}).items():
            if "underlay" not in (v or {}):
                raise RuntimeError(f"x-externals.{k}: only LAN machines (underlay:) are recorded")
            self.externals[k] = v["underlay"]
        super().__init__(path)
        # deploy: services are swarm services (SPEC §1a), made with `docker service
        # create` on the manager; their tasks join self.services once they run.
        self.deployed = {k: s for k, s in self.services.items() if s.get("deploy")}
        self.services = {k: s for k, s in self.services.items() if not s.get("deploy")}
        if self.implicit_default and any(n["key"] == "default" for s in self.deployed.values()
                                         for n in s["nets"]):
            self.networks["default"] = {"driver": "overlay"}  # docker stack deploy's default
        if self.steps:
            raise RuntimeError("x-conformance.steps are not supported by the swarm recorder")
        for k, s in self.services.items():  # a shared namespace runs where its owner runs
            owner = k
            while self.services[owner]["mode"].startswith("service:"):
                owner = self.services[owner]["mode"].split(":", 1)[1]
            s["host"] = self.services[owner]["host"]

    def read_service(self, key, v):
        s = super().read_service(key, v)
        s["host"] = v.get("x-host") or self.first_host
        if v.get("deploy") is not None:
            d = v.get("deploy") or {}
            pub = []
            for e in v.get("ports") or []:
                mode = e.get("mode", "ingress") if isinstance(e, dict) else "ingress"
                for _, pf, _, t, proto in record.parse_ports([e]):
                    pub.append({"published": pf, "target": t, "protocol": proto, "mode": mode})
            s["deploy"] = {
                "mode": d.get("mode", "replicated"),
                "replicas": d.get("replicas", 1) if d.get("mode", "replicated") == "replicated"
                else None,
                "endpoint_mode": d.get("endpoint_mode", "vip"),
                "constraints": list((d.get("placement") or {}).get("constraints") or []),
                "ports": pub}
            s["ports"] = []  # published by the swarm, not by -p
            s["name"] = f"{self.project}_{key}"
        return s

    def has_deploy(self):
        return bool(self.deployed)

    def is_swarm(self, key):
        return (self.networks[key].get("driver") or "bridge") == "overlay"

    def swarm_networks(self):
        return [k for k in self.network_order(list(self.networks)) if self.is_swarm(k)]

    def local_networks(self, host):
        used = {n["key"] for s in self.services.values() if s["host"] == host for n in s["nets"]}
        return [k for k in self.network_order(list(self.networks))
                if not self.is_swarm(k) and k in used]

    def owner(self, key):
        """The service whose network namespace `key` uses (`HOST:name` for host mode)."""
        mode = self.services[key]["mode"]
        if mode == "host":
            return "HOST:" + self.services[key]["host"]
        if mode.startswith("service:"):
            return self.owner(mode.split(":", 1)[1])
        return key


# ---- small helpers ----------------------------------------------------------

def fact(kind, fid, value, **extra):
    return {"id": fid, "kind": kind, **extra, "value": value}


def ip_json(node: Node, *args, netns_path=None):
    r = node.in_daemon("ip", "-j", *args, netns_path=netns_path)
    try:
        return json.loads(r.stdout or "[]")
    except json.JSONDecodeError:
        return []


def iptables_lines(node: Node, table, netns_path=None):
    """iptables-save of TABLE without comments, counters, the table header and COMMIT."""
    out = node.in_daemon("iptables-save", "-t", table, netns_path=netns_path).stdout
    lines = []
    for line in out.splitlines():
        if not line or line.startswith(("#", "*")) or line == "COMMIT":
            continue
        lines.append(re.sub(r" \[\d+:\d+\]$", "", line))
    return lines


KEY_RE = re.compile(r"(Key: 0x)[0-9a-f]+", re.I)


def redact(line: str) -> str:
    return KEY_RE.sub(r"\1<redacted>", line)


class Ids:
    """Replaces Docker's random ids (networks, sandboxes) in names by
    `<KEY.id[:N]>`, so that recordings compare across runs."""

    def __init__(self):
        self.ids = {}  # full id -> label

    def add(self, full_id, label):
        if full_id:
            self.ids[full_id] = label

    def norm(self, s):
        if not isinstance(s, str):
            return s

        def dev(m):  # the overlay driver's vx-VNI-ID5 / ov-VNI-ID5 device names
            for full, label in self.ids.items():
                if full.startswith(m.group(2)):
                    return f"{m.group(1)}<{label}.id[:5]>"
            return m.group(0)
        s = re.sub(r"\b((?:vx|ov)-[0-9a-f]{6}-)(\w{5})\b", dev, s)
        for full, label in sorted(self.ids.items(), key=lambda kv: -len(kv[0])):
            for n in (len(full), 12, 10, 9):
                if n <= len(full) and full[:n] in s:
                    tail = "" if n == len(full) else f"[:{n}]"
                    s = s.replace(full[:n], f"<{label}.id{tail}>")
        return s


# ---- building the scenario on the swarm ---------------------------------------

def build(sw: Swarm, sc: SwarmScenario):
    """Networks (swarm-scoped on the manager, local ones on each host that uses
    them), then containers in record.py's order, each on its x-host. A container
    Docker refuses is an `error` fact, and the others go on."""
    errors = []
    t0 = time.time()
    for k in sc.swarm_networks():
        try:
            record.create_network(sw.manager, sc, k)
        except RuntimeError as e:
            errors.append(fact("error", f"error/net/{k}", docker_error(e), network=k))
    for n in sw.nodes:
        for k in sc.local_networks(n.name):
            record.create_network(n, sc, k)
    t_net = time.time() - t0
    t1 = time.time()
    running = []
    tasks = {}
    for k in sc.deployed:  # swarm services first, as `docker stack deploy` of the file
        try:
            create_service(sw, sc, k)
        except RuntimeError as e:
            errors.append(fact("error", f"error/{k}", docker_error(e), service=k,
                               host=sw.manager.name))
    t_svc = time.time() - t1
    t2 = time.time()
    if sc.deployed:
        tasks = wait_tasks(sw, sc)
        for label, t in tasks.items():
            if t["container"]:
                running.append(label)
    t_tasks = time.time() - t2
    t1 = time.time()
    for k in sc.service_order([k for k in sc.services if k not in tasks]):
        node = sw.by_name[sc.services[k]["host"]]
        try:
            record.create_container(node, sc, k)
            running.append(k)
        except RuntimeError as e:
            errors.append(fact("error", f"error/{k}", docker_error(e), service=k,
                               host=node.name))
            node.docker("rm", "-f", sc.services[k]["name"], check=False)
    timing = {"networks": t_net, "containers": time.time() - t1}
    if sc.deployed:
        timing.update({"services": t_svc, "tasks": t_tasks})
    return running, errors, timing, tasks


def create_service(sw: Swarm, sc: SwarmScenario, key):
    """`docker service create` on the manager as `docker stack deploy -c FILE PROJECT`
    would make services.KEY: name PROJECT_KEY, the stack's namespace label, alias KEY
    on each network, mode, replicas, endpoint mode, constraints and published ports."""
    s = sc.deployed[key]
    d = s["deploy"]
    args = ["service", "create", "--detach", "--no-resolve-image", "--name", s["name"],
            "--label", f"com.docker.stack.namespace={sc.project}",
            "--container-label", f"com.docker.stack.namespace={sc.project}",
            "--endpoint-mode", d["endpoint_mode"]]
    if d["mode"] == "global":
        args += ["--mode", "global"]
    else:
        args += ["--replicas", str(d["replicas"])]
    for c in d["constraints"]:
        args += ["--constraint", c]
    for n in s["nets"]:  # stack deploy: every network of the service, alias KEY (+ aliases)
        spec = f"name={sc.net_name(n['key'])}" + "".join(f",alias={a}" for a in
                                                          [key] + n["aliases"])
        args += ["--network", spec]
    for p in d["ports"]:
        args += ["--publish", f"published={p['published']},target={p['target']},"
                              f"protocol={p['protocol']},mode={p['mode']}"]
    sw.manager.docker(*args, IMAGE, *record.listener_cmd(s["listen"]))


def service_tasks(sw: Swarm, name):
    """The tasks of service NAME that should run (docker inspect of `service ps`)."""
    ids = sw.manager.docker("service", "ps", "-q", "--no-trunc", "--filter",
                            "desired-state=running", name, check=False).stdout.split()
    if not ids:
        return []
    # --type task: a bare `docker inspect` asks for a service of that id first, and
    # the manager logs "Error getting service ID: service ID not found"
    return json.loads(sw.manager.docker("inspect", "--type", "task", *ids).stdout)


def wait_tasks(sw: Swarm, sc: SwarmScenario, timeout=90.0):
    """Waits until every service's tasks run (or fail), then adds each task to
    sc.services as KEY.SLOT (KEY.HOST for a global service), a pseudo-container on
    its node's daemon. Returns {label: task info}."""
    nodes = {}
    for line in sw.manager.docker("node", "ls", "--format", "{{.ID}} {{.Hostname}}").stdout.splitlines():
        nid, host = line.split()
        nodes[nid] = host
    end = time.time() + timeout
    while True:
        pending, all_tasks = [], {}
        for k, s in sc.deployed.items():
            ts = service_tasks(sw, s["name"])
            all_tasks[k] = ts
            want = s["deploy"]["replicas"] if s["deploy"]["mode"] == "replicated" else len(nodes)
            states = [t["Status"]["State"] for t in ts]
            if len(ts) < want or any(x not in ("running", "failed", "rejected") for x in states):
                pending.append(f"{k}: {states}")
        if not pending:
            break
        if time.time() > end:
            sw.log(f"  tasks not all running after {timeout:.0f}s: {'; '.join(pending)}")
            break
        time.sleep(0.5)
    tasks = {}
    for k, ts in all_tasks.items():
        s = sc.deployed[k]
        for t in ts:
            host = nodes.get(t.get("NodeID", ""), t.get("NodeID", ""))
            label = f"{k}.{host}" if s["deploy"]["mode"] == "global" else f"{k}.{t.get('Slot')}"
            cid = ((t["Status"].get("ContainerStatus") or {}).get("ContainerID") or "")
            cname = ""
            if cid and host in sw.by_name:
                r = sw.by_name[host].docker("inspect", "--format", "{{.Name}}", cid, check=False)
                cname = r.stdout.strip().lstrip("/")
            tasks[label] = {"service": k, "id": t["ID"], "host": host, "node_id": t.get("NodeID", ""),
                            "state": t["Status"]["State"], "error": t["Status"].get("Err", ""),
                            "container": cid, "container_name": cname}
            if cid and host in sw.by_name:
                sc.services[label] = {"key": label, "mode": "default", "networks_given": True,
                                      "nets": s["nets"], "name": cid, "ports": [],
                                      "listen": s["listen"], "host": host, "task_of": k}
    return tasks


def docker_error(e: Exception) -> str:
    """The docker client's error lines (record.Recorder.run puts them after the command)."""
    msg = str(e)
    i = msg.find("Error")
    return " / ".join(line.strip() for line in msg[i if i >= 0 else 0:].splitlines() if line.strip())


def teardown_scenario(sw: Swarm, sc: SwarmScenario):
    if sc.deployed:
        sw.manager.docker("service", "rm", *[s["name"] for s in sc.deployed.values()], check=False)
    for n in sw.nodes:
        names = [s["name"] for s in sc.services.values() if s["host"] == n.name]
        if names:
            n.docker("rm", "-f", *names, check=False)


# ---- what Docker built: networks, endpoints, routes, overlay namespaces ------

class World:
    """What the recorder learnt about the built scenario, for facts and probes."""

    def __init__(self, sw: Swarm, sc: SwarmScenario, running, tasks=None):
        self.sw, self.sc = sw, sc
        self.tasks = tasks or {}  # KEY.SLOT -> task (wait_tasks)
        self.vips = []            # (service key, network key, VIP)
        self.ingress_ports = set()  # ports published through the routing mesh
        self.running = [k for k in sc.services if k in running]
        self.ids = Ids()
        self.net_ids = {}     # (host, key) -> full network id on that host
        self.swarm_keys = []  # swarm-scoped network keys on the swarm, ingress first
        self.gateways = {}    # host -> {key: gateway address}
        self.subnets = {}     # (host, local key) -> subnet
        self.swarm_gateway = {}  # swarm key -> gateway
        self.vni_facts = []      # (swarm key, [VNI])
        self.endpoints = {}   # service -> [(key, ipv4)], docker_gwbridge included
        self.lbs = []         # (key, host, ipv4)
        self.sandbox = {}     # service -> sandbox namespace path (in its daemon's mounts)
        self.netns_dir = {}   # host -> the daemon's namespace directory
        self.published = {}   # host -> published TCP ports
        self.host_listen = {}  # host -> ports of host-mode containers

    def key_of(self, host, name):
        for k in self.sc.networks:
            if self.sc.net_name(k) == name:
                return k
        return name  # bridge, docker_gwbridge, ingress

    def learn_ids(self):
        for n in self.sw.nodes:
            out = n.docker("network", "ls", "--no-trunc", "--format", "{{.ID}} {{.Name}} {{.Scope}}").stdout
            for line in out.splitlines():
                nid, name, scope = line.split()
                k = self.key_of(n.name, name)
                self.net_ids[(n.name, k)] = nid
                self.ids.add(nid, k if scope == "swarm" else f"{k}@{n.name}")
                if scope == "swarm" and k not in self.swarm_keys:
                    self.swarm_keys.append(k)
            self.netns_dir[n.name] = f"{n.dir}/exec/netns"
        self.swarm_keys.sort(key=lambda k: (k != INGRESS, k))

    def node_of(self, service):
        return self.sw.by_name[self.sc.services[service]["host"]]


def device_key(w: World, host, dev):
    """A host device as a network key: docker0 -> bridge, br-<id> -> KEY."""
    if dev == "docker0":
        return "bridge"
    if dev == GWBRIDGE:
        return GWBRIDGE
    if dev.startswith("br-"):
        for (h, k), nid in w.net_ids.items():
            if h == host and nid.startswith(dev[3:]):
                return k
    return dev


def network_facts(w: World):
    facts = []
    sc, m = w.sc, w.sw.manager
    for k in w.swarm_keys:
        info = json.loads(m.docker("network", "inspect", w.net_ids[(m.name, k)]).stdout)[0]
        cfg = (info.get("IPAM") or {}).get("Config") or [{}]
        opts = info.get("Options") or {}
        vals = {"subnet": str(ipaddress.ip_network(cfg[0]["Subnet"], strict=False)),
                "gateway": cfg[0].get("Gateway", ""),
                "internal": bool(info.get("Internal")),
                "attachable": bool(info.get("Attachable")),
                "ingress": bool(info.get("Ingress")),
                "scope": info.get("Scope"),
                "vni": [int(v) for v in
                        opts.get("com.docker.network.driver.overlay.vxlanid_list", "").split(",") if v],
                "encrypted": "encrypted" in opts,
                "name": info["Name"]}
        w.swarm_gateway[k] = vals["gateway"]
        w.vni_facts.append((k, vals["vni"]))
        for field, v in vals.items():
            facts.append(fact("network", f"net/{k}/{field}", v, network=k, field=field))
    for n in w.sw.nodes:
        w.gateways[n.name] = {}
        keys = ["bridge", GWBRIDGE] + sc.local_networks(n.name)
        for k in keys:
            nid = w.net_ids.get((n.name, k))
            if not nid:
                continue
            info = json.loads(n.docker("network", "inspect", nid).stdout)[0]
            cfg = (info.get("IPAM") or {}).get("Config") or [{}]
            opts = info.get("Options") or {}
            dev = opts.get("com.docker.network.bridge.name") or "br-" + nid[:12]
            links = ip_json(n, "-d", "addr", "show", "dev", dev)
            addr = next((a for li in links for a in li.get("addr_info", [])
                         if a.get("family") == "inet"), None)
            gw = addr["local"] if addr else cfg[0].get("Gateway", "")
            w.gateways[n.name][k] = gw
            w.subnets[(n.name, k)] = str(ipaddress.ip_network(cfg[0]["Subnet"], strict=False))
            vals = {"subnet": str(ipaddress.ip_network(cfg[0]["Subnet"], strict=False)),
                    "gateway": gw, "internal": bool(info.get("Internal")),
                    "device": w.ids.norm(dev),
                    "mtu": links[0]["mtu"] if links else None}
            if k == GWBRIDGE:
                vals["options"] = dict(sorted(opts.items()))
            for field, v in vals.items():
                facts.append(fact("network", f"net/{k}@{n.name}/{field}", v, network=k,
                                  host=n.name, field=field))
    # the overlay gateways live in each host's overlay namespace (added with the overlay facts)
    return facts


def endpoint_and_route_facts(w: World):
    facts = []
    sc = w.sc
    for k in w.running:
        s = sc.services[k]
        node = w.node_of(k)
        info = json.loads(node.docker("inspect", s["name"]).stdout)[0]
        ns = info["NetworkSettings"]
        own = sc.owner(k) == k
        eps = []
        if own and s["mode"] not in ("host", "none"):
            w.sandbox[k] = ns.get("SandboxKey")
            w.ids.add(ns.get("SandboxID", ""), f"{k}.sandbox")
            w.ids.add(info["Id"], f"{k}.container")
            for nname, ep in sorted((ns.get("Networks") or {}).items()):
                if ep.get("IPAddress"):
                    eps.append((w.key_of(node.name, nname), ep["IPAddress"], ep["IPPrefixLen"],
                                ep["MacAddress"]))
            gwb = json.loads(node.docker("network", "inspect", GWBRIDGE).stdout)[0]
            mine = (gwb.get("Containers") or {}).get(info["Id"])
            if mine:
                ip, _, plen = mine["IPv4Address"].partition("/")
                eps.append((GWBRIDGE, ip, int(plen), mine["MacAddress"]))
                facts.append(fact("endpoint", f"ep/{k}/{GWBRIDGE}/name", w.ids.norm(mine["Name"]),
                                  service=k, network=GWBRIDGE, field="name", raw=mine["Name"]))
        w.endpoints[k] = [(nk, ip) for nk, ip, _, _ in eps]
        if not own:
            continue
        for nk, ip, plen, mac in eps:
            for field, v in (("ipv4", ip), ("prefix", plen), ("mac", mac)):
                facts.append(fact("endpoint", f"ep/{k}/{nk}/{field}", v, service=k, network=nk,
                                  field=field))
        if k not in w.sandbox:
            continue
        path = w.sandbox[k]
        ip_net = {ip: nk for nk, ip, _, _ in eps}
        # dockerd joins a container's networks in Go map order (daemon/container_operations.go
        # allocateNetwork), so with two or more, which one is eth0 changes from run to run.
        stable = len([e for e in eps if e[0] != GWBRIDGE]) < 2
        extra = {} if stable else {"stable": False}
        dev_net = {}
        ifaces = []
        for li in ip_json(node, "addr", netns_path=path):
            for a in li.get("addr_info", []):
                if a.get("family") != "inet" or li["ifname"] == "lo":
                    continue
                nk = ip_net.get(a["local"], li["ifname"])
                dev_net[li["ifname"]] = nk
                ifaces.append(f"{li['ifname']} {nk} mtu {li['mtu']}")
                facts.append(fact("endpoint", f"ep/{k}/{nk}/ifname", li["ifname"], service=k,
                                  network=nk, field="ifname", **extra))
                facts.append(fact("endpoint", f"ep/{k}/{nk}/mtu", li["mtu"], service=k,
                                  network=nk, field="mtu"))
        facts.append(fact("endpoint", f"ep/{k}/interfaces", sorted(ifaces), service=k,
                          field="interfaces", **extra))
        routes, default = [], "none"
        for r in ip_json(node, "route", netns_path=path):
            dev = r.get("dev", "")
            text = r["dst"] + (f" via {r['gateway']}" if r.get("gateway") else "") + \
                f" ({dev_net.get(dev, dev)})"
            routes.append(text)
            if r["dst"] == "default":
                default = text.removeprefix("default ")
        facts.append(fact("route", f"route/{k}/default", default, service=k, field="default"))
        facts.append(fact("route", f"route/{k}/table", sorted(routes), service=k, field="table"))
    for k in w.running:  # shared namespaces: their owner's endpoints
        o = sc.owner(k)
        if o != k and not o.startswith("HOST:"):
            w.endpoints[k] = w.endpoints.get(o, [])
    return facts


def service_facts(w: World):
    """svc/KEY/*: `docker service inspect` on the manager; task/KEY.SLOT/*: each
    task's node, state and error; sbox/KEY.SLOT/iptables: the rules in each task's
    sandbox. Fills w.vips and w.ingress_ports."""
    facts = []
    sc, m = w.sc, w.sw.manager
    key_of_id = {nid: k for (h, k), nid in w.net_ids.items()}
    for k, s in sc.deployed.items():
        r = m.docker("service", "inspect", s["name"], check=False)
        if r.returncode != 0:
            continue
        info = json.loads(r.stdout)[0]
        spec = info.get("Spec") or {}
        mode = "global" if "Global" in (spec.get("Mode") or {}) else "replicated"
        ep = info.get("Endpoint") or {}
        vips = {}
        for v in ep.get("VirtualIPs") or []:
            nk = key_of_id.get(v.get("NetworkID"), v.get("NetworkID"))
            vips[nk] = v.get("Addr")
            w.vips.append((k, nk, v.get("Addr", "").split("/")[0]))
        published = []
        for p in ep.get("Ports") or []:
            published.append(f"{p.get('PublishedPort')}:{p.get('TargetPort')}/"
                             f"{p.get('Protocol')} {p.get('PublishMode')}")
            if p.get("PublishMode") == "ingress" and p.get("Protocol") == "tcp":
                w.ingress_ports.add(p["PublishedPort"])
        tt = spec.get("TaskTemplate") or {}
        nets = sorted(f"{key_of_id.get(n.get('Target'), n.get('Target'))} aliases "
                      f"{','.join(n.get('Aliases') or [])}" for n in tt.get("Networks") or [])
        vals = {"name": spec.get("Name"), "mode": mode,
                "replicas": ((spec.get("Mode") or {}).get("Replicated") or {}).get("Replicas"),
                "endpoint_mode": (ep.get("Spec") or spec.get("EndpointSpec") or {}).get("Mode"),
                "vips": dict(sorted(vips.items())), "published": sorted(published),
                "constraints": (tt.get("Placement") or {}).get("Constraints") or [],
                "networks": nets}
        for field, v in vals.items():
            facts.append(fact("service", f"svc/{k}/{field}", v, service=k, field=field))
    for label, t in sorted(w.tasks.items()):  # global tasks' names hold the node's id
        w.ids.add(t["node_id"], f"{t['host']}.node")
    for label, t in sorted(w.tasks.items()):
        w.ids.add(t["id"], f"{label}.task")
        for field in ("host", "state", "error"):
            facts.append(fact("task", f"task/{label}/{field}", t[field], task=label,
                              service=t["service"], field=field))
        facts.append(fact("task", f"task/{label}/name", w.ids.norm(t["container_name"]),
                          task=label, service=t["service"], field="name", raw=t["container_name"]))
        if label in w.sandbox and t["host"] in w.sw.by_name:
            facts.append(fact("sandbox", f"sbox/{label}/iptables",
                              sandbox_rules(w.sw.by_name[t["host"]], w.sandbox[label]),
                              task=label, field="iptables"))
    return facts


def flag_placement(w: World, facts):
    """Marks `stable: false` what the scheduler and the allocator leave to chance
    (repeated runs of 43/44 differed there). Which node runs which slot of a
    replicated service with two or more replicas and no `node.hostname ==`
    constraint, and which address each slot gets; which address each task of a
    global service gets (the allocator's order of the tasks is not the nodes'
    order); the order in which the nodes' load-balancer endpoints of a network
    get their addresses. What follows from it: the docker_gwbridge endpoints
    (their order on a host) and reach facts through docker_gwbridge, the
    overlays' FDB, neighbour and programmed entries. Returns the moved tasks."""
    sc = w.sc
    moved = set()
    hosts_of_net = {}
    for label, t in w.tasks.items():
        d = sc.deployed[t["service"]]["deploy"]
        pinned = any(re.match(r"node\.hostname\s*==", c) for c in d["constraints"])
        if d["mode"] == "global" or ((d["replicas"] or 0) > 1 and not pinned):
            moved.add(label)
        for n in sc.deployed[t["service"]]["nets"]:
            hosts_of_net.setdefault(n["key"], set()).add(t["host"])
    lb_nets = {k for k, hs in hosts_of_net.items() if len(hs) > 1}
    if not (moved or lb_nets):
        return moved
    for f in facts:
        parts = f["id"].split("/")
        chance = False
        if f["kind"] == "task":
            chance = parts[1] in moved and parts[2] == "host" and \
                sc.deployed[w.tasks[parts[1]]["service"]]["deploy"]["mode"] == "replicated"
        elif f["kind"] == "endpoint" and len(parts) > 3 and parts[3] in ("ipv4", "mac"):
            chance = parts[1] in moved or (bool(moved) and parts[2] == GWBRIDGE)
        elif f["kind"] == "overlay":
            chance = parts[-1] in ("fdb", "neigh", "programmed") and \
                (bool(moved) or parts[1].split("@")[0] in lb_nets)
        elif f["kind"] == "lb":
            chance = parts[1].split("@")[0] in lb_nets and parts[2] in ("ipv4", "mac", "interfaces")
        elif f["kind"] == "reach":
            chance = bool(moved) and f.get("network") == GWBRIDGE
        if chance:
            f["stable"] = False
    return moved


def ipvs_state(node: Node, path=None):
    """/proc/net/ip_vs in a namespace: IPVS's table, or why there is none."""
    r = node.in_daemon("cat", "/proc/net/ip_vs", netns_path=path)
    if r.returncode != 0:
        return "absent: no /proc/net/ip_vs (no IP_VS in this kernel)"
    return [x for x in r.stdout.splitlines() if x.strip()]


def namespaces(w: World, node: Node):
    """The daemon's namespace files: {file name: path}."""
    d = w.netns_dir[node.name]
    out = node.in_daemon("ls", "-1", d).stdout
    return {f: f"{d}/{f}" for f in out.split()}


def overlay_namespace(w: World, node: Node, key):
    nid = w.net_ids.get((w.sw.manager.name, key), "")
    for f, path in namespaces(w, node).items():
        m = re.fullmatch(r"(\d+)-(\w+)", f)
        if m and nid.startswith(m.group(2)):
            return f, path
    return None, None


def lb_endpoints(w: World):
    """Fills w.lbs from each host's view of each swarm network (its lb-NAME or
    ingress-sbox endpoint); returns the facts."""
    facts = []
    w.lbs = []
    for n in w.sw.nodes:
        nsfiles = namespaces(w, n)
        for k in w.swarm_keys:
            nid = w.net_ids.get((n.name, k))
            if not nid:
                continue
            info = json.loads(n.docker("network", "inspect", nid).stdout)[0]
            for cid, ep in (info.get("Containers") or {}).items():
                if not (cid.startswith("lb-") or cid == "ingress-sbox"):
                    continue
                ip, _, plen = ep["IPv4Address"].partition("/")
                w.lbs.append((k, n.name, ip))
                sbox = "ingress_sbox" if cid == "ingress-sbox" else next(
                    (f for f in nsfiles if f.startswith("lb_") and nid.startswith(f[3:])), "")
                vals = {"key": w.ids.norm(cid), "name": w.ids.norm(ep["Name"]), "ipv4": ip,
                        "prefix": int(plen), "mac": ep["MacAddress"], "sandbox": w.ids.norm(sbox)}
                if sbox:
                    path = nsfiles[sbox]
                    ifs = []
                    for li in ip_json(n, "addr", netns_path=path):
                        for a in li.get("addr_info", []):
                            if a.get("family") == "inet" and li["ifname"] != "lo":
                                ifs.append(f"{li['ifname']} {a['local']}/{a['prefixlen']} "
                                           f"mtu {li['mtu']}")
                    vals["interfaces"] = sorted(ifs)
                    rt = [r["dst"] + (f" via {r['gateway']}" if r.get("gateway") else "")
                          + f" dev {r.get('dev', '')}" for r in ip_json(n, "route", netns_path=path)]
                    vals["routes"] = sorted(rt)
                    vals["iptables"] = sandbox_rules(n, path)
                    vals["ipvs"] = ipvs_state(n, path)
                for field, v in vals.items():
                    facts.append(fact("lb", f"lb/{k}@{n.name}/{field}", v, network=k,
                                      host=n.name, field=field))
    return facts


def sandbox_rules(node: Node, path):
    """A sandbox's iptables rules by table (tables without rules left out)."""
    out = {}
    for t in ("filter", "nat", "mangle"):
        rules = [normalize_rule(x) for x in iptables_lines(node, t, netns_path=path)
                 if not x.startswith(":")]
        if rules:
            out[t] = rules
    return out


def normalize_rule(line):
    """iptables lines in sandboxes: the embedded DNS server's random ports."""
    line = re.sub(r"127\.0\.0\.11:\d+", "127.0.0.11:<port>", line)
    return re.sub(r"--sport \d+ -j SNAT", "--sport <port> -j SNAT", line)


def remote_expected(w: World, key, host):
    """Addresses on network KEY that live on other hosts (containers and lb endpoints)."""
    want = set()
    for s, eps in w.endpoints.items():
        if w.sc.owner(s) != s or w.sc.services[s]["host"] == host:
            continue
        want |= {ip for nk, ip in eps if nk == key}
    want |= {ip for k, h, ip in w.lbs if k == key and h != host}
    return want


def permanent_neigh(node: Node, path):
    return {e["dst"] for e in ip_json(node, "neigh", netns_path=path)
            if "PERMANENT" in e.get("state", [])}


def wait_converged(w: World, timeout=30.0):
    """Waits until every overlay namespace holds a neighbour entry for every
    address of its network on the other hosts (what peerAdd programs when
    networkdb's gossip arrives). Returns the seconds it took, or None."""
    t0 = time.time()
    while True:
        missing = []
        for n in w.sw.nodes:
            for k in w.swarm_keys:
                path = overlay_namespace(w, n, k)[1]
                if not path:
                    continue
                lack = remote_expected(w, k, n.name) - permanent_neigh(n, path)
                if lack:
                    missing.append(f"{k}@{n.name}: {sorted(lack)}")
        if not missing:
            return time.time() - t0
        if time.time() - t0 > timeout:
            w.sw.log(f"  not converged after {timeout:.0f}s: {'; '.join(missing)}")
            return None
        time.sleep(0.3)


def owner_of_address(w: World, ip, host=None):
    """Who has address IP: `SERVICE@KEY`, `lb-KEY@HOST`, or IP itself. Addresses
    of local networks repeat across hosts: HOST's own are preferred."""
    local = []
    for s, eps in w.endpoints.items():
        if w.sc.owner(s) != s:
            continue
        for nk, a in eps:
            if a == ip:
                local.append((w.sc.services[s]["host"] != host, f"{s}@{nk}"))
    for k, h, a in w.lbs:
        if a == ip:
            local.append((h != host, f"lb-{k}@{h}"))
    for svc, nk, a in w.vips:
        if a == ip:
            local.append((False, f"vip:{svc}@{nk}"))
    return sorted(local)[0][1] if local else ip


def overlay_facts(w: World):
    facts = []
    host_of = {n.addr: n.name for n in w.sw.nodes}
    for n in w.sw.nodes:
        for k in w.swarm_keys:
            f, path = overlay_namespace(w, n, k)
            nid = w.net_ids.get((n.name, k))
            peers = []  # networkdb's members of this network, as the host sees them
            if nid:
                info = json.loads(n.docker("network", "inspect", nid).stdout)[0]
                peers = sorted(host_of.get(p["IP"], p["IP"]) for p in info.get("Peers") or [])
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/peers", peers, network=k,
                              host=n.name, field="peers"))
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/namespace",
                              w.ids.norm(f) if f else None, network=k, host=n.name,
                              field="namespace", raw=f))
            if not path:
                continue
            links = ip_json(n, "-d", "link", netns_path=path)
            addrs = {li["ifname"]: [f"{a['local']}/{a['prefixlen']}" for a in li.get("addr_info", [])
                                    if a.get("family") == "inet"]
                     for li in ip_json(n, "addr", netns_path=path)}
            devices = []
            for li in links:
                if li["ifname"] == "lo":
                    continue
                kind = (li.get("linkinfo") or {}).get("info_kind", li.get("link_type"))
                d = f"{li['ifname']} {kind}" + (f" master {li['master']}" if li.get("master") else "") \
                    + f" mtu {li['mtu']}" + "".join(f" {a}" for a in addrs.get(li["ifname"], []))
                devices.append(d)
                if kind == "bridge":
                    facts.append(fact("overlay", f"ovl/{k}@{n.name}/bridge",
                                      {"name": li["ifname"], "mtu": li["mtu"],
                                       "addresses": addrs.get(li["ifname"], [])},
                                      network=k, host=n.name, field="bridge"))
                if kind == "vxlan":
                    data = li["linkinfo"].get("info_data", {})
                    v = {"name": li["ifname"], "master": li.get("master"), "mtu": li["mtu"]}
                    for field in ("id", "port", "learning", "proxy", "l2miss", "l3miss", "ttl",
                                  "ageing", "local", "udp_csum", "link"):
                        if field in data:
                            v[field] = data[field]
                    slave = li["linkinfo"].get("info_slave_data", {})
                    if slave:
                        v["bridge_port"] = {x: slave.get(x) for x in
                                            ("learning", "flood", "hairpin", "neigh_suppress")}
                    facts.append(fact("overlay", f"ovl/{k}@{n.name}/vxlan", v, network=k,
                                      host=n.name, field="vxlan"))
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/devices", sorted(devices), network=k,
                              host=n.name, field="devices"))
            fdb, who = [], []
            for e in json.loads(n.in_daemon("bridge", "-j", "fdb", "show",
                                            netns_path=path).stdout or "[]"):
                if e.get("state") != "permanent" or not e.get("dst"):
                    continue
                fdb.append(f"{e['mac']} dev {e['ifname']} dst {e['dst']}")
                ip = mac_ip(e["mac"])
                who.append(f"{owner_of_address(w, ip, host_of.get(e['dst']))} on "
                           f"{host_of.get(e['dst'], e['dst'])}")
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/fdb", sorted(fdb), network=k,
                              host=n.name, field="fdb", who=sorted(who)))
            neigh = sorted(f"{e['dst']} lladdr {e.get('lladdr')} dev {e['dev']}"
                           for e in ip_json(n, "neigh", netns_path=path)
                           if "PERMANENT" in e.get("state", []))
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/neigh", neigh, network=k,
                              host=n.name, field="neigh"))
            routes = sorted(r["dst"] + f" dev {r.get('dev', '')}"
                            for r in ip_json(n, "route", netns_path=path))
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/routes", routes, network=k,
                              host=n.name, field="routes"))
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/iptables", sandbox_rules(n, path), network=k,
                              host=n.name, field="iptables"))
            fwd = n.in_daemon("cat", "/proc/sys/net/ipv4/ip_forward", netns_path=path).stdout.strip()
            facts.append(fact("overlay", f"ovl/{k}@{n.name}/ip_forward", fwd, network=k,
                              host=n.name, field="ip_forward"))
    return facts


def mac_ip(mac):
    """Docker's 02:42 MACs carry the IPv4 address."""
    b = mac.split(":")
    if len(b) == 6 and b[0] == "02" and b[1] == "42":
        return ".".join(str(int(x, 16)) for x in b[2:])
    return mac


def host_facts(w: World):
    facts = []
    info = json.loads(w.sw.manager.docker("info", "--format", "{{json .Swarm.Cluster}}").stdout)
    for field, v in (("default_addr_pool", info.get("DefaultAddrPool")),
                     ("subnet_size", info.get("SubnetSize")),
                     ("data_path_port", info.get("DataPathPort"))):
        facts.append(fact("swarm", f"swarm/{field}", v, field=field))
    for n in w.sw.nodes:
        info = json.loads(w.sw.manager.docker("node", "inspect", n.name).stdout)[0]
        role = (info.get("Spec") or {}).get("Role", "")
        facts.append(fact("host", f"host/{n.name}/role", role, host=n.name, field="role"))
        facts.append(fact("host", f"host/{n.name}/address",
                          (info.get("Status") or {}).get("Addr", ""), host=n.name, field="address"))
        routes = []
        for r in ip_json(n, "route"):
            dev = device_key(w, n.name, r.get("dev", ""))
            routes.append(r["dst"] + (f" via {r['gateway']}" if r.get("gateway") else "")
                          + f" ({dev})")
        facts.append(fact("host", f"host/{n.name}/routes", sorted(routes), host=n.name,
                          field="routes"))
        fwd = n.in_daemon("cat", "/proc/sys/net/ipv4/ip_forward").stdout.strip()
        facts.append(fact("host", f"host/{n.name}/ip_forward", fwd, host=n.name, field="ip_forward"))
        nets = sorted(k for (h, k) in w.net_ids if h == n.name)  # what `docker network ls` lists
        facts.append(fact("host", f"host/{n.name}/networks", nets, host=n.name, field="networks"))
        links = sorted(f"{li['ifname']} {(li.get('linkinfo') or {}).get('info_kind', li.get('link_type'))}"
                       f" mtu {li['mtu']}" for li in ip_json(n, "-d", "link")
                       if not li["ifname"].startswith("veth") and li["ifname"] != "lo")
        facts.append(fact("host", f"host/{n.name}/devices", [w.ids.norm(x) for x in links],
                          host=n.name, field="devices"))
        gwb_subnet = w.subnets.get((n.name, GWBRIDGE), GWBRIDGE)
        for table in ("filter", "nat", "mangle"):
            lines = [w.ids.norm(x) for x in iptables_lines(n, table)]
            facts.append(fact("iptables", f"ipt/{n.name}/{table}", lines, host=n.name, table=table))
            if table != "mangle":  # the rules that name docker_gwbridge or its subnet
                gwb = [x for x in lines if GWBRIDGE in x or gwb_subnet in x]
                facts.append(fact("iptables", f"ipt/{n.name}/{table}/{GWBRIDGE}", gwb,
                                  host=n.name, table=table))
        for what in ("state", "policy"):
            out = n.in_daemon("ip", "xfrm", what).stdout
            items = [redact(re.sub(r"\s+", " ", x).strip()) for x in
                     re.split(r"\n(?=src )", out.strip()) if x.strip()]
            items = [re.sub(r"spi 0x[0-9a-f]+", "spi <spi>", x) for x in items]
            facts.append(fact("xfrm", f"xfrm/{n.name}/{what}", sorted(items), host=n.name))
    return facts


def xfrm_stat_facts(w: World):
    """xfrm/HOST/stat: the host's non-zero /proc/net/xfrm_stat counters after the
    probes (XfrmOutNoStates: packets an IPsec policy wanted, without a state)."""
    facts = []
    for n in w.sw.nodes:
        out = n.in_daemon("cat", "/proc/net/xfrm_stat").stdout
        stat = {k: int(v) for k, v in (line.split() for line in out.splitlines()
                                       if len(line.split()) == 2) if int(v)}
        facts.append(fact("xfrm", f"xfrm/{n.name}/stat", stat, host=n.name, stable=False))
    return facts


# ---- probes -------------------------------------------------------------------

def probe_plan(w: World):
    """(source, fact) for every probe: from every container, host and LAN machine
    to every endpoint of every other sandbox (docker_gwbridge's included), every
    load-balancer endpoint, the gateways on the container's own host, every host
    and LAN machine, and the published ports."""
    sc, sw = w.sc, w.sw
    listen = {}  # owner -> ports listening in its namespace
    for k in w.running:
        s = sc.services[k]
        listen.setdefault(sc.owner(k), set()).update(s["listen"])
        h = s["host"]
        w.published.setdefault(h, set()).update(p[1] for p in s["ports"] if p[1] and p[4] == "tcp")
        if s["mode"] == "host":
            w.host_listen.setdefault(h, set()).update(s["listen"])
    host_mode = set()  # (host, port) published with mode: host
    for label, t in w.tasks.items():  # swarm services' published ports
        if label not in w.running:
            continue
        for p in sc.deployed[t["service"]]["deploy"]["ports"]:
            if p["protocol"] != "tcp" or not p["published"]:
                continue
            if p["mode"] == "host":
                w.published.setdefault(t["host"], set()).add(p["published"])
                host_mode.add((t["host"], p["published"]))
            else:  # the routing mesh: every node listens
                for n in sw.nodes:
                    w.published.setdefault(n.name, set()).add(p["published"])
    for n in sw.nodes:  # the overlay gateways: on the bridge in each host's overlay namespace
        for k in w.swarm_keys:
            if overlay_namespace(w, n, k)[1]:
                if w.swarm_gateway.get(k):
                    w.gateways[n.name][k] = w.swarm_gateway[k]
    sources = [(k, sc.services[k]["host"]) for k in w.running] + \
              [(n.name, n.name) for n in sw.nodes] + [(x, None) for x in sw.externals]
    plan = []

    def add(src, to, dst, proto, port=None, **extra):
        tag = to if "network" not in extra else f"{to}@{extra['network']}"
        fid = f"{proto} {src}->{tag}" + (f":{port}" if port else "")
        tgt = extra.get("target") or {}
        mesh = port in w.ingress_ports and port not in {p for _, p in host_mode}
        if "vip" in tgt or (proto == "tcp" and mesh and not extra.get("network")):
            extra["artefact"] = ARTEFACT  # through a VIP or the ingress routing mesh
        plan.append((src, {"id": fid, "kind": "reach", "from": src, "to": to, "dst": dst,
                           "proto": proto, "port": port, **extra}))

    for src, host in sources:
        is_container = src in sc.services
        mine = sc.owner(src) if is_container else None
        for t in w.running:
            if sc.owner(t) != t or t == mine:
                continue
            for nk, ip in w.endpoints.get(t, []):
                add(src, t, ip, "icmp", network=nk)
                for p in sorted(listen.get(t, ())):
                    add(src, t, ip, "tcp", p, network=nk)
        for k, h, ip in w.lbs:
            add(src, f"lb:{k}@{h}", ip, "icmp", target={"lb": k, "host": h})
        for svc, nk, ip in w.vips:  # every service VIP: ping, and TCP to its target ports
            add(src, f"vip:{svc}@{nk}", ip, "icmp", target={"vip": svc, "network": nk})
            for p in sorted(sc.deployed[svc]["listen"]):
                add(src, f"vip:{svc}@{nk}", ip, "tcp", p, target={"vip": svc, "network": nk})
        if is_container and not mine.startswith("HOST:"):
            for nk, g in w.gateways.get(host, {}).items():
                if g:
                    add(src, f"gw:{nk}", g, "icmp", target={"gateway": nk})
                    for p in sorted(w.published.get(host, ())):
                        add(src, f"gw:{nk}", g, "tcp", p, target={"gateway": nk})
        for n in sw.nodes:
            add(src, n.name, n.addr, "icmp", target={"host": n.name})
            for p in sorted(w.published.get(n.name, set()) | w.host_listen.get(n.name, set())):
                add(src, n.name, n.addr, "tcp", p, target={"host": n.name})
        for x, cidr in sw.externals.items():
            if x != src:
                add(src, x, cidr.split("/")[0], "icmp", target={"external": x})
        if src in sw.by_name or (is_container and mine.startswith("HOST:")):
            for p in sorted(w.published.get(host, set()) | w.host_listen.get(host, set())):
                add(src, "127.0.0.1", "127.0.0.1", "tcp", p, target={"address": "127.0.0.1"})
    return sources, plan


ARTEFACT = "no IP_VS in this kernel"


def dns_names(w: World):
    """record.dns_names for the plain containers (tasks left out), then for each
    swarm service KEY, tasks.KEY, PROJECT_KEY, tasks.PROJECT_KEY and its tasks'
    container names (PROJECT_KEY.SLOT.TASKID), which the fact ids write with
    <KEY.SLOT.task.id>."""
    sc = w.sc
    names = []
    for k, s in sc.services.items():
        if s.get("task_of"):
            continue
        names += [k, s["name"]]
        for n in s["nets"]:
            names += n["aliases"]
    for k, s in sc.deployed.items():
        names += [k, f"tasks.{k}", s["name"], f"tasks.{s['name']}"]
        for n in s["nets"]:
            names += n["aliases"]
    for label, t in sorted(w.tasks.items()):
        if t["container_name"]:
            names.append(t["container_name"])
    names += sc.extra_names
    names.append(record.NOSUCH)
    return list(dict.fromkeys(names))


def run_source(w: World, src, host, probes, dns):
    script = probe_script(probes, dns)
    sw = w.sw
    if src in w.sc.services:
        node = sw.by_name[host]
        out = node.docker("exec", w.sc.services[src]["name"], "sh", "-c", script, check=False).stdout
    elif src in sw.by_name:
        out = in_ns(sw.by_name[src].netns, BUSYBOX, "sh", "-c", script, check=False).stdout
    else:
        out = in_ns(sw.ext_ns(src), BUSYBOX, "sh", "-c", script, check=False).stdout
    return parse_probe_output(out)


def probe_facts(w: World):
    facts = []
    sources, plan = probe_plan(w)
    names = dns_names(w)
    for src, host in sources:
        probes = [f for s, f in plan if s == src]
        is_container = src in w.sc.services and w.sc.services[src]["mode"] != "host"
        dns = names if is_container else []
        res, dres = run_source(w, src, host, probes, dns)
        for i, f in enumerate(probes):
            set_reach_result(f, res.get(i, "missing"))
            facts.append(f)
        for j, name in enumerate(dns):
            status, answers = parse_nslookup(dres.get(j, "missing"))
            facts.append({"id": f"dns {src}?{w.ids.norm(name)}", "kind": "dns", "from": src,
                          "name": name,
                          "status": status, "answers": answers,
                          "endpoints": [owner_of_address(w, a, host) for a in answers]})
    return facts


# ---- one scenario, the whole run ----------------------------------------------

# What this machine's kernel or the recorder's sandboxing makes dockerd say, not the
# scenario: no IP_VS (net.ipv4.vs.*), no neighbour gc sysctls in a network namespace,
# no bridge VLAN filtering (the overlay driver writes bridge/default_pvid, which then
# does not exist), cgroup v1 details.
NOISE = re.compile(r"net\.ipv4\.vs\.|(?i:ipvs|ip_vs)|gc_thresh|blkio|devmapper|containerd config version|"
                   r"cgroup|Your kernel does not support|default vlan|default_pvid")


def daemon_log_lines(lines, ids: Ids):
    """Warnings and errors from the daemon's log, keys redacted, repeats counted."""
    out = {}
    for line in lines:
        m = re.search(r'level=(warning|error|fatal)\s+msg="(.*?)"(.*)$', line)
        if not m:
            continue
        msg = ids.norm(redact(f"{m.group(1)}: {m.group(2)}{m.group(3)}"))
        msg = re.sub(r"SPI: 0x[0-9a-f]+", "SPI: <spi>", msg)
        msg = re.sub(r"\b[0-9a-f]{64}\b", "<id>", msg)
        out[msg] = out.get(msg, 0) + 1
    return [{"line": k, "count": v, "environment": bool(NOISE.search(k))} for k, v in out.items()]


EVENTS = re.compile(r"overlay: Received vxlan IDs|Assigning addresses for endpoint|"
                    r"Neighbor entry added for|Programming external connectivity on|"
                    r"Revoking external connectivity on|EnableService .* START|"
                    r"Programming encryption between|for vip |fwMark|[Ss]ervice ?[Bb]inding|"
                    r"[Ii]ngress|iptables, \[--wait (?:-t \w+ )?-[AIDNFXP] ")
NEIGH_ADDED = re.compile(r"Neighbor entry added for IP:(\S+), mac:(\S+) on ifc:vx-([0-9a-f]{6})-")


def daemon_events(lines, ids: Ids):
    """The daemon's debug lines that show what libnetwork did, in order: overlay
    networks made on this host, endpoints given addresses, neighbour and FDB
    entries added, external connectivity, iptables commands that change rules."""
    out = []
    for line in lines:
        m = re.search(r'level=debug msg="(.*)"', line)
        if m and EVENTS.search(m.group(1)) and not m.group(1).startswith("form data"):
            msg = m.group(1).replace('\\"', '"')
            if msg.startswith("Creating service config in agent"):  # a whole task in Go syntax
                msg = msg[:120] + " …"
            msg = re.sub(r"\b[0-9a-f]{64}\b", "<id>", ids.norm(msg))
            out.append(msg)
    return out


def programmed_facts(w: World, events):
    """ovl/KEY@HOST/programmed: the neighbour (IP) and FDB (underlay IP) entries
    peerAdd put on the vxlan device, in the order the daemon logged them."""
    facts = []
    vni_key = {}
    for f in w.vni_facts:
        for v in f[1]:
            vni_key[v] = f[0]
    for n in w.sw.nodes:
        per, names = {}, {}
        for e in events.get(n.name, []):
            m = NEIGH_ADDED.search(e)
            if m:
                k = vni_key.get(int(m.group(3), 16), m.group(3))
                per.setdefault(k, []).append(f"{m.group(1)} {m.group(2)}")
                names[k] = e.split("on ifc:", 1)[1].strip()
        vteps = {x.addr for x in w.sw.nodes}
        for k in w.swarm_keys:
            if k in per or overlay_namespace(w, n, k)[1]:
                seq = per.get(k, [])
                facts.append(fact("overlay", f"ovl/{k}@{n.name}/programmed", peer_steps(seq, vteps),
                                  network=k, host=n.name, field="programmed", sequence=seq))
            if k in names:  # the vxlan device's name before it moved into the namespace
                facts.append(fact("overlay", f"ovl/{k}@{n.name}/vxlan_created_as", names[k],
                                  network=k, host=n.name, field="vxlan_created_as"))
    return facts


def peer_steps(seq, vteps):
    """peerAdd's kernel entries per remote endpoint, sorted: `neigh IP MAC, then fdb
    MAC dst VTEP` when the FDB entry came right after its neighbour entry (the
    order between endpoints is the gossip's, which varies: see `sequence`)."""
    out, i = [], 0
    while i < len(seq):
        ip, mac = seq[i].split()
        nxt = seq[i + 1].split() if i + 1 < len(seq) else None
        if ip not in vteps and nxt and nxt[1] == mac and nxt[0] in vteps:
            out.append(f"neigh {ip} {mac}, then fdb {mac} dst {nxt[0]}")
            i += 2
        else:
            out.append(f"{'fdb' if ip in vteps else 'neigh'} {ip} {mac}")
            i += 1
    return sorted(out)


def record_scenario(sc: SwarmScenario, workdir: Path, image_tar: Path, versions, log,
                    keep_logs: Path = None):
    t0 = time.time()
    teardown_all(workdir, log, keep={image_tar.name})
    sw = Swarm(sc.hosts, sc.externals, workdir, log)
    try:
        t_up = time.time()
        timing = sw.up(image_tar)
        running, errors, t_build, tasks = build(sw, sc)
        timing.update(t_build)
        timing["setup"] = time.time() - t_up  # namespaces to the last container started
        w = World(sw, sc, running, tasks)
        w.learn_ids()
        facts = list(errors)
        facts += network_facts(w)
        facts += endpoint_and_route_facts(w)
        facts += service_facts(w)
        facts += lb_endpoints(w)
        conv = wait_converged(w)
        timing["converged"] = conv
        facts += overlay_facts(w)
        facts += host_facts(w)
        t1 = time.time()
        facts += probe_facts(w)
        timing["probes"] = time.time() - t1
        facts += xfrm_stat_facts(w)
        for k, v in timing.items():
            facts.append(fact("timing", f"time/{k}", None if v is None else round(v, 2), unit="s"))
        lines = {n.name: n.daemon_log() for n in sw.nodes}
        events = {h: daemon_events(ls, w.ids) for h, ls in lines.items()}
        facts += programmed_facts(w, events)
        flag_placement(w, facts)
        logs = {h: {"warnings": daemon_log_lines(ls, w.ids), "events": events[h]}
                for h, ls in lines.items()}
        result = {
            "scenario": f"scenarios/{sc.path.name}",
            "project": sc.project,
            "docker": versions,
            "hosts": {n.name: {"address": n.cidr, "netns": n.netns} for n in sw.nodes},
            "externals": dict(sc.externals),
            "recorded": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
            "ids": "Docker's random ids in names are written <KEY.id[:N]> (network KEY's id, "
                   "KEY@HOST for a local network) or <SERVICE.sandbox[:N]>; swarm services: "
                   "<KEY.SLOT.task.id> (a task), <HOST.node.id> (a node)",
            "facts": facts,
            "daemon_log": logs,
        }
    finally:
        try:
            teardown_scenario(sw, sc)
        finally:
            for n in sw.nodes:
                n.stop_daemon()
                if keep_logs and (n.dir / "dockerd.log").exists():
                    keep_logs.mkdir(parents=True, exist_ok=True)
                    sh("cp", str(n.dir / "dockerd.log"), str(keep_logs / f"{sc.path.stem}-{n.name}.log"))
            sw.down(keep={image_tar.name})
    counts = {}
    for f in facts:
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    reach = [f for f in facts if f["kind"] == "reach"]
    rok = sum(1 for f in reach if f["result"] == "reachable")
    log(f"{sc.path.stem}: {len(sw.nodes)} hosts, {len(running)} containers; {len(facts)} facts "
        f"({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}; {rok}/{len(reach)} "
        f"reachable); setup {timing['setup']:.1f}s, converged "
        f"{'never' if conv is None else f'{conv:.1f}s'}, total {time.time() - t0:.0f}s")
    return result


def versions_of(sw: Swarm):
    n = sw.manager
    v = n.versions()
    v["bridge-nf-call-iptables"] = n.in_host("cat", "/proc/sys/net/bridge/bridge-nf-call-iptables",
                                             check=False).stdout.strip()
    v["kernel"] = os.uname().release
    # A new namespace inherits the machine's IPv4 settings (net.core.devconf_inherit_init_net
    # 0): with ip_forward 0 there, dockerd turns it on itself and sets FORWARD's policy
    # to DROP, and the overlay namespaces keep ip_forward 0. Recorded, never changed.
    for k, f in (("machine ip_forward", "/proc/sys/net/ipv4/ip_forward"),
                 ("machine devconf_inherit_init_net", "/proc/sys/net/core/devconf_inherit_init_net")):
        try:
            v[k] = Path(f).read_text().strip()
        except OSError:
            v[k] = None
    v["iproute2"] = sh("ip", "-V").stdout.strip()
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", type=Path,
                    help="scenario files (default: scenarios/*.yaml that need a swarm)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cnmlab-sw"),
                    help="the daemons' private directories (removed at the end)")
    ap.add_argument("--out", type=Path, default=None,
                    help="default: recorded_swarm/, recorded_services/ for files with deploy:")
    ap.add_argument("--log", type=Path, default=None,
                    help="default: record_swarm.log, record_services.log when every file has deploy:")
    ap.add_argument("--keep-logs", type=Path, metavar="DIR",
                    help="copy each daemon's dockerd.log (debug level) to DIR/SCENARIO-HOST.log")
    ap.add_argument("--down", action="store_true",
                    help="only remove what an earlier run left, then exit")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("record_swarm: needs root (network namespaces, dockerd)")
    for tool in (DOCKER, DOCKERD, BUSYBOX, "/usr/bin/nsenter", "/usr/bin/unshare"):
        if not Path(tool).exists():
            sys.exit(f"record_swarm: {tool} is missing (apt-get install docker.io busybox-static)")
    workdir = a.workdir.resolve()
    if a.down:
        teardown_all(workdir, print)
        return 0
    scenarios = a.scenarios or sorted(p for p in (HERE / "scenarios").glob("*.yaml")
                                      if record.needs_swarm(p))
    def has_deploy(p):
        doc = yaml.safe_load(p.read_text()) or {}
        return any((v or {}).get("deploy") is not None for v in (doc.get("services") or {}).values())

    def out_dir(p):  # the C++ test reads recorded_swarm/; services are not run by cnmlab yet
        return a.out or HERE / ("recorded_services" if has_deploy(p) else "recorded_swarm")
    if a.log is None:
        a.log = HERE / ("record_services.log" if all(has_deploy(p) for p in scenarios)
                        else "record_swarm.log")
    logf = open(a.log, "w")

    def log(msg):
        line = f"{datetime.datetime.now().strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    image_tar = workdir / "image.tar"
    failed = len(scenarios)
    t0 = time.time()
    try:
        teardown_all(workdir, log)
        workdir.mkdir(parents=True)
        probe = Swarm(DEFAULT_HOSTS, {}, workdir, log)
        probe.up(image_tar)
        versions = versions_of(probe)
        probe.down(keep={image_tar.name})
        log(f"dockerd {versions['server']} (API {versions['api']}, containerd "
            f"{versions['containerd']}), kernel {versions['kernel']}; namespaces {PREFIX}*, "
            f"work directory {workdir}")
        failed = 0
        for path in scenarios:
            try:
                result = record_scenario(SwarmScenario(path), workdir, image_tar, versions, log,
                                         a.keep_logs)
            except Exception as e:  # one scenario's failure is reported; the others go on
                failed += 1
                log(f"{path.stem}: FAILED: {type(e).__name__}: {e}")
                continue
            out = out_dir(path)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{path.stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    finally:
        teardown_all(workdir, log)
        log(f"done: {len(scenarios) - failed} recorded, {failed} failed in "
            f"{time.time() - t0:.0f}s; cleaned up")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
