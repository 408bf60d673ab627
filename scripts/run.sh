#!/usr/bin/env bash
# run.sh [serve flags...] — install what is missing, build (Release) and start the service on
# port 8000 with its data in ./data. Settings: README.md, "Settings".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCMILL_TESTS=OFF >/dev/null
cmake --build build/release --target docmill
exec build/release/docmill serve "$@"
