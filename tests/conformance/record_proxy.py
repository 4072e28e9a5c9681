#!/usr/bin/env python3
"""Records what a client sees through Docker 20.10's docker-proxy.

Run as root (through `record_proxy.sh`, under the machine's build lock). It uses
record.py's private daemon (network namespace `cnmlab-rec`, its own /run and
data root; nothing of the machine is touched), builds the topology of
proxy/docker-proxy.yaml:

    network proxy_front (bridge)
    web   -p 8080:80 -p 8081:81 -p 8082:82 -p 8083:83/udp -p 8084:84/udp
    peer  (a second container on the same bridge: hairpin clients)

and gives `web` three kinds of port, each run from the host (python3 inside
the container's network namespace, entered by its pid; the container itself
only sleeps):

    80/tcp, 83/udp  a listener: TCP writes `cnmlab proxy-web-1 80\\n` and closes
                    (cnmlab's greeting), UDP echoes; both note the peer address
    81/tcp, 84/udp  nothing listens (the container's kernel answers RST / ICMP
                    port unreachable)
    82/tcp          the container drops: an iptables DROP in its own INPUT

Then clients connect from the Docker host to 127.0.0.1:PORT and to its own
address (192.168.100.11:PORT), and from `peer` to the bridge's gateway and to
the host's address, and write down what they saw: whether connect() succeeded,
the bytes that arrived, how the connection ended (EOF, reset, still open) and
after how long; for UDP, the answer on a connected socket and the source of the
answer on an unconnected one. The listener's notes say which address the
container saw: docker-proxy's own connection (the second leg) comes from the
bridge's gateway, a DNATed one from the client itself.

Writes proxy/docker-proxy.json beside this script. The longest wait is the
dropped case: docker-proxy's own connect() gives up only after the kernel's SYN
retries (net.ipv4.tcp_syn_retries=6: about 127 s), so a run takes about
2.5 minutes.
"""

import argparse
import datetime
import errno
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "proxy" / "docker-proxy.json"
PROJECT = "proxy"
NETWORK = f"{PROJECT}_front"
WEB = f"{PROJECT}-web-1"
PEER = f"{PROJECT}-peer-1"
LISTENING_TCP, REFUSING_TCP, DROPPING_TCP = 80, 81, 82
LISTENING_UDP, REFUSING_UDP = 83, 84
PUBLISHED = {80: 8080, 81: 8081, 82: 8082, 83: 8083, 84: 8084}
CONNECT_TIMEOUT = 5.0
# How long a client waits for bytes or the end of a connection: beyond the
# kernel's default SYN retries (1+2+4+8+16+32+64 s = 127 s), so the dropped
# case shows when docker-proxy gives up.
READ_TIMEOUT = 150.0
UDP_TIMEOUT = 3.0


# ---- the helpers that run inside a namespace (this file, run again) ----------

