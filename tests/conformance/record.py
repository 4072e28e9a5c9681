#!/usr/bin/env python3
"""Records what a real Docker 20.10 daemon does for each conformance scenario.

Run through record.sh (as root). For every tests/conformance/scenarios/*.yaml it
starts a private dockerd in its own network namespace, creates the scenario's
networks and containers as Compose would name them, records IPAM facts,
routes, reachability and embedded-DNS answers, removes everything, and writes
tests/conformance/recorded/<scenario>.json. See README.md beside this file.

The machine is left as it was: dockerd, containerd, the containers and every
iptables rule live in the network namespace `cnmlab-rec` (whose only
interface is a veth pair carrying the Docker host's address, 192.168.100.11/24,
cnmlab's default host1), and in a private mount namespace with its own /run and
cgroup mounts. Traffic never leaves that namespace: the namespace has no
default route, and the daemon's only upstream DNS server is 127.0.0.1
(`--dns 127.0.0.1`), which the embedded DNS server asks from inside each
container, where nothing listens: names it does not know time out.
"""

import argparse
import datetime
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

try:
    import yaml  # Debian: python3-yaml
except ImportError:  # pragma: no cover
    sys.exit("record: needs PyYAML (apt-get install python3-yaml)")

HERE = Path(__file__).resolve().parent
NETNS = "cnmlab-rec"
HOST = "host1"
HOST_ADDR = "192.168.100.11"
HOST_CIDR = HOST_ADDR + "/24"  # cnmlab's default underlay of host1 (SPEC §1)
IMAGE = "cnmlab-busybox:rec"
DOCKER = "/usr/bin/docker"
DOCKERD = "/usr/sbin/dockerd"
BUSYBOX = "/usr/bin/busybox"
APPLETS = ["sh", "sleep", "nc", "ping", "nslookup", "ip", "wget", "cat", "echo", "true",
           "ls", "ps", "tr", "wait", "hostname"]
BANNER = "cnmlab-ok"
NOSUCH = "nosuch-name"


