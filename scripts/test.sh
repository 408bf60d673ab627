#!/usr/bin/env bash
# test.sh [--sanitize] — install what is missing, build with warnings as errors and run every
# test (unit, integration, end-to-end). --sanitize builds and runs the suite under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev

if [ "${1:-}" = "--sanitize" ]; then
  dir=build/sanitize
  flags=(-DCMAKE_BUILD_TYPE=Debug -DDOCMILL_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  dir=build/test
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
cmake -S . -B "$dir" -G Ninja -DDOCMILL_WERROR=ON "${flags[@]}" >/dev/null
cmake --build "$dir"
# Two cores: run two test binaries' cases at once; e2e tests start their own servers.
run=(ctest --test-dir "$dir" --output-on-failure -j 2 --timeout 600)
if command -v pg_virtualenv >/dev/null 2>&1 && [ -d /usr/lib/postgresql/15 ]; then
  # The PostgreSQL store's tests get a throw-away PostgreSQL 15 cluster, named to them by the
  # PG* variables pg_virtualenv sets; without one they skip, saying so.
  pg_virtualenv -v 15 "${run[@]}"
else
  "${run[@]}"
fi
