// Ad-hoc (not committed): the queries stage on a given database, printing the search group.
import { benchQueries } from "./dist/stages/queries.js";
const { createBenchCaller } = await import("@countersign/server/bench-support");
const r = await benchQueries({
  dbPath: process.argv[2],
  callerFor: (db, u) => createBenchCaller(db, u),
  iterations: 200,
  budgetMs: 3000,
  liaison: "mof",
  largestLiaison: "miit-liaison",
  coordinator: "miit",
  log: () => {},
});
for (const f of r.figures) console.log(`${f.id}\t${f.value.toFixed(2)}\t${f.detail ?? ""}`);
console.log("full scans:", r.fullScans);
for (const p of r.plans) if (/measure_search/.test(p.sql)) console.log(p.plan.join(" | "), "\n   ", p.sql.slice(0, 100));