class Recorder:
    def __init__(self, workdir: Path, log, netns=NETNS):
        self.dir = workdir
        self.log = log
        self.netns = netns  # also the cgroup parent of the containers
        self.env = dict(os.environ, DOCKER_HOST=f"unix://{workdir}/docker.sock")
        self.dockerd = None

    # ---- processes ---------------------------------------------------------

    def run(self, *args, check=True, timeout=120):
        r = subprocess.run(list(args), env=self.env, capture_output=True, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {r.stderr.strip()}")
        return r

    def docker(self, *args, check=True):
        return self.run(DOCKER, *args, check=check)

    def in_host(self, *args, **kw):
        return self.run("nsenter", f"--net=/run/netns/{self.netns}", *args, **kw)

    @staticmethod
    def ours(pid: int, needle: str) -> bool:
        try:
            return needle in Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
        except OSError:
            return False

    @staticmethod
    def stop_pid(pid: int, wait=30.0):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        end = time.time() + wait
        while time.time() < end:
            if not Path(f"/proc/{pid}").exists():
                return
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.2)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    # ---- the namespace, the daemon and the image ----------------------------

    def teardown(self):
        """Removes whatever this recorder left, from this run or a crashed one."""
        f = self.dir / "dockerd.pid"
        if f.exists():
            pid = int(f.read_text().strip() or 0)
            if pid and self.ours(pid, str(self.dir)):
                self.stop_pid(pid)
            f.unlink(missing_ok=True)
        # Leftovers of a crash: processes in our namespace (shims, containerd) and
        # container processes in our cgroup parent. Each is ended by its id.
        if Path(f"/run/netns/{self.netns}").exists():
            pids = subprocess.run(["ip", "netns", "pids", self.netns], capture_output=True,
                                  text=True).stdout.split()
            for p in pids:
                self.stop_pid(int(p), wait=5)
        for procs in Path("/sys/fs/cgroup").glob(f"*/{self.netns}/*/cgroup.procs"):
            for p in procs.read_text().split():
                self.stop_pid(int(p), wait=5)
        if Path(f"/run/netns/{self.netns}").exists():
            subprocess.run(["ip", "netns", "del", self.netns], check=True)
        for cg in sorted(Path("/sys/fs/cgroup").glob(f"*/{self.netns}/**/"), reverse=True):
            try:
                cg.rmdir()
            except OSError:
                pass
        if any(str(self.dir) in line for line in Path("/proc/self/mounts").read_text().splitlines()):
            raise RuntimeError(f"something is mounted under {self.dir}; not removing it")
        subprocess.run(["rm", "-rf", "--one-file-system", str(self.dir)], check=True)

    def setup_netns(self):
        subprocess.run(["ip", "netns", "add", self.netns], check=True)
        for cmd in (["ip", "link", "set", "lo", "up"],
                    ["ip", "link", "add", "eth0", "type", "veth", "peer", "name", "lan0"],
                    ["ip", "addr", "add", HOST_CIDR, "dev", "eth0"],
                    ["ip", "link", "set", "lan0", "up"],
                    ["ip", "link", "set", "eth0", "up"]):
            self.in_host(*cmd)

    @staticmethod
    def cgroup_mounts() -> str:
        """Shell lines that mount the machine's cgroup hierarchies again inside the
        private mount namespace (`ip netns exec` remounts /sys, which drops them)."""
        lines = ["mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup"]
        found = False
        for line in Path("/proc/self/mounts").read_text().splitlines():
            dev, where, fstype, opts = line.split()[:4]
            if not where.startswith("/sys/fs/cgroup"):
                continue
            keep = [o for o in opts.split(",") if o not in ("rw", "ro", "relatime", "nosuid",
                                                              "nodev", "noexec")
                    and not o.startswith("nsdelegate")]
            if fstype == "cgroup2" and where == "/sys/fs/cgroup":
                return "mount -t cgroup2 cgroup2 /sys/fs/cgroup"
            if fstype in ("cgroup", "cgroup2"):
                found = True
                o = ",".join(keep)
                if fstype == "cgroup" and all(k.startswith("name=") for k in keep):
                    o = "none," + o
                o = f" -o {o}" if o else ""
                lines.append(f"mkdir -p {where} && mount -t {fstype}{o} {dev} {where}")
        if not found:  # nothing mounted on the machine: mount v1 controllers ourselves
            for line in Path("/proc/cgroups").read_text().splitlines()[1:]:
                c = line.split()[0]
                lines.append(f"mkdir -p /sys/fs/cgroup/{c} && "
                             f"(mount -t cgroup -o {c} cgroup /sys/fs/cgroup/{c} || true)")
        return "\n".join(lines)

    def daemon_script(self) -> str:
        """The shell lines that run in the namespace: own /run, cgroups, then dockerd."""
        d = self.dir
        return "\n".join([
            "set -e",
            f"mount -t tmpfs -o mode=755 {self.netns}-run /run",
            self.cgroup_mounts(),
            f"exec {DOCKERD} --data-root {d}/data --exec-root {d}/exec"
            f" --host unix://{d}/docker.sock --pidfile {d}/dockerd.pid --storage-driver vfs"
            f" --dns 127.0.0.1 --cgroup-parent {self.netns}",
        ])

    def daemon_argv(self) -> list:
        return ["ip", "netns", "exec", self.netns, "sh", "-c", self.daemon_script()]

    def start_daemon(self):
        d = self.dir
        for sub in ("data", "exec"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        logf = open(d / "dockerd.log", "a")
        self.dockerd = subprocess.Popen(self.daemon_argv(), stdout=logf, stderr=subprocess.STDOUT)
        for _ in range(150):
            if self.dockerd.poll() is not None:
                raise RuntimeError(f"dockerd exited; see {d}/dockerd.log")
            if self.docker("version", check=False).returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"dockerd did not answer; see {d}/dockerd.log")

    def stop_daemon(self):
        if self.dockerd is not None:
            self.stop_pid(self.dockerd.pid)
            self.dockerd.wait()
            self.dockerd = None
            (self.dir / "dockerd.pid").unlink(missing_ok=True)

    def import_image(self):
        if self.docker("image", "inspect", IMAGE, check=False).returncode == 0:
            return
        root = self.dir / "rootfs"
        (root / "bin").mkdir(parents=True, exist_ok=True)
        for sub in ("etc", "tmp", "proc", "sys", "dev"):
            (root / sub).mkdir(exist_ok=True)
        subprocess.run(["cp", BUSYBOX, str(root / "bin/busybox")], check=True)
        for a in APPLETS:
            (root / "bin" / a).unlink(missing_ok=True)
            (root / "bin" / a).symlink_to("busybox")
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run([DOCKER, "import", "-", IMAGE], stdin=tar.stdout, env=self.env,
                       check=True, capture_output=True)
        tar.wait()

    def versions(self):
        v = json.loads(self.docker("version", "--format", "{{json .}}").stdout)
        return {"server": v["Server"]["Version"], "api": v["Server"]["ApiVersion"],
                "client": v["Client"]["Version"],
                "containerd": next((c["Version"] for c in v["Server"].get("Components", [])
                                    if c["Name"] == "containerd"), "")}


