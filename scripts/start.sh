#!/usr/bin/env bash
# Install, build and start Countersign on the embedded SQLite database with demo data (README: `npm start`).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm=(npx -y pnpm@12.4.2)
"${pnpm[@]}" install --frozen-lockfile
"${pnpm[@]}" exec turbo run build --output-logs=errors-only
exec node apps/server/dist/main.js --demo "$@"
