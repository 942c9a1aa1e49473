#!/usr/bin/env bash
# make test-dashboard: the transparency dashboard in headless Chromium.
# Installs Debian's chromium when absent and the pinned playwright-core
# (package-lock.json), then runs dashboard.test.mjs, which uses the localnet
# in $INFRAFI_LOCALNET_DIR when one answers there and otherwise starts (and
# stops) one validator of its own. Screenshots go to tests/dashboard/output/.
set -euo pipefail
cd "$(dirname "$0")"

if [[ -z "${CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
	apt-get update -qq
	apt-get install -y -qq chromium
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

npm ci --no-audit --no-fund --loglevel=error
# The test runner's own summary (tests, pass, fail) ends the output.
exec node --test --test-reporter=spec --test-concurrency=1 --test-timeout=1200000 dashboard.test.mjs