# ---- the scenario, read as Compose reads it (the subset the scenarios use) ----

def parse_ports(entries):
    """Compose `ports` -> [(host_ip|None, published_first, published_last, target_first, proto)]."""
    out = []
    for e in entries or []:
        if isinstance(e, dict):
            pub = str(e.get("published", "") or "")
            a, _, b = pub.partition("-")
            t = int(e["target"])
            out.append((e.get("host_ip"), int(a) if a else 0, int(b or a or 0), t,
                        e.get("protocol", "tcp")))
            continue
        s, _, proto = str(e).partition("/")
        parts = s.split(":")
        host_ip = parts[0] if len(parts) == 3 else None
        pub = parts[-2] if len(parts) >= 2 else ""
        tgt = parts[-1]
        pa, _, pb = pub.partition("-")
        ta, _, tb = tgt.partition("-")
        for i in range(int(tb or ta) - int(ta) + 1):
            p = int(pa) + i if pa else 0
            out.append((host_ip, p, p, int(ta) + i, proto or "tcp"))
    return out


def port_list(entries):
    out = []
    for e in entries or []:
        p, _, proto = str(e).partition("/")
        if (proto or "tcp") == "tcp":
            out.append(int(p))
    return out


def needs_swarm(path: Path) -> bool:
    """SPEC §1a: a file with an overlay network or a `deploy:` service runs on a
    swarm of its x-hosts; record_swarm.py records those, this recorder does not."""
    try:
        doc = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return False
    return any((v or {}).get("driver") == "overlay" for v in (doc.get("networks") or {}).values()) \
        or any((v or {}).get("deploy") is not None for v in (doc.get("services") or {}).values())


