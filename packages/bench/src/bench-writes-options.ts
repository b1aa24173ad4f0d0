/**
 * The command line of `bench:writes` (bench-writes.ts), read and checked before anything starts: every mistake is
 * one line saying what is wrong (a missing database file included), never a stack trace from deep inside.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export const writesUsage = `Usage: pnpm --filter @countersign/bench bench:writes -- --database FILE [OPTIONS]
The writes stage of pnpm bench alone, on a SQLite file pnpm bench (or cli seed:scale) generated.

  --database FILE   the database (its account mof reports progress on its open assignments); a relative path
                    is taken from the directory the command was typed in
  --rounds N        HTTP rounds on one server process (default 2)
  --seconds S       length of each round's load, after 2 s of warm-up (default 10)
  --env NAME=VALUE  the server's environment, repeatable (e.g. GROUP_COMMIT_SYNC=commit)
  --no-raw          skip the raw better-sqlite3 loop (and the ratios)
  --help, -h        this text`;

export interface WritesOptions {
  help: boolean;
  /** Absolute path of an existing file. */
  dbPath: string;
  rounds: number;
  /** Seconds of each round's load. */
  seconds: number;
  /** The server's environment: DATABASE_PATH and the --env pairs. */
  serverEnv: Record<string, string>;
  raw: boolean;
}

/**
 * Reads `argv` (after the script's name) with relative paths from `cwd` (INIT_CWD: where `pnpm … run bench:writes`
 * was typed). Throws Error with a one-line reason: an unknown option, no --database, a file that does not exist,
 * rounds not a whole number ≥ 1, seconds not > 0, an --env without NAME=VALUE.
 */
export function writesOptions(argv: readonly string[], cwd: string): WritesOptions {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
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
  const help = values.help === true;
  if (help) return { help, dbPath: "", rounds: 0, seconds: 0, serverEnv: {}, raw: false };
  if (values.database === undefined) throw new Error("give --database FILE (a database pnpm bench or cli seed:scale generated)");
  const dbPath = resolve(cwd, values.database);
  if (!existsSync(dbPath)) {
    throw new Error(`${dbPath} does not exist: generate one with npx -y pnpm@12.4.2 --silent cli seed:scale --assignments N --out ${dbPath}`);
  }
  const rounds = Number(values.rounds ?? 2);
  const seconds = Number(values.seconds ?? 10);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number ≥ 1");
  if (!(seconds > 0)) throw new Error("--seconds must be > 0");
  const serverEnv: Record<string, string> = { DATABASE_PATH: dbPath, DATABASE_URL: "", NODE_ENV: "production" };
  for (const pair of values.env ?? []) {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--env ${pair}: write NAME=VALUE`);
    serverEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { help, dbPath, rounds, seconds, serverEnv, raw: values["no-raw"] !== true };
}
