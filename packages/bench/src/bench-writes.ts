/**
 * The writes stage of `pnpm bench` alone, on SQLite (issue 17: writes ≥ 0.5 × the raw loop): `pnpm --filter
 * @countersign/bench bench:writes -- --database FILE [--rounds N] [--seconds S] [--env NAME=VALUE …] [--no-raw]`.
 * Starts the benchmark's server process on the file (as `pnpm bench` does), signs in as MOF's liaison, runs
 * `assignment.reportProgress` over HTTP at 10 connections for each round, stops the server, then runs the raw
 * better-sqlite3 loop on the same file and prints each round's ratio. `--env` sets the server's environment (e.g.
 * `--env GROUP_COMMIT_SYNC=commit` to compare the COMMIT that syncs in place). The machine's fsync moves both figures
 * between runs: compare settings by alternating them within one session, several rounds each.
 */
import { writesOptions, writesUsage } from "./bench-writes-options.js";
import { sqliteData } from "./harness/bench-data.js";
import { benchServerMain } from "./harness/paths.js";
import { startProcess } from "./harness/server-process.js";
import { signIn } from "./harness/trpc-http.js";
import { demoPassword, measuredLiaisonOf } from "./run-bench.js";
import { benchRawWrites, benchWrites } from "./stages/writes.js";

let options: ReturnType<typeof writesOptions>;
try {
  // INIT_CWD: where `pnpm … run bench:writes` was typed, so a relative path means what the user meant.
  options = writesOptions(process.argv.slice(2), process.env["INIT_CWD"] ?? process.cwd());
} catch (error) {
  console.error(`bench:writes: ${error instanceof Error ? error.message : String(error)}\n\n${writesUsage}`);
  process.exit(2);
}
if (options.help) {
  console.log(writesUsage);
  process.exit(0);
}
const { dbPath, rounds, seconds, serverEnv } = options;

const account = measuredLiaisonOf(dbPath);
if (account === undefined) throw new Error(`${dbPath} has no account mof: generate it with pnpm bench or cli seed:scale`);

const log = (line: string): void => console.error(line);
const load = { connections: 10, seconds, warmupSeconds: 2 };
const data = sqliteData(dbPath);
const server = await startProcess(benchServerMain, { env: serverEnv });
const http: number[] = [];
try {
  const cookie = await signIn(server.url, account.username, demoPassword);
  for (let i = 0; i < rounds; i++) {
    const [figure] = await benchWrites({ server, dbPath, data, databaseUrl: null, cookie, user: account, load, log });
    if (figure === undefined) throw new Error("the writes stage gave no figure");
    http.push(figure.value);
    console.log(`HTTP round ${i + 1}: ${Math.round(figure.value)} tx/s (${figure.detail ?? ""})`);
  }
} finally {
  await server.stop();
}
if (options.raw) {
  const raw = await benchRawWrites({ dbPath, data, databaseUrl: null, user: account, load, log });
  console.log(`raw loop: ${Math.round(raw.value)} tx/s; HTTP ÷ raw: ${http.map((v) => (v / raw.value).toFixed(2)).join(", ")}`);
}
await data.close();