class Scenario:
    def __init__(self, path: Path):
        self.path = path
        doc = yaml.safe_load(path.read_text())
        self.project = doc.get("name") or re.sub(r"[^a-z0-9_-]", "", path.stem.lower())
        self.networks = {}  # key -> spec, file order
        for k, v in (doc.get("networks") or {}).items():
            self.networks[k] = v or {}
        self.services = {}
        for k, v in (doc.get("services") or {}).items():
            self.services[k] = self.read_service(k, v or {})
        needs_default = any(s["mode"] == "default" and not s["networks_given"]
                            for s in self.services.values())
        self.implicit_default = needs_default and "default" not in self.networks
        if self.implicit_default:
            self.networks["default"] = {}
        steps = (doc.get("x-conformance") or {}).get("steps") or []
        self.steps = steps
        self.extra_names = (doc.get("x-conformance") or {}).get("resolve") or []
        self.later_services = {s for st in steps for s in st.get("add", [])}
        self.later_networks = {n for st in steps for n in st.get("add_networks", [])}

    def read_service(self, key, v):
        nets = v.get("networks")
        mode = v.get("network_mode") or "default"
        s = {"key": key, "mode": mode, "networks_given": nets is not None, "nets": [],
             "name": v.get("container_name") or f"{self.project}-{key}-1",
             "ports": parse_ports(v.get("ports")),
             "listen": []}
        if mode == "default":
            if nets is None:
                nets = ["default"]
            items = nets.items() if isinstance(nets, dict) else [(n, None) for n in nets]
            for nk, cfg in items:
                cfg = cfg or {}
                s["nets"].append({"key": nk, "aliases": list(cfg.get("aliases") or []),
                                  "ip": cfg.get("ipv4_address")})
        listen = port_list(v.get("x-listen")) + port_list(v.get("expose"))
        listen += [p[3] for p in s["ports"] if p[4] == "tcp"]
        s["listen"] = sorted(set(listen))
        return s

    def net_name(self, key):
        if key in ("bridge", "host", "none"):
            return key
        return self.networks[key].get("name") or f"{self.project}_{key}"

    def network_order(self, keys):
        """cnmlab's order (README): explicit subnets first, then the others, file
        order; the implicit default network last."""
        def explicit(k):
            cfg = (self.networks[k].get("ipam") or {}).get("config") or []
            return any(c.get("subnet") for c in cfg)
        ks = [k for k in self.networks if k in keys]
        last = ["default"] if self.implicit_default and "default" in ks else []
        ks = [k for k in ks if k not in last]
        return [k for k in ks if explicit(k)] + [k for k in ks if not explicit(k)] + last

    def service_order(self, keys):
        """Static addresses first, then dynamic ones, file order; shared namespaces last."""
        ks = [k for k in self.services if k in keys]
        own = [k for k in ks if not self.services[k]["mode"].startswith(("service:", "container:"))]
        static = [k for k in own if any(n["ip"] for n in self.services[k]["nets"])]
        return static + [k for k in own if k not in static] + [k for k in ks if k not in own]


# ---- building the scenario on the daemon ------------------------------------

def create_network(rec: Recorder, sc: Scenario, key):
    spec = sc.networks[key]
    args = ["network", "create", "--driver", spec.get("driver", "bridge")]
    if spec.get("internal"):
        args.append("--internal")
    if spec.get("attachable"):
        args.append("--attachable")
    for k, v in (spec.get("driver_opts") or {}).items():
        args += ["-o", f"{k}={v}"]
    for c in (spec.get("ipam") or {}).get("config") or []:
        if c.get("subnet"):
            args += ["--subnet", c["subnet"]]
        if c.get("ip_range"):
            args += ["--ip-range", c["ip_range"]]
        if c.get("gateway"):
            args += ["--gateway", c["gateway"]]
        for n, a in (c.get("aux_addresses") or {}).items():
            args += ["--aux-address", f"{n}={a}"]
    rec.docker(*args, sc.net_name(key))


def listener_cmd(ports):
    loops = "".join(f"nc -ll -p {p} -e echo {BANNER} & " for p in ports)
    return ["sh", "-c", f"{loops}exec sleep 2147483647"]


def create_container(rec: Recorder, sc: Scenario, key):
    s = sc.services[key]
    args = ["create", "--name", s["name"]]
    mode = s["mode"]
    nets = sorted(s["nets"], key=lambda n: sc.net_name(n["key"]))  # Compose: by name
    if mode == "default":
        first = nets[0]
        args += ["--network", sc.net_name(first["key"])]
        for a in [key] + first["aliases"]:
            args += ["--network-alias", a]
        if first["ip"]:
            args += ["--ip", first["ip"]]
    elif mode.startswith(("service:", "container:")):
        target = mode.split(":", 1)[1]
        name = sc.services[target]["name"] if mode.startswith("service:") else target
        args += ["--network", f"container:{name}"]
    else:
        args += ["--network", mode]
    for host_ip, pf, pl, t, proto in s["ports"]:
        pub = f"{pf}:" if pf else ""
        hip = f"{host_ip}:" if host_ip else ""
        args += ["-p", f"{hip}{pub}{t}/{proto}"]
    rec.docker(*args, IMAGE, *listener_cmd(s["listen"]))
    if mode == "default":
        for n in nets[1:]:
            extra = []
            for a in [key] + n["aliases"]:
                extra += ["--alias", a]
            if n["ip"]:
                extra += ["--ip", n["ip"]]
            rec.docker("network", "connect", *extra, sc.net_name(n["key"]), s["name"])
    rec.docker("start", s["name"])


