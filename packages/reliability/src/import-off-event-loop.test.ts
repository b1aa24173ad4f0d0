/**
 * Issue 18, kind 2: one pasted document must not freeze the server. An adversarial import at the size limit (the
 * shapes that were quadratic: a long run of letters, of "a-", of capitalised word pairs; plus nested brackets, notes
 * and numbered lines) runs through plan.import over HTTP against the real server, while /health is asked every
 * 20 ms. Every /health answers within 100 ms, and every import finishes within its budget (20 s, the server's
 * IMPORT_TIMEOUT_MS default) with a draft, a refusal (more measures than a plan holds) or, past the budget, a clear
 * import_timeout error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxImportTextBytes } from "@countersign/domain";
import { signedIn } from "./support/client.js";
import type { Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { freshDatabase } from "./support/fixture.js";
import { startServer } from "./support/server.js";
import type { StartedServer } from "./support/server.js";

let server: StartedServer;
let coordinator: Browser;

beforeAll(async () => {
  server = await startServer({ dbPath: freshDatabase("import-off-loop") });
  coordinator = await signedIn(server.url, "miit");
});
afterAll(async () => {
  await server.stop();
});

const head = "一、总则\n（一）开始。\n（二）";
const tail = "\n（三）结束。";
/** `unit` repeated inside the middle measure, the whole text at most the size limit in UTF-8. */
function atLimit(unit: string): string {
  const room = maxImportTextBytes - Buffer.byteLength(head + tail) - 8;
  return `${head}${unit.repeat(Math.floor(room / Buffer.byteLength(unit)))}${tail}`;
}

const shapes: Record<string, string> = {
  letters: atLimit("a"),
  "letters and hyphens": atLimit("a-"),
  "word pairs": atLimit("small We "),
  "nested brackets": atLimit("（（）"),
  notes: atLimit("。（财政部负责）"),
  // U+2028 is a line break that JSON does not escape: 40,000 numbered lines fit in the request.
  "numbered lines": "1.\u2028".repeat(Math.floor(maxImportTextBytes / 5)),
};

describe("an adversarial import at the size limit", () => {
  it("never delays /health past 100 ms, and finishes within its budget", async () => {
    const budgetMs = 20_000;
    const healthTimes: number[] = [];
    const importTimes: Record<string, number> = {};
    const outcomes: Record<string, string> = {};
    let seen = 0;
    let importing = true;
    const probe = (async () => {
      while (importing) {
        const started = performance.now();
        const response = await fetch(`${server.url}/health`);
        await response.text();
        healthTimes.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      for (const [name, text] of Object.entries(shapes)) {
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxImportTextBytes);
        const started = performance.now();
        const answer = await coordinator.mutate("plan.import", { text });
        importTimes[name] = Math.round(performance.now() - started);
        outcomes[name] = answer.ok ? "draft" : `${answer.status} ${answer.error?.refusalCode ?? ""}`;
        const during = healthTimes.slice(seen);
        seen = healthTimes.length;
        outcomes[name] += `, /health at most ${Math.round(Math.max(0, ...during))} ms`;
      }
    } finally {
      importing = false;
      await probe;
    }
    const slowest = Math.max(...healthTimes);
    const longestImport = Math.max(...Object.values(importTimes));
    recordFigures({
      area: "11 import off the event loop",
      figure: "health probes / slowest ms / longest import ms",
      values: [healthTimes.length, Math.round(slowest), longestImport],
      failures: healthTimes.filter((t) => t >= 100).length,
      detail: `adversarial plan.import at ${maxImportTextBytes} bytes (${Object.entries(importTimes)
        .map(([n, t]) => `${n} ${t} ms ${outcomes[n]}`)
        .join(", ")}); parsing runs in a worker thread with a ${budgetMs / 1000} s budget`,
    });
    expect(healthTimes.length).toBeGreaterThan(3);
    expect(slowest).toBeLessThan(100);
    expect(longestImport).toBeLessThan(budgetMs + 2000);
    // A draft, a refusal for more measures than a plan holds, or (past the budget) a timeout: never a 500.
    for (const outcome of Object.values(outcomes)) expect(outcome).toMatch(/^(draft|400 invalid_input|408 import_timeout),/);
  });
});
