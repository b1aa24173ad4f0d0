#!/usr/bin/env bash
# Start Countersign (README "Start it"): `npm start` for a real deployment (no demo accounts), `npm start -- --demo`
# (or `npm run demo`) for the demo. Arguments go to the server.
#
# A restart with nothing changed takes seconds, not a reinstall and a rebuild:
# - install only when node_modules was not installed from exactly this lockfile and these manifests: after a
#   successful install a stamp (the SHA-256 of pnpm-lock.yaml, pnpm-workspace.yaml and every package.json) is written
#   into node_modules; a matching stamp skips the install (COUNTERSIGN_INSTALL=1 forces it);
# - build through turbo, whose cache replays every package whose sources did not change (FULL TURBO).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm=(npx -y pnpm@12.4.2)
stamp=node_modules/.countersign-install-stamp

install_inputs() {
  # Sorted, so that the hash does not depend on the order find lists them in.
  { echo pnpm-lock.yaml; echo pnpm-workspace.yaml; find . -name package.json -not -path "*/node_modules/*" -not -path "./.git/*"; } |
    LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}

wanted=$(install_inputs)
if [[ "${COUNTERSIGN_INSTALL:-0}" == "1" || ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "start: installing dependencies (the lockfile or a manifest changed, or first start)"
  "${pnpm[@]}" install --frozen-lockfile
  echo "$wanted" > "$stamp"
else
  echo "start: dependencies up to date (install skipped)"
fi

# turbo's cache decides what to rebuild (nothing, when no source changed).
"${pnpm[@]}" exec turbo run build --output-logs=errors-only
exec node apps/server/dist/main.js "$@"