def build(rec: Recorder, sc: Scenario):
    nets_now = [k for k in sc.networks if k not in sc.later_networks]
    for k in sc.network_order(nets_now):
        create_network(rec, sc, k)
    up = [k for k in sc.services if k not in sc.later_services]
    for k in sc.service_order(up):
        create_container(rec, sc, k)
    running = set(up)
    networks = set(nets_now)
    for st in sc.steps:
        for k in st.get("remove", []):
            rec.docker("rm", "-f", sc.services[k]["name"])
            running.discard(k)
        for n in st.get("remove_networks", []):
            rec.docker("network", "rm", sc.net_name(n))
            networks.discard(n)
        for n in sc.network_order(st.get("add_networks", [])):
            create_network(rec, sc, n)
            networks.add(n)
        for k in sc.service_order(st.get("add", [])):
            create_container(rec, sc, k)
            running.add(k)
    time.sleep(0.5)  # listeners
    return running, networks


def teardown_scenario(rec: Recorder, sc: Scenario):
    names = [s["name"] for s in sc.services.values()]
    rec.docker("rm", "-f", *names, check=False)
    for k in sc.networks:
        rec.docker("network", "rm", sc.net_name(k), check=False)


# ---- recording ---------------------------------------------------------------

def inspect_facts(rec: Recorder, sc: Scenario, running, networks):
    facts = []
    gw = {}
    name_to_key = {sc.net_name(k): k for k in networks}
    name_to_key["bridge"] = "bridge"
    for k in ["bridge"] + [k for k in sc.networks if k in networks]:
        info = json.loads(rec.docker("network", "inspect", sc.net_name(k)).stdout)[0]
        cfg = (info.get("IPAM") or {}).get("Config") or [{}]
        subnet = str(ipaddress.ip_network(cfg[0]["Subnet"], strict=False))
        # `network inspect` echoes the user's IPAM config (no Gateway when only a
        # subnet was given); the bridge's own address is what Docker allocated.
        dev = (info.get("Options") or {}).get("com.docker.network.bridge.name") \
            or ("docker0" if k == "bridge" else "br-" + info["Id"][:12])
        addr = rec.in_host("ip", "-4", "-o", "addr", "show", "dev", dev, check=False).stdout.split()
        gateway = addr[3].split("/")[0] if len(addr) > 3 else cfg[0].get("Gateway", "")
        gw[k] = gateway
        facts.append({"id": f"net/{k}/subnet", "kind": "network", "network": k,
                      "field": "subnet", "value": subnet})
        facts.append({"id": f"net/{k}/gateway", "kind": "network", "network": k,
                      "field": "gateway", "value": gateway})
        facts.append({"id": f"net/{k}/internal", "kind": "network", "network": k,
                      "field": "internal", "value": bool(info.get("Internal"))})
    endpoints = {}  # service -> [(net key, ip)]
    for k in sc.services:
        if k not in running:
            continue
        s = sc.services[k]
        info = json.loads(rec.docker("inspect", s["name"]).stdout)[0]
        eps = []
        for nname, ep in sorted((info["NetworkSettings"]["Networks"] or {}).items()):
            if not ep.get("IPAddress"):
                continue
            nk = name_to_key.get(nname, nname)
            eps.append((nk, ep["IPAddress"]))
            if s["mode"].startswith(("service:", "container:")):
                continue
            for field, value in (("ipv4", ep["IPAddress"]), ("prefix", ep["IPPrefixLen"]),
                                 ("mac", ep["MacAddress"])):
                facts.append({"id": f"ep/{k}/{nk}/{field}", "kind": "endpoint", "service": k,
                              "network": nk, "field": field, "value": value})
        endpoints[k] = eps
    return facts, gw, endpoints


