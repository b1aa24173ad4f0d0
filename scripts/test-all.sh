#!/usr/bin/env bash
# Install everything and run every test suite (README: `npm test`; CI: .ci/run).
# Ends with one line of totals over all suites: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
pnpm=(npx -y pnpm@12.4.2)
status=0
# Stages that fail without a test report of their own (system packages, build, typecheck, lint) count as failed tests.
setup_failures=0
stage() { echo; echo "=== $* ==="; }
fail() { echo "!!! stage failed: $*"; status=1; }

# Stale reports from an earlier run must not be counted.
find apps packages -path '*/node_modules' -prune -o -type d -name test-results -print 2>/dev/null | xargs -r rm -rf

stage "system packages (Chromium, CJK font, poppler, LibreOffice Calc)"
bash scripts/ensure-system-packages.sh || { fail "system packages"; setup_failures=$((setup_failures + 1)); }

stage "install"
"${pnpm[@]}" install --frozen-lockfile || { echo "install failed"; echo "0 passed, 1 failed"; exit 1; }

stage "build"
"${pnpm[@]}" exec turbo run build --output-logs=errors-only || { fail build; setup_failures=$((setup_failures + 1)); }

stage "typecheck"
"${pnpm[@]}" exec turbo run typecheck --output-logs=errors-only || { fail typecheck; setup_failures=$((setup_failures + 1)); }

stage "lint (Biome)"
"${pnpm[@]}" exec biome lint . || { fail lint; setup_failures=$((setup_failures + 1)); }

stage "unit and integration tests (vitest, per package)"
"${pnpm[@]}" exec turbo run test --concurrency=1 --continue -- --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || fail "vitest"

# Issue 13: the server's suite again with every harness on PostgreSQL. Left out: the *.engines* files (they already ran
# both engines above) and the *.postgres* files (PostgreSQL only whatever the harness's engine; they too ran above).
# The vitest global setup starts a throw-away PostgreSQL cluster, as it does for those files.
stage "server suite on PostgreSQL (COUNTERSIGN_TEST_ENGINE=postgres)"
(cd apps/server && COUNTERSIGN_TEST_ENGINE=postgres npx vitest run --exclude '**/*.engines*.test.ts' --exclude '**/*.postgres*.test.ts' \
  --reporter=default --reporter=json --outputFile.json=test-results/vitest-postgres.json) || fail "server suite on PostgreSQL"

has_script() { node -e "process.exit(require('./package.json').scripts?.['$1'] ? 0 : 1)"; }

if has_script test:reliability; then
  stage "reliability and security"
  "${pnpm[@]}" run test:reliability || fail reliability
fi

if has_script test:e2e; then
  stage "browser tests (Playwright + Debian Chromium)"
  "${pnpm[@]}" run test:e2e || fail e2e
fi

if has_script bench:smoke; then
  stage "benchmark smoke run (tiny size)"
  "${pnpm[@]}" run bench:smoke || fail "bench smoke"
fi

stage "totals"
SETUP_FAILURES=$setup_failures node scripts/sum-test-results.mjs || status=1
exit $status
