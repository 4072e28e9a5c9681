#!/usr/bin/env bash
# Every test: install what is missing, check the layout (clang-format), build,
# run ctest (unit, golden, CLI, UI on the offscreen platform, live tests when
# root) with clang-tidy over every source beside it, then fuzz the scenario
# reader for FUZZ_SECONDS (default 60) with libFuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
scripts/lint.sh --format
scripts/build.sh

# clang-tidy runs while the tests do: most of the tests' time is spent waiting
# (a dropped live probe waits its timeout), so the two share the cores well.
scripts/lint.sh --tidy >build/dev/lint.out 2>&1 &
lint=$!
ctest_rc=0
(cd build/dev && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"${JOBS:-2}") || ctest_rc=$?
lint_rc=0
wait "$lint" || lint_rc=$?
cat build/dev/lint.out
[ "$ctest_rc" -eq 0 ] || { echo "ctest failed" >&2; exit "$ctest_rc"; }
[ "$lint_rc" -eq 0 ] || { echo "clang-tidy failed" >&2; exit "$lint_rc"; }

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  [ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
  cmake --build build/fuzz -j"${JOBS:-2}" --target fuzz_reader
  mkdir -p build/fuzz/corpus
  cp -n tests/fuzz/corpus/* build/fuzz/corpus/ 2>/dev/null || true
  echo "Fuzzing the scenario reader for ${FUZZ_SECONDS}s"
  build/fuzz/tests/fuzz/fuzz_reader -max_total_time="$FUZZ_SECONDS" -max_len=4096 \
    -rss_limit_mb=2048 -print_final_stats=1 build/fuzz/corpus 2>&1 | tail -n 12
  echo "fuzz: no crash or leak in ${FUZZ_SECONDS}s"
fi