def route_facts(rec: Recorder, sc: Scenario, running, endpoints):
    facts = []
    for k in sc.services:
        s = sc.services[k]
        if k not in running or s["mode"] == "host":
            continue
        addr = rec.docker("exec", s["name"], "ip", "-4", "-o", "addr").stdout
        dev_net = {}
        for line in addr.splitlines():
            f = line.split()
            ip = f[3].split("/")[0]
            eps = endpoints.get(sandbox_owner(sc, k), [])  # service: shares its owner's
            dev_net[f[1]] = next((nk for nk, a in eps if a == ip), f[1])
        routes = []
        default = "none"
        for line in rec.docker("exec", s["name"], "ip", "-4", "route").stdout.splitlines():
            f = line.split()
            dev = f[f.index("dev") + 1] if "dev" in f else ""
            via = f[f.index("via") + 1] if "via" in f else None
            r = f"{f[0]}" + (f" via {via}" if via else "") + f" ({dev_net.get(dev, dev)})"
            routes.append(r)
            if f[0] == "default":
                default = r.removeprefix("default ")
        facts.append({"id": f"route/{k}/default", "kind": "route", "service": k,
                      "field": "default", "value": default})
        facts.append({"id": f"route/{k}/table", "kind": "route", "service": k,
                      "field": "table", "value": sorted(routes)})
    return facts


def sandbox_owner(sc: Scenario, k):
    """The service whose namespace `k` lives in ('host1' for host mode)."""
    mode = sc.services[k]["mode"]
    if mode == "host":
        return HOST
    if mode.startswith("service:"):
        return sandbox_owner(sc, mode.split(":", 1)[1])
    return k


def probe_plan(sc: Scenario, running, gw, endpoints):
    """Every probe to run: (source, fact) with fact carrying id/from/to/dst/proto/port."""
    published = []  # (host_ip, port)
    host_listen = []
    shared_ports = {}  # owner service -> ports listening in its namespace
    for k in running:
        s = sc.services[k]
        owner = sandbox_owner(sc, k)
        shared_ports.setdefault(owner, set()).update(s["listen"])
        published += [(p[0], p[1]) for p in s["ports"] if p[1] and p[4] == "tcp"]
        if s["mode"] == "host":
            host_listen += s["listen"]
    sources = [k for k in sc.services if k in running] + [HOST]
    plan = []

    def add(src, to, dst, proto, port=None, **extra):
        tag = f"{to}" if "network" not in extra else f"{to}@{extra['network']}"
        fid = f"{proto} {src}->{tag}" + (f":{port}" if port else "")
        plan.append((src, {"id": fid, "kind": "reach", "from": src, "to": to, "dst": dst,
                           "proto": proto, "port": port, **extra}))

    for src in sources:
        mine = sandbox_owner(sc, src) if src != HOST else HOST
        for t in sc.services:
            if t not in running or sandbox_owner(sc, t) != t or t == mine:
                continue
            for nk, ip in endpoints.get(t, []):
                add(src, t, ip, "icmp", network=nk)
                for p in sorted(shared_ports.get(t, ())):
                    add(src, t, ip, "tcp", p, network=nk)
        if mine != HOST:
            for nk, g in gw.items():
                if g:
                    add(src, f"gw:{nk}", g, "icmp", target={"gateway": nk})
                    for p in sorted({p for _, p in published}):
                        add(src, f"gw:{nk}", g, "tcp", p, target={"gateway": nk})
        add(src, HOST, HOST_ADDR, "icmp", target={"host": HOST})
        for p in sorted({p for _, p in published} | set(host_listen)):
            add(src, HOST, HOST_ADDR, "tcp", p, target={"host": HOST})
        if mine == HOST:
            for p in sorted({p for _, p in published} | set(host_listen)):
                add(src, "127.0.0.1", "127.0.0.1", "tcp", p, target={"address": "127.0.0.1"})
    return plan


