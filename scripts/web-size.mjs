#!/usr/bin/env node
// Prints the gzipped JavaScript each main route of the web client loads, from an existing build
// (apps/web/dist and Vite's manifest). It builds nothing: run `pnpm --filter @countersign/web build` first.
// Exits 1 if the sign-in or inbox page loads more than the budget (250 KB gzipped, `--budget=<KB>` overrides).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "apps", "web", "dist");
const budgetArg = process.argv.find((a) => a.startsWith("--budget="));
const budgetKb = budgetArg ? Number(budgetArg.slice("--budget=".length)) : 250;

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
} catch {
  console.error(`No build found at ${dist} (missing .vite/manifest.json). Build the web client first.`);
  process.exit(2);
}

// Route → the lazily loaded page modules it needs on top of the entry (see apps/web/src/app/App.tsx).
const routes = {
  "sign-in": [],
  inbox: [],
  assignment: [],
  tracking: ["src/features/tracking/TrackingPage.tsx"],
  // The charts (Apache ECharts) load after the tracking page has drawn its figures.
  "+ charts": ["src/features/tracking/TrackingPage.tsx", "src/features/tracking/TrackingCharts.tsx"],
  measure: ["src/features/measure/MeasurePage.tsx"],
  matrix: ["src/features/matrix/MatrixPage.tsx"],
  division: ["src/features/division/DivisionPage.tsx"],
};

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) {
  console.error("The manifest has no entry chunk.");
  process.exit(2);
}

/** The chunk and everything it imports statically: what the browser fetches before the page runs. */
function closure(key, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(key)) return seen;
  seen.add(key);
  for (const imported of chunk.imports ?? []) closure(imported, seen);
  return seen;
}

const gzCache = new Map();
function gzippedBytes(file) {
  if (!gzCache.has(file)) gzCache.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gzCache.get(file);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const results = [];
for (const [route, lazyModules] of Object.entries(routes)) {
  const keys = closure(entryKey);
  for (const module of lazyModules) {
    if (!manifest[module]) {
      console.error(`The manifest has no chunk for ${module}; update the route list in scripts/web-size.mjs.`);
      process.exit(2);
    }
    closure(module, keys);
  }
  const files = [...keys].map((key) => manifest[key].file).filter((file) => file.endsWith(".js"));
  const css = [...keys].flatMap((key) => manifest[key].css ?? []);
  const js = files.reduce((sum, file) => sum + gzippedBytes(file), 0);
  const cssBytes = [...new Set(css)].reduce((sum, file) => sum + gzippedBytes(file), 0);
  results.push({ route, js, cssBytes, files: files.length });
}

console.log("Gzipped JavaScript loaded per route (apps/web/dist):");
for (const r of results) {
  console.log(`  ${r.route.padEnd(11)} ${kb(r.js).padStart(10)} JS in ${r.files} file(s)   + ${kb(r.cssBytes)} CSS`);
}
const firstVisit = results.filter((r) => r.route === "sign-in" || r.route === "inbox");
const worst = Math.max(...firstVisit.map((r) => r.js));
console.log(`Sign-in + inbox: ${kb(worst)} gzipped JS (budget ${budgetKb} KB).`);
if (worst > budgetKb * 1024) {
  console.error(`Over budget by ${kb(worst - budgetKb * 1024)}.`);
  process.exit(1);
}
