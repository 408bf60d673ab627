#!/usr/bin/env bash
# setup.sh [--dev] — install the Debian 12 packages docmill needs to build and run.
# --dev adds what the tests, benchmarks and the accuracy scripts need.
set -euo pipefail

RUNTIME=(
  build-essential cmake pkg-config ninja-build
  libmupdf-dev libfreetype-dev libharfbuzz-dev libjbig2dec0-dev libjpeg-dev
  libopenjp2-7-dev libgumbo-dev libmujs-dev zlib1g-dev
  libpoppler-cpp-dev libtesseract-dev libleptonica-dev tesseract-ocr-eng tesseract-ocr-osd
  libsqlite3-dev libpq-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libcurl4-openssl-dev  # the VLM engine's HTTP client, and webhook deliveries
  libssl-dev  # libcrypto's HMAC-SHA256: webhook signatures
  libjs-marked libjs-katex libjs-pdf  # the web page's markdown, math and PDF views
)
DEV=(
  libgtest-dev libgmock-dev clang-format curl
  tesseract-ocr-deu tesseract-ocr-chi-sim
  mupdf-tools poppler-utils qpdf ocrmypdf time
  unzip  # tests: the archive endpoint's zips checked by a second reader (with python3's zipfile)
  python3-levenshtein python3-fitz
  clang-16 libclang-rt-16-dev  # scripts/fuzz.sh: libFuzzer and the sanitizers' runtimes
  chromium  # tests/browser: the web page in a real browser
  postgresql-15 postgresql-common  # tests: the PostgreSQL store on a throw-away cluster (pg_virtualenv)
)

want=("${RUNTIME[@]}")
[ "${1:-}" = "--dev" ] && want+=("${DEV[@]}")

missing=()
# npm fetches the browser files Debian does not package; any Node.js with npm will do.
command -v npm >/dev/null 2>&1 || want+=(npm)
for p in "${want[@]}"; do
  # Any of libcurl's -dev flavours will do; they conflict with each other.
  if [ "$p" = libcurl4-openssl-dev ] && pkg-config --exists libcurl 2>/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Browser files from npm, at the versions package-lock.json pins (never their install scripts):
# Swagger UI for /docs beside the web page; with --dev, the browser-test driver and the
# OpenAPI linter.
npm_install() {
  local dir=$1
  # The lock file it was installed from is kept beside the packages: a changed pin reinstalls.
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.docmill-installed-lock.json"; then
    echo "setup: npm ci in $dir"
    npm ci --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error
    cp "$dir/package-lock.json" "$dir/node_modules/.docmill-installed-lock.json"
  fi
}
npm_install web
[ "${1:-}" = "--dev" ] && npm_install tests/browser
true