def serve(ports_tcp, ports_udp, log_path):
    """TCP: greet each client with one line and close; UDP: echo. One JSON line
    per connection or datagram in log_path: which address the container saw."""
    log = open(log_path, "a", buffering=1)
    lock = threading.Lock()

    def note(**kw):
        with lock:
            log.write(json.dumps(kw) + "\n")

    def tcp(port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(64)
        while True:
            c, peer = s.accept()
            note(proto="tcp", port=port, peer=peer[0])
            c.sendall(f"cnmlab {WEB} {port}\n".encode())
            c.close()

    def udp(port):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", port))
        while True:
            data, peer = s.recvfrom(2048)
            note(proto="udp", port=port, peer=peer[0])
            s.sendto(data, peer)

    threads = [threading.Thread(target=tcp, args=(p,), daemon=True) for p in ports_tcp]
    threads += [threading.Thread(target=udp, args=(p,), daemon=True) for p in ports_udp]
    for t in threads:
        t.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def tcp_client(dst, port):
    """What a client sees: connect, then read until EOF, reset or READ_TIMEOUT."""
    out = {"connect": None, "bytes": "", "end": None, "seconds": None}
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(CONNECT_TIMEOUT)
    t0 = time.monotonic()
    try:
        s.connect((dst, port))
        out["connect"] = "ok"
    except socket.timeout:
        out["connect"] = "timeout"
    except OSError as e:
        out["connect"] = errno.errorcode.get(e.errno, str(e))
    if out["connect"] != "ok":
        out["seconds"] = round(time.monotonic() - t0, 1)
        s.close()
        return out
    s.settimeout(READ_TIMEOUT)
    data = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                out["end"] = "eof"
                break
            data += chunk
    except socket.timeout:
        out["end"] = "open"  # neither bytes nor an end within READ_TIMEOUT
    except OSError as e:
        out["end"] = "reset" if e.errno == errno.ECONNRESET else errno.errorcode.get(e.errno, str(e))
    out["seconds"] = round(time.monotonic() - t0, 1)
    out["bytes"] = data.decode(errors="replace")
    s.close()
    return out


def udp_client(dst, port):
    """A datagram on a connected socket (as cnmlab's live probe sends it), and
    one on an unconnected socket, whose answer's source address is kept."""
    out = {}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(UDP_TIMEOUT)
    s.connect((dst, port))
    try:
        s.send(b"cnmlab-udp")
        out["connected"] = "answer:" + s.recv(2048).decode(errors="replace")
    except socket.timeout:
        out["connected"] = "timeout"
    except OSError as e:
        out["connected"] = errno.errorcode.get(e.errno, str(e))
    s.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(UDP_TIMEOUT)
    u.sendto(b"cnmlab-udp", (dst, port))
    try:
        data, src = u.recvfrom(2048)
        out["unconnected"] = "answer:" + data.decode(errors="replace")
        out["answer_from"] = f"{src[0]}:{src[1]}"
    except socket.timeout:
        out["unconnected"] = "timeout"
    except OSError as e:
        out["unconnected"] = errno.errorcode.get(e.errno, str(e))
    u.close()
    return out


def probe(cases_json):
    """Runs every case at once (threads); prints one JSON object: id -> result."""
    cases = json.loads(cases_json)
    results = {}

    def one(c):
        if c["proto"] == "tcp":
            results[c["id"]] = tcp_client(c["dst"], c["port"])
        else:
            results[c["id"]] = udp_client(c["dst"], c["port"])

    threads = [threading.Thread(target=one, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(results))


# ---- the recording ---------------------------------------------------------------

def container_pid(rec, name):
    return int(rec.docker("inspect", "-f", "{{.State.Pid}}", name).stdout.strip())


def cases_for(gateway, host_addr):
    """(source, case) pairs. `path` says which way Docker 20.10's rules send it."""
    out = []
    for src, dsts in (("host1", [("127.0.0.1", "proxy"), (host_addr, "dnat")]),
                      ("peer", [(gateway, "proxy"), (host_addr, "proxy")])):
        for dst, path in dsts:
            for target, container in ((LISTENING_TCP, "listens"), (REFUSING_TCP, "refuses"),
                                      (DROPPING_TCP, "drops")):
                port = PUBLISHED[target]
                out.append((src, {"id": f"tcp {src}->{dst}:{port}", "from": src, "dst": dst,
                                  "proto": "tcp", "port": port, "target": target,
                                  "path": path, "container": container}))
            for target, container in ((LISTENING_UDP, "listens"), (REFUSING_UDP, "refuses")):
                port = PUBLISHED[target]
                out.append((src, {"id": f"udp {src}->{dst}:{port}", "from": src, "dst": dst,
                                  "proto": "udp", "port": port, "target": target,
                                  "path": path, "container": container}))
    return out


def run_cases(rec, ns, cases, timeout):
    """Runs `cases` at once from namespace `ns` (an nsenter --net= argument)."""
    r = subprocess.run(["nsenter", ns, sys.executable, __file__, "--probe", json.dumps(cases)],
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"probe in {ns}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def record_cases(rec, log):
    from record import IMAGE, NETNS, HOST_ADDR  # the recorder's constants
    rec.docker("network", "create", "--driver", "bridge", NETWORK)
    ports = []
    for target, published in PUBLISHED.items():
        proto = "udp" if target in (LISTENING_UDP, REFUSING_UDP) else "tcp"
        ports += ["-p", f"{published}:{target}/{proto}"]
    for name, alias, extra in ((WEB, "web", ports), (PEER, "peer", [])):
        rec.docker("create", "--name", name, "--network", NETWORK, "--network-alias", alias,
                   *extra, IMAGE, "sleep", "2147483647")
        rec.docker("start", name)
    web_ns = f"--net=/proc/{container_pid(rec, WEB)}/ns/net"
    source_ns = {"host1": f"--net=/run/netns/{NETNS}",
                 "peer": f"--net=/proc/{container_pid(rec, PEER)}/ns/net"}
    info = json.loads(rec.docker("network", "inspect", NETWORK).stdout)[0]
    gateway = rec.in_host("ip", "-4", "-o", "addr", "show", "dev",
                          "br-" + info["Id"][:12]).stdout.split()[3].split("/")[0]
    web_ip = json.loads(rec.docker("inspect", WEB).stdout)[0]["NetworkSettings"]["Networks"][
        NETWORK]["IPAddress"]
    rec.run("nsenter", web_ns, "iptables", "-w", "-A", "INPUT", "-p", "tcp", "--dport",
            str(DROPPING_TCP), "-j", "DROP")
    notes = rec.dir / "listener.jsonl"
    notes.touch()
    server = subprocess.Popen(["nsenter", web_ns, sys.executable, __file__, "--serve",
                               str(notes)], stdout=subprocess.PIPE, text=True)
    plan = cases_for(gateway, HOST_ADDR)
    results = {}
    saw = {}
    try:
        if server.stdout.readline().strip() != "ready":
            raise RuntimeError("the listener in the container did not start")
        proxies = sorted(p.split("docker-proxy", 1)[1].strip().replace(web_ip, "CONTAINER_IP")
                         for p in rec.in_host("ps", "-eo", "args").stdout.splitlines()
                         if "docker-proxy" in p and web_ip in p)
        # Cases that reach a listener one at a time, so the listener's notes say
        # which address each one came from; the others all at once (the
        # dropped ones wait for docker-proxy to give up).
        for src, c in plan:
            if c["container"] != "listens":
                continue
            before = len(notes.read_text().splitlines())
            results.update(run_cases(rec, source_ns[src], [c], 30))
            time.sleep(0.2)
            saw[c["id"]] = sorted({json.loads(line)["peer"]
                                   for line in notes.read_text().splitlines()[before:]})
        runs = {}
        for src in source_ns:
            cases = [c for s, c in plan if s == src and c["container"] != "listens"]
            runs[src] = subprocess.Popen(["nsenter", source_ns[src], sys.executable, __file__,
                                          "--probe", json.dumps(cases)],
                                         stdout=subprocess.PIPE, text=True)
        for src, r in runs.items():
            out, _ = r.communicate(timeout=READ_TIMEOUT + 60)
            results.update(json.loads(out))
    finally:
        server.kill()
        server.wait()
    facts = []
    for _, c in plan:
        fact = {**c, "client": results[c["id"]]}
        if c["id"] in saw:
            fact["container_saw"] = saw[c["id"]]
        facts.append(fact)
    log(f"{len(facts)} cases recorded")
    return {"network": {"gateway": gateway, "container": web_ip, "host": HOST_ADDR},
            "docker_proxy": proxies, "facts": facts}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--serve", metavar="LOG", help=argparse.SUPPRESS)
    ap.add_argument("--probe", metavar="CASES", help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cnmlab-rec"))
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    if a.serve:
        serve([LISTENING_TCP], [LISTENING_UDP], a.serve)
        return 0
    if a.probe:
        probe(a.probe)
        return 0
    if os.geteuid() != 0:
        sys.exit("record_proxy: needs root (network namespaces, dockerd)")
    sys.path.insert(0, str(HERE))
    import record  # noqa: E402

    def log(msg):
        print(f"{datetime.datetime.now().strftime('%H:%M:%S')} {msg}", flush=True)

    rec = record.Recorder(a.workdir.resolve(), log)
    rec.teardown()
    try:
        rec.dir.mkdir(parents=True)
        rec.setup_netns()
        rec.start_daemon()
        rec.import_image()
        versions = rec.versions()
        versions["bridge-nf-call-iptables"] = rec.in_host(
            "cat", "/proc/sys/net/bridge/bridge-nf-call-iptables").stdout.strip()
        versions["tcp_syn_retries"] = rec.in_host(
            "cat", "/proc/sys/net/ipv4/tcp_syn_retries").stdout.strip()
        log(f"dockerd {versions['server']} in netns {record.NETNS}")
        result = record_cases(rec, log)
        result = {"scenario": "proxy/docker-proxy.yaml", "docker": versions,
                  "recorded": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
                  **result}
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(result, indent=1) + "\n")
        log(f"wrote {a.out}")
    finally:
        rec.docker("rm", "-f", WEB, PEER, check=False)
        rec.docker("network", "rm", NETWORK, check=False)
        rec.stop_daemon()
        rec.teardown()
        log("cleaned up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
