#!/bin/bash
# Records real Docker's answers for every conformance scenario (or the files
# given) into tests/conformance/recorded/. Needs root, docker.io (20.10),
# busybox-static and python3-yaml; not run by CI. See README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $EUID -ne 0 ]]; then
    echo "record.sh: needs root (network namespaces, dockerd)" >&2
    exit 3
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "record.sh: needs python3-yaml (apt-get install python3-yaml)" >&2
    exit 3
fi
exec python3 "$here/record.py" "$@"
