import { createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { createSqliteStore, resolveDatabasePath, schema } from "@countersign/db";
import type { AnyStore } from "@countersign/db";
import { verifyStoredAuditTrail } from "../security/audit-verification.js";
import type { AuditVerification } from "../security/audit-verification.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli audit verify [--anchor <seq>:<hash>] [--checkpoint <file>] [--json]
       cli audit checkpoint
Works on the database DATABASE_PATH (default ./data/countersign.sqlite), opened read-only, or on PostgreSQL when
DATABASE_URL=postgres://… is set (the same checks, in one read-only snapshot).
verify      walks the whole trail: the hash chain, its end against the chain head, and every assignment and comment
            against the state its events replay to. Prints "ok, N events" and exits 0 when it verifies; otherwise the
            first divergence of each kind (chain, tail, anchor, state) and exits 1.
  --anchor      checks that event <seq> still has the hash noted earlier (unsigned).
  --checkpoint  checks a checkpoint printed by \`audit checkpoint\`: its HMAC (AUDIT_CHECKPOINT_KEY), then that the
                trail still holds its event with its hash.
checkpoint  verifies the whole trail, then prints {"seq","hash","at","hmac"} of its last event, signed with
            HMAC-SHA256 under AUDIT_CHECKPOINT_KEY (at least 32 characters; keep it out of the database's machine).
            Store the line elsewhere: it catches a trail rewritten and rehashed by someone who can write the file.`;

/** The environment variable holding the operator's checkpoint key. */
export const checkpointKeyVariable = "AUDIT_CHECKPOINT_KEY";

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** UTC ISO time the checkpoint was taken. */
  at: string;
  /** HMAC-SHA256 (hex) of `countersign-audit-checkpoint:1:<seq>:<hash>:<at>` under the operator's key. */
  hmac: string;
}

/** The signature of a checkpoint's fields under `key`. */
export function checkpointHmac(key: string, c: Omit<AuditCheckpoint, "hmac">): string {
  return createHmac("sha256", key).update(`countersign-audit-checkpoint:1:${c.seq}:${c.hash}:${c.at}`).digest("hex");
}

function checkpointKey(io: CliIo): string | null {
  const key = io.env[checkpointKeyVariable];
  return key !== undefined && key.length >= 32 ? key : null;
}

/** A checkpoint file's content, or a sentence saying why not. */
function readCheckpoint(text: string, key: string): AuditCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "the checkpoint file is not JSON";
  }
  if (typeof value !== "object" || value === null) return "the checkpoint file is not a checkpoint";
  const c = value as Record<string, unknown>;
  const { seq, hash, at, hmac } = c;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1 || typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash) || typeof at !== "string" || typeof hmac !== "string" || !/^[0-9a-f]{64}$/.test(hmac)) {
    return "the checkpoint file lacks seq, hash, at or hmac";
  }
  const expected = Buffer.from(checkpointHmac(key, { seq, hash, at }), "hex");
  if (!timingSafeEqual(expected, Buffer.from(hmac, "hex"))) return "the checkpoint's signature does not verify under this key: it was altered or signed with another key";
  return { seq, hash, at, hmac };
}

/** A file named on the command line, relative to where the command was typed (pnpm runs scripts elsewhere). */
function fromCaller(file: string, io: CliIo): string {
  const base = io.env["INIT_CWD"] !== undefined && io.env["INIT_CWD"] !== "" ? io.env["INIT_CWD"] : process.cwd();
  return resolve(base, file);
}

function report(result: AuditVerification, io: CliIo): void {
  if (result.ok) {
    io.stdout.write(`ok, ${result.events} events${result.head === null ? "" : ` (head ${result.head.seq}:${result.head.hash})`}\n`);
    return;
  }
  io.stdout.write(`BROKEN at event ${result.firstBroken?.seq ?? "?"}: ${result.firstBroken?.message ?? ""}\n`);
  for (const kind of ["chain", "tail", "anchor", "state"] as const) {
    const d = result.divergences[kind];
    io.stdout.write(`  ${kind}: ${d === null ? "ok" : `${d.reason}: ${d.message}`}\n`);
  }
  io.stdout.write(`${result.events} events verify before it\n`);
}

