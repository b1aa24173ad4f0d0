/**
 * The writes stage of `pnpm bench` alone, on SQLite (issue 17: writes ≥ 0.5 × the raw loop): `pnpm --filter
 * @countersign/bench bench:writes -- --database FILE [--rounds N] [--seconds S] [--env NAME=VALUE …] [--no-raw]`.
 * Starts the benchmark's server process on the file (as `pnpm bench` does), signs in as MOF's liaison, runs
 * `assignment.reportProgress` over HTTP at 10 connections for each round, stops the server, then runs the raw
 * better-sqlite3 loop on the same file and prints each round's ratio. `--env` sets the server's environment (e.g.
 * `--env GROUP_COMMIT_SYNC=commit` to compare the COMMIT that syncs in place). The machine's fsync moves both figures
 * between runs: compare settings by alternating them within one session, several rounds each.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { sqliteData } from "./harness/bench-data.js";
import { benchServerMain } from "./harness/paths.js";
import { startProcess } from "./harness/server-process.js";
import { signIn } from "./harness/trpc-http.js";
import { demoPassword } from "./run-bench.js";
import { benchRawWrites, benchWrites } from "./stages/writes.js";

const usage = `Usage: pnpm --filter @countersign/bench bench:writes -- --database FILE [OPTIONS]
The writes stage of pnpm bench alone, on a SQLite file pnpm bench (or cli seed:scale) generated.

  --database FILE   the database (its account mof reports progress on its open assignments)
  --rounds N        HTTP rounds on one server process (default 2)
  --seconds S       length of each round's load, after 2 s of warm-up (default 10)
  --env NAME=VALUE  the server's environment, repeatable (e.g. GROUP_COMMIT_SYNC=commit)
  --no-raw          skip the raw better-sqlite3 loop (and the ratios)
  --help, -h        this text`;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    help: { type: "boolean", short: "h" },
    database: { type: "string" },
    rounds: { type: "string" },
    seconds: { type: "string" },
    env: { type: "string", multiple: true },
    "no-raw": { type: "boolean" },
  },
  strict: true,
});
if (values.help === true) {
  console.log(usage);
  process.exit(0);
}
if (values.database === undefined) {
  console.error(`give --database FILE (a database pnpm bench generated)\n\n${usage}`);
  process.exit(2);
}
const rounds = Number(values.rounds ?? 2);
const seconds = Number(values.seconds ?? 10);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number ≥ 1");
if (!(seconds > 0)) throw new Error("--seconds must be > 0");
// INIT_CWD: where `pnpm … run bench:writes` was typed, so a relative path means what the user meant.
const dbPath = resolve(process.env["INIT_CWD"] ?? process.cwd(), values.database);
const serverEnv: Record<string, string> = { DATABASE_PATH: dbPath, DATABASE_URL: "", NODE_ENV: "production" };
for (const pair of values.env ?? []) {
  const at = pair.indexOf("=");
  if (at < 1) throw new Error(`--env ${pair}: write NAME=VALUE`);
  serverEnv[pair.slice(0, at)] = pair.slice(at + 1);
}

const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
const account = reader.prepare("select id, username, department from users where username = 'mof'").get() as
  | { id: number; username: string; department: string }
  | undefined;
reader.close();
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
if (values["no-raw"] !== true) {
  const raw = await benchRawWrites({ dbPath, data, databaseUrl: null, user: account, load, log });
  console.log(`raw loop: ${Math.round(raw.value)} tx/s; HTTP ÷ raw: ${http.map((v) => (v / raw.value).toFixed(2)).join(", ")}`);
}
await data.close();
