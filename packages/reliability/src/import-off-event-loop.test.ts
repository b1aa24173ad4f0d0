/**
 * Issue 18, kind 2: one pasted document must not freeze the server. An adversarial import at the size limit (the
 * shapes that were quadratic: a long run of letters, of "a-", of capitalised word pairs; plus nested brackets, notes
 * and numbered lines) runs through plan.import over HTTP against the real server, while /health is asked every
 * 20 ms (from a thread of its own). Every /health answers within 100 ms, and every import finishes within its budget (20 s, the server's
 * IMPORT_TIMEOUT_MS default) with a draft, a refusal (more measures than a plan holds) or, past the budget, a clear
 * import_timeout error.
 * SQLite only: what is measured is the parse in the import worker thread and the event loop, before any database
 * write (the draft is stored by the same plan.create unit of work on either engine, covered in apps/server's suite).
 */
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxImportFileBytes, maxImportTextBytes } from "@countersign/domain";
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
    // /health is asked from a thread of its own, so that building and sending a large request in this thread never
    // delays the probe: the figure is the server's, not the test's. Each probe: [epoch ms when asked, ms to answer].
    const probe = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const probes = []; let running = true;
       parentPort.on("message", () => { running = false; });
       (async () => {
         while (running) {
           const at = Date.now();
           const started = performance.now();
           const response = await fetch(workerData.url + "/health");
           await response.text();
           probes.push([at, performance.now() - started]);
           await new Promise((resolve) => setTimeout(resolve, 20));
         }
         parentPort.postMessage(probes);
       })();`,
      { eval: true, workerData: { url: server.url } },
    );
    const probed = new Promise<Array<[number, number]>>((resolve) => probe.once("message", resolve));
    const runs: Array<{ name: string; from: number; to: number; ms: number; outcome: string }> = [];
    try {
      const inputs: Array<[string, string]> = [
        ...Object.entries(shapes).map(([name, text]): [string, string] => {
          expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxImportTextBytes);
          return [name, JSON.stringify({ text })];
        }),
        // A file at the file limit (10 MiB of letters as a .txt, 13.4 MB of JSON): decoded and read in the worker.
        ["10 MiB file", JSON.stringify({ file: { name: "big.txt", contentBase64: Buffer.alloc(maxImportFileBytes, "a").toString("base64") } })],
      ];
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const [name, body] of inputs) {
        const from = Date.now();
        const started = performance.now();
        const answer = await coordinator.mutate("plan.import", undefined, { body });
        const ms = Math.round(performance.now() - started);
        runs.push({ name, from, to: Date.now(), ms, outcome: answer.ok ? "draft" : `${answer.status} ${answer.error?.refusalCode ?? ""}` });
      }
    } finally {
      probe.postMessage("stop");
    }
    const probes = await probed;
    await probe.terminate();
    const overlapping = (r: (typeof runs)[number]): number[] => probes.filter(([at, ms]) => at + ms >= r.from && at <= r.to).map(([, ms]) => ms);
    const during = (r: (typeof runs)[number]): number => Math.round(Math.max(0, ...overlapping(r)));
    // The promise: while any text at the size limit is imported, /health answers within 100 ms. The 10 MiB file is
    // measured and stated, with a generous bound: its 13.4 MB JSON body is received and parsed on the event loop
    // before the worker takes over (see docs/security.md).
    const textRuns = runs.filter((r) => r.name !== "10 MiB file");
    const times = textRuns.flatMap(overlapping);
    const slowest = Math.max(...times);
    const fileRun = runs.find((r) => r.name === "10 MiB file");
    const longestImport = Math.max(...runs.map((r) => r.ms));
    recordFigures({
      area: "11 import off the event loop",
      figure: "health probes / slowest ms / longest import ms",
      values: [times.length, Math.round(slowest), longestImport],
      failures: times.filter((t) => t >= 100).length + (fileRun && during(fileRun) >= 1000 ? 1 : 0),
      detail: `adversarial plan.import at ${maxImportTextBytes} bytes and a ${maxImportFileBytes / 1024 / 1024} MiB file (${runs
        .map((r) => `${r.name} ${r.ms} ms ${r.outcome}, /health at most ${during(r)} ms`)
        .join("; ")}); parsing runs in a worker thread (nice 10) with a ${budgetMs / 1000} s budget; /health asked every 20 ms from a thread of its own`,
    });
    expect(times.length).toBeGreaterThan(3);
    expect(slowest).toBeLessThan(100);
    expect(fileRun && during(fileRun)).toBeLessThan(1000);
    expect(longestImport).toBeLessThan(budgetMs + 2000);
    // A draft, a refusal (more measures than a plan holds, a file's text over the limit) or, past the budget, a
    // timeout: never a 500.
    for (const r of runs) expect(r.outcome).toMatch(/^(draft|400 invalid_input|413 payload_too_large|408 import_timeout)$/);
  });
});
