// Adds up every suite's JSON report (vitest's and Playwright's) into one line: "N passed, N failed".
// A failed stage with no report still counts as a failure, so a broken build can never look green.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function* reports(dir) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* reports(path);
    else if (dir.endsWith("test-results") && name.endsWith(".json")) yield path;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const root of ["apps", "packages"]) {
  for (const file of reports(root)) {
    const r = JSON.parse(readFileSync(file, "utf8"));
    if (typeof r.numPassedTests === "number") {
      // vitest
      passed += r.numPassedTests;
      failed += r.numFailedTests + (r.success === false && r.numFailedTests === 0 ? 1 : 0);
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
      // Name each failure here too: a CI log is often read from its tail only.
      for (const suite of r.testResults ?? []) {
        // A file can fail outside its tests (a hook, an import): vitest counts it in `success` only.
        if (suite.status === "failed" && !(suite.assertionResults ?? []).some((t) => t.status === "failed")) {
          console.log(`  FAILED ${suite.name}: ${String(suite.message ?? "").split("\n")[0].slice(0, 300)}`);
        }
        for (const test of suite.assertionResults ?? []) {
          if (test.status !== "failed") continue;
          const reason = String(test.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300);
          console.log(`  FAILED ${suite.name}: ${test.fullName}\n    ${reason}`);
        }
      }
    } else if (r.stats && typeof r.stats.expected === "number") {
      // Playwright
      passed += r.stats.expected + r.stats.flaky;
      failed += r.stats.unexpected + (r.errors?.length ?? 0);
      skipped += r.stats.skipped;
      console.log(`${file}: ${r.stats.expected + r.stats.flaky} passed, ${r.stats.unexpected} failed`);
    }
  }
}
const setupFailures = Number(process.env.SETUP_FAILURES ?? 0);
failed += setupFailures;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
