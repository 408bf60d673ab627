#!/bin/sh
# redocly_lint.sh REDOCLY DOCUMENT: lints an OpenAPI document with Redocly CLI's `minimal`
# rules and fails on any error or warning. Exits 77 (ctest's skip) when Redocly or Node.js is
# not installed: they come from npm (`npm ci` in tests/browser; scripts/setup.sh --dev).
redocly=$1
document=$2
if [ ! -x "$redocly" ]; then
  echo "skipped: $redocly is not installed (scripts/setup.sh --dev, or npm ci in tests/browser)"
  exit 77
fi
if ! command -v node >/dev/null 2>&1; then
  echo "skipped: Node.js is not installed, and Redocly CLI needs it"
  exit 77
fi
# Nothing leaves the machine: no usage data, no update check.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
# The summary format prints one "error RULE: N" or "warning RULE: N" line per rule broken.
summary=$("$redocly" lint --extends minimal --format summary "$document")
status=$?
printf '%s\n' "$summary"
if [ "$status" -ne 0 ]; then
  echo "redocly found errors in $document"
  exit 1
fi
if printf '%s\n' "$summary" | grep -q '^warning '; then
  echo "redocly warns about $document: fix every warning"
  exit 1
fi
echo "$document: valid, no warnings"