def probe_script(probes, dns) -> str:
    """A busybox shell script that runs the probes and DNS questions in parallel,
    one output line each (`@i ...` for probe i, `#j ...` for question j)."""
    lines = []
    for i, f in enumerate(probes):
        if f["proto"] == "icmp":
            cmd = f"ping -c1 -W1 {f['dst']} >/dev/null 2>&1 && echo '@{i} ok' || echo '@{i} fail'"
        else:
            cmd = (f"o=$(nc -w1 {f['dst']} {f['port']} </dev/null 2>&1); r=$?; "
                   f"echo \"@{i} rc=$r $(echo $o | tr '\\n' ' ')\"")
        lines.append(f"( {cmd} ) &")
    for j, name in enumerate(dns):
        lines.append(f"( o=$(nslookup -type=a -timeout=1 -retry=1 {name} 127.0.0.11 2>&1); "
                     f"echo \"#{j} $(echo \"$o\" | tr '\\n' '|')\" ) &")
    lines.append("wait")
    return "\n".join(lines)


def parse_probe_output(out: str):
    """probe_script's output -> ({probe index: raw}, {question index: raw})."""
    res, dres = {}, {}
    for line in out.splitlines():
        if line.startswith("@"):
            i, _, rest = line[1:].partition(" ")
            res[int(i)] = rest
        elif line.startswith("#"):
            j, _, rest = line[1:].partition(" ")
            dres[int(j)] = rest
    return res, dres


def set_reach_result(f, raw):
    """Writes result/raw (and detail) of a reach fact from its probe's raw output."""
    if f["proto"] == "icmp":
        ok = raw == "ok"
    else:
        ok = raw.startswith("rc=0") and BANNER in raw
        if raw.startswith("rc=0") and not ok:
            f["detail"] = "connected, but no answer from a listener"
    f["result"] = "reachable" if ok else "unreachable"
    f["raw"] = raw


def run_probes(rec: Recorder, sc: Scenario, src, probes, dns):
    """Runs one source's probes in parallel in its namespace; one output line each."""
    script = probe_script(probes, dns)
    if src == HOST:
        out = rec.in_host(BUSYBOX, "sh", "-c", script, check=False).stdout
    else:
        out = rec.docker("exec", sc.services[src]["name"], "sh", "-c", script, check=False).stdout
    return parse_probe_output(out)


def parse_nslookup(out: str):
    answers = []
    in_answer = False
    for part in out.split("|"):
        if part.startswith("Name:"):
            in_answer = True
        elif in_answer and part.startswith("Address:"):
            answers.append(part.split()[-1])
    if answers:
        return "answer", sorted(answers, key=lambda a: ipaddress.ip_address(a))
    if "NXDOMAIN" in out:
        return "nxdomain", []
    if "SERVFAIL" in out:
        return "servfail", []
    if "REFUSED" in out:
        return "refused", []
    if "Connection refused" in out:
        return "noserver", []
    if "timed out" in out:
        return "timeout", []
    return "nodata", []


def dns_names(sc: Scenario):
    names = []
    for k, s in sc.services.items():
        names += [k, s["name"]]
        for n in s["nets"]:
            names += n["aliases"]
    names += sc.extra_names
    names.append(NOSUCH)
    return list(dict.fromkeys(names))


