/**
 * Young-generation collections and time per call of in-process `inbox.list` (issue 17: the inbox's p95 tails on
 * PostgreSQL are pauses, about half of them collections): `pnpm --filter @countersign/bench bench:inbox-gc --
 * --database FILE` (SQLite) or `-- --database-url postgres://…` (a database the benchmark filled), `--calls N`
 * (default 1,500). Three cases in turn (a liaison's first page, the same with a search for "financing", the
 * coordinator's view of MOF), after 300 warm-up calls. To compare two commits, run it in a checkout of each; the
 * collection count is steadier than the times on a busy machine.
 */
import { PerformanceObserver, constants } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { createSqliteStore, schema } from "@countersign/db";
import type { AnyStore, CountersignDb } from "@countersign/db";
import { connectPostgres, createPostgresStore } from "@countersign/db-postgres";
import { loadCallerFactory } from "./run-bench.js";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: { database: { type: "string" }, "database-url": { type: "string" }, calls: { type: "string" } },
  strict: true,
});
const calls = Number(values.calls ?? 1500);
if (!Number.isInteger(calls) || calls < 30) throw new Error("--calls must be an integer of at least 30");
if ((values.database === undefined) === (values["database-url"] === undefined)) throw new Error("give --database FILE or --database-url URL");

let close: () => Promise<void>;
let store: AnyStore;
let db: CountersignDb | undefined;
const url = values["database-url"];
if (url !== undefined) {
  const connection = connectPostgres(url);
  store = createPostgresStore(connection);
  close = () => connection.close();
} else {
  // INIT_CWD: where `pnpm … run bench:inbox-gc` was typed, so a relative path means what the user meant.
  const sqlite = new Database(resolve(process.env["INIT_CWD"] ?? process.cwd(), values.database ?? ""), { fileMustExist: true });
  sqlite.pragma("journal_mode = WAL");
  db = drizzle({ client: sqlite, schema });
  store = createSqliteStore({ db, sqlite });
  close = async () => {
    sqlite.close();
  };
}

let minor = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const detail = (entry as PerformanceEntry & { detail?: { kind?: number } | null }).detail;
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor += 1;
  }
});
observer.observe({ entryTypes: ["gc"] });

try {
  const callerFor = await loadCallerFactory();
  const liaison = await callerFor(store, "mof", db);
  const coordinator = await callerFor(store, "miit", db);
  const cases = [
    { label: "mof, first page", run: () => liaison.inbox.list({}) },
    { label: "mof, search “financing”", run: () => liaison.inbox.list({ search: "financing" }) },
    { label: "coordinator, department MOF", run: () => coordinator.inbox.list({ department: "MOF" }) },
  ];
  for (let i = 0; i < 300; i++) await cases[i % cases.length]?.run();
  const times: number[][] = cases.map(() => []);
  await new Promise((resolve) => setTimeout(resolve, 50));
  minor = 0;
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const at = performance.now();
    await cases[i % cases.length]?.run();
    times[i % cases.length]?.push(performance.now() - at);
  }
  const elapsed = performance.now() - started;
  // The observer's entries arrive after the collection's callback: let the last ones in.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const quantile = (samples: number[], q: number): string => {
    const sorted = [...samples].sort((x, y) => x - y);
    return (sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN).toFixed(2);
  };
  process.stdout.write(`${calls} calls: ${minor} young-generation collections, ${(elapsed / calls).toFixed(3)} ms a call\n`);
  cases.forEach((c, i) => {
    const samples = times[i] ?? [];
    process.stdout.write(`  ${c.label}: p50 ${quantile(samples, 0.5)} ms, p95 ${quantile(samples, 0.95)} ms\n`);
  });
} finally {
  observer.disconnect();
  await close();
}