/**
 * The verification (`verifyAuditTrail`, full: the chain, its end against the chain head, the anchor, and every
 * assignment's and comment's state replayed from its events) on the store of either engine, in one snapshot, then
 * the report or the signed checkpoint. Exit 0 verified (or checkpoint printed), 1 broken.
 */
async function verifyOn(
  store: AnyStore,
  sub: "verify" | "checkpoint",
  anchor: { seq: number; hash: string } | undefined,
  key: string | null,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const now = new Date();
  const result = await verifyStoredAuditTrail(store, now, { full: true, anchor });
  if (sub === "checkpoint") {
    if (!result.ok || result.head === null || key === null) {
      report(result, io);
      io.stderr.write("no checkpoint: the trail must verify (and hold an event) first\n");
      return 1;
    }
    const unsigned = { seq: result.head.seq, hash: result.head.hash, at: now.toISOString() };
    io.stdout.write(`${JSON.stringify({ ...unsigned, hmac: checkpointHmac(key, unsigned) })}\n`);
    return 0;
  }
  if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else report(result, io);
  return result.ok ? 0 : 1;
}

/** `cli audit verify | checkpoint`: the tamper check an operator (or a cron job) runs on the database file. */
export const auditCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== "verify" && sub !== "checkpoint") {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: { anchor: { type: "string" }, checkpoint: { type: "string" }, json: { type: "boolean" } },
      strict: true,
    });
    let anchor: { seq: number; hash: string } | undefined;
    if (values.anchor !== undefined) {
      const match = /^(\d+):([0-9a-f]{64})$/.exec(values.anchor);
      if (match === null) {
        io.stderr.write("--anchor is <seq>:<64 hex digits>, as printed by an earlier verify\n");
        return 2;
      }
      anchor = { seq: Number(match[1]), hash: match[2] ?? "" };
    }
    const key = checkpointKey(io);
    if ((sub === "checkpoint" || values.checkpoint !== undefined) && key === null) {
      io.stderr.write(`set ${checkpointKeyVariable} to the operator's checkpoint key (at least 32 characters)\n`);
      return 2;
    }
    if (values.checkpoint !== undefined && key !== null) {
      const file = fromCaller(values.checkpoint, io);
      if (!existsSync(file)) {
        io.stderr.write(`no checkpoint file at ${file}\n`);
        return 2;
      }
      const checkpoint = readCheckpoint(readFileSync(file, "utf8"), key);
      if (typeof checkpoint === "string") {
        io.stdout.write(`BROKEN: ${checkpoint}\n`);
        return 1;
      }
      if (anchor !== undefined) {
        io.stderr.write("give --anchor or --checkpoint, not both\n");
        return 2;
      }
      anchor = { seq: checkpoint.seq, hash: checkpoint.hash };
    }
    const postgresUrl = io.env["DATABASE_URL"];
    if (postgresUrl !== undefined && /^postgres(ql)?:\/\//.test(postgresUrl)) {
      const { connectPostgres, createPostgresStore } = await import("@countersign/db-postgres");
      const connection = connectPostgres(postgresUrl, { maxConnections: 2 });
      try {
        return await verifyOn(createPostgresStore(connection), sub, anchor, key, values.json === true, io);
      } finally {
        await connection.close();
      }
    }
    const path = resolveDatabasePath(io.env);
    if (path !== ":memory:" && !existsSync(path)) {
      io.stderr.write(`no database at ${path}\n`);
      return 2;
    }
    // Read-only: verifying (a backup, say) must not change the file.
    const sqlite = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return await verifyOn(createSqliteStore({ db: drizzle({ client: sqlite, schema }), sqlite }), sub, anchor, key, values.json === true, io);
    } finally {
      sqlite.close();
    }
  },
};