def record_scenario(rec: Recorder, sc: Scenario, versions):
    t0 = time.time()
    rec.start_daemon()
    try:
        teardown_scenario(rec, sc)  # a crashed run's leftovers
        rec.import_image()
        running, networks = build(rec, sc)
        facts, gw, endpoints = inspect_facts(rec, sc, running, networks)
        facts += route_facts(rec, sc, running, endpoints)
        ep_name = {ip: f"{k}@{nk}" for k, eps in endpoints.items() for nk, ip in eps
                   if sandbox_owner(sc, k) == k}
        plan = probe_plan(sc, running, gw, endpoints)
        names = dns_names(sc)
        for src in [k for k in sc.services if k in running] + [HOST]:
            probes = [f for s, f in plan if s == src]
            dns = names if src != HOST else []
            res, dres = run_probes(rec, sc, src, probes, dns)
            for i, f in enumerate(probes):
                set_reach_result(f, res.get(i, "missing"))
                facts.append(f)
            for j, name in enumerate(dns):
                status, answers = parse_nslookup(dres.get(j, "missing"))
                facts.append({"id": f"dns {src}?{name}", "kind": "dns", "from": src,
                              "name": name, "status": status, "answers": answers,
                              "endpoints": [ep_name.get(a, a) for a in answers]})
        result = {
            "scenario": f"scenarios/{sc.path.name}",
            "project": sc.project,
            "docker": versions,
            "host": {"name": HOST, "address": HOST_CIDR},
            "recorded": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
            "steps": sc.steps,
            "facts": facts,
        }
    finally:
        teardown_scenario(rec, sc)
        rec.stop_daemon()
    counts = {}
    for f in facts:
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    reach = [f for f in facts if f["kind"] == "reach"]
    rok = sum(1 for f in reach if f["result"] == "reachable")
    rec.log(f"{sc.path.stem}: {len(networks)} networks, {len(running)} containers; "
            f"{len(facts)} facts ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}; "
            f"{rok}/{len(reach)} reachable) in {time.time() - t0:.0f}s")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", type=Path,
                    help="scenario files (default: scenarios/*.yaml beside this script)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cnmlab-rec"),
                    help="the daemon's private directory (removed at the end)")
    ap.add_argument("--out", type=Path, default=HERE / "recorded")
    ap.add_argument("--log", type=Path, default=HERE / "record.log")
    ap.add_argument("--keep", action="store_true", help="keep the workdir (dockerd.log)")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("record: needs root (network namespaces, dockerd)")
    for tool in (DOCKER, DOCKERD, BUSYBOX):
        if not Path(tool).exists():
            sys.exit(f"record: {tool} is missing (apt-get install docker.io busybox-static)")
    scenarios = a.scenarios or sorted(p for p in (HERE / "scenarios").glob("*.yaml")
                                      if not needs_swarm(p))
    a.out.mkdir(parents=True, exist_ok=True)
    logf = open(a.log, "w")

    def log(msg):
        line = f"{datetime.datetime.now().strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    rec = Recorder(a.workdir.resolve(), log)
    rec.teardown()
    failed = len(scenarios)
    try:
        rec.dir.mkdir(parents=True)
        rec.setup_netns()
        rec.start_daemon()
        rec.import_image()
        versions = rec.versions()
        failed = 0
        versions["bridge-nf-call-iptables"] = rec.in_host(
            "cat", "/proc/sys/net/bridge/bridge-nf-call-iptables").stdout.strip()
        rec.stop_daemon()
        log(f"dockerd {versions['server']} (API {versions['api']}, containerd "
            f"{versions['containerd']}) in netns {NETNS}, host address {HOST_CIDR}, "
            f"vfs, data root {rec.dir}/data")
        for path in scenarios:
            try:
                result = record_scenario(rec, Scenario(path), versions)
            except Exception as e:  # one scenario's failure is reported; the others go on
                failed += 1
                log(f"{path.stem}: FAILED: {e}")
                continue
            (a.out / f"{path.stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    finally:
        rec.stop_daemon()
        if a.keep:
            log(f"kept {rec.dir}")
            subprocess.run(["ip", "netns", "del", NETNS], check=False)
        else:
            rec.teardown()
        log(f"done: {len(scenarios) - failed} recorded, {failed} failed; "
            + ("cleaned up" if not a.keep else "workdir kept"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
