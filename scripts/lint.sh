#!/usr/bin/env bash
# The style kept by tools, over every C++ source file of the project:
# clang-format (.clang-format: the layout) and clang-tidy (.clang-tidy: the
# checks). Any difference or finding fails, with the file and line.
#
#   scripts/lint.sh            both (clang-tidy needs build/dev/compile_commands.json,
#                              which scripts/build.sh makes)
#   scripts/lint.sh --format   clang-format only (a second or two)
#   scripts/lint.sh --tidy     clang-tidy only
#   scripts/lint.sh --fix      rewrite the files with clang-format instead of checking
#
# clang-format and clang-tidy are Debian 12's (14); scripts/deps.sh installs them.
# clang-tidy parses every file as the dev build compiles it, so the whole run
# takes a few minutes on two cores (JOBS, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-all}"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t sources < <(git ls-files -- '*.cpp' '*.hpp')
else
    mapfile -t sources < <(find app drivers live model packet sim tests ui verify \
        -name '*.cpp' -o -name '*.hpp' | sort)
fi

if [ "$mode" = "--fix" ]; then
    clang-format -i "${sources[@]}"
    exit 0
fi

if [ "$mode" != "--tidy" ]; then
    echo "clang-format: ${#sources[@]} files"
    clang-format --dry-run --Werror "${sources[@]}"
    echo "clang-format: clean"
fi
[ "$mode" = "--format" ] && exit 0

# clang-tidy over every translation unit the dev build compiles (the fuzz
# target is built by clang alone, in its own preset, and is checked there).
db=build/dev/compile_commands.json
[ -f "$db" ] || { echo "lint: $db is missing: run scripts/build.sh first" >&2; exit 2; }
units=()
for f in "${sources[@]}"; do
    case "$f" in
        *.cpp) [[ "$f" == tests/fuzz/* ]] || units+=("$f") ;;
    esac
done
echo "clang-tidy: ${#units[@]} files, ${JOBS:-2} at a time"
# The dev build's flags are GCC's: clang is told to ignore the ones it lacks.
run-clang-tidy -quiet -j "${JOBS:-2}" -p build/dev \
    -extra-arg=-Wno-unknown-warning-option \
    -extra-arg=-Wno-ignored-optimization-argument \
    -extra-arg=-Wno-unused-command-line-argument \
    "${units[@]}" >build/dev/clang-tidy.log 2>&1 || true
findings=$(sed 's/\x1b\[[0-9;]*m//g' build/dev/clang-tidy.log |
    grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error):' | sort -u || true)
if [ -n "$findings" ]; then
    echo "$findings"
    echo "clang-tidy: $(echo "$findings" | wc -l) findings (build/dev/clang-tidy.log has the context)" >&2
    exit 1
fi
echo "clang-tidy: clean"
