#!/bin/bash
# Records what a swarm of real Docker 20.10 daemons builds for every conformance
# scenario with an overlay network (or the files given) into
# tests/conformance/recorded_swarm/ (files with deploy: services into
# recorded_services/). Needs root, docker.io (20.10),
# busybox-static, iproute2 and python3-yaml; not run by CI. See README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $EUID -ne 0 ]]; then
    echo "record_swarm.sh: needs root (network namespaces, dockerd)" >&2
    exit 3
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "record_swarm.sh: needs python3-yaml (apt-get install python3-yaml)" >&2
    exit 3
fi
exec python3 "$here/record_swarm.py" "$@"
