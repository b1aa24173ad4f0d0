import { execFile } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import type { AuditChainVerdict } from "@countersign/db";
import { connectPostgres, verifyAuditChainInExportedSnapshot } from "@countersign/db-postgres";
import { shownDatabaseUrl } from "../config.js";
import type { CliIo } from "./command.js";

const run = promisify(execFile);

/** Where Debian and Ubuntu install each PostgreSQL version's programs (`/usr/lib/postgresql/<major>/bin`). */
export const debianPostgresRoot = "/usr/lib/postgresql";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The PostgreSQL client program `name` (pg_dump, pg_restore): the first on `PATH`, else the newest version's in
 * Debian's `/usr/lib/postgresql/<major>/bin` (`root`), which Debian does not put on PATH for every version. Undefined
 * when there is none.
 */
export function findPostgresProgram(name: string, env: NodeJS.ProcessEnv, root = debianPostgresRoot): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir !== "" && executable(join(dir, name))) return join(dir, name);
  }
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+$/.test(v));
  } catch {
    return undefined;
  }
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    const path = join(root, version, "bin", name);
    if (executable(path)) return path;
  }
  return undefined;
}

/**
 * The URL without its password, and the password for `PGPASSWORD`: a password on a command line is visible to every
 * local user (`ps`), one in the child's environment is not.
 */
function withoutPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password === "" ? undefined : decodeURIComponent(parsed.password);
  parsed.password = "";
  return { url: parsed.toString(), password };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The tables whose rows an archive holds, from `pg_restore --list` (lines `… TABLE DATA public <table> <owner>`). */
export function tablesWithData(listing: string): string[] {
  const tables: string[] = [];
  for (const line of listing.split("\n")) {
    const match = /\bTABLE DATA \S+ (\S+) /.exec(line);
    if (match?.[1] !== undefined && !line.startsWith(";")) tables.push(match[1]);
  }
  return tables;
}

/**
 * `cli db backup <file>` on PostgreSQL: `pg_dump --format=custom` of the whole database (one consistent snapshot;
 * the server keeps running), the audit chain walked in that same snapshot (exported by the walking transaction and
 * given to pg_dump with --snapshot; a broken chain fails the backup, as on SQLite), written beside the target, listed back with `pg_restore --list` when pg_restore is
 * installed (the archive must read and hold the audit trail's rows), then renamed into place. Restore it with
 * `pg_restore` (docs/deploy.md). `programsRoot`: where to look for pg_dump when it is not on PATH (Debian's layout).
 * Exit 0 done, 1 pg_dump failed or the archive does not check out, 2 usage (the file
 * exists; pg_dump not found).
 */
export async function backupPostgres(url: string, destination: string, io: CliIo, programsRoot = debianPostgresRoot): Promise<number> {
  const pgDump = findPostgresProgram("pg_dump", io.env, programsRoot);
  if (pgDump === undefined) {
    io.stderr.write(
      `pg_dump was not found (not on PATH, nor in ${debianPostgresRoot}/<version>/bin): install PostgreSQL's client programs ` +
        "(Debian: apt-get install postgresql-client, of the server's major version or newer) or put pg_dump on PATH\n",
    );
    return 2;
  }
  if (existsSync(destination)) {
    io.stderr.write(`${destination} exists; choose a new file name\n`);
    return 2;
  }
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const target = withoutPassword(url);
  const env = { ...io.env, ...(target.password === undefined ? {} : { PGPASSWORD: target.password }) };
  // pg_dump reads the snapshot exported by a transaction that walks the audit chain in it meanwhile: the archive holds
  // exactly the state whose chain was verified (as the SQLite backup checks its copy).
  const connection = connectPostgres(url);
  let verdict: AuditChainVerdict;
  try {
    ({ verdict } = await verifyAuditChainInExportedSnapshot(connection, (snapshot) =>
      run(pgDump, ["--format=custom", "--no-password", `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${target.url}`], {
        env,
        maxBuffer: 16 * 1024 * 1024,
      }),
    ));
  } catch (error) {
    rmSync(partial, { force: true });
    const stderr = (error as { stderr?: unknown }).stderr;
    io.stderr.write(`${pgDump} failed: ${typeof stderr === "string" && stderr.trim() !== "" ? stderr.trim() : error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await connection.close();
  }
  if (!verdict.ok) {
    io.stderr.write(
      `the archive does not check out (the audit chain it holds is BROKEN: ${verdict.reason} at event ${verdict.firstBroken.id}, seq ${verdict.firstBroken.seq}), kept as ${partial}\n`,
    );
    return 1;
  }
  let checked = "not listed back (pg_restore not found)";
  const pgRestore = findPostgresProgram("pg_restore", { ...io.env, PATH: `${dirname(pgDump)}${delimiter}${io.env["PATH"] ?? ""}` });
  if (pgRestore !== undefined) {
    const { stdout } = await run(pgRestore, ["--list", partial], { maxBuffer: 64 * 1024 * 1024 });
    const tables = tablesWithData(stdout);
    if (!tables.includes("audit_events")) {
      io.stderr.write(`the archive does not check out (no rows of audit_events listed), kept as ${partial}\n`);
      return 1;
    }
    checked = `${tables.length} tables' rows listed back by pg_restore`;
  }
  fsyncPath(partial);
  renameSync(partial, destination);
  fsyncPath(dirname(destination));
  io.stdout.write(
    `backed up ${shownDatabaseUrl(url)} to ${destination} (pg_dump custom format, ${statSync(destination).size} bytes; audit chain ok, ${verdict.events} events, head ${verdict.headHash}, verified in the snapshot dumped; ${checked})\n`,
  );
  return 0;
}
