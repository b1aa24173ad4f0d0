// The SQLite → PostgreSQL copy on a real server: every table row for row (a blob byte for byte), the identity counters
// past the copied ids, the chain re-verified on PostgreSQL, a non-empty target refused untouched, a tampered chain and a
// source of another shape reported.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { appendAuditEvent, loadDefaultPlan, openDatabase, writeTransaction } from "@countersign/db";
import { assignmentsTable, attachmentBlobsTable, attachmentsTable, commentsTable, usersTable } from "@countersign/db/schema";
import { connectPostgres } from "./connect.js";
import type { PostgresConnection } from "./connect.js";
import { copyFromSqlite, dependencyOrder, SourceShapeError, TargetNotEmptyError } from "./copy-from-sqlite.js";
import type { CopyProgress } from "./copy-from-sqlite.js";
import { freshDatabaseUrl } from "./test-support/databases.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A new empty PostgreSQL database, not migrated (the copy migrates it). */
async function emptyTarget(): Promise<PostgresConnection> {
  const { url, drop } = await freshDatabaseUrl();
  const connection = connectPostgres(url);
  cleanups.push(async () => {
    await connection.close();
    await drop();
  });
  return connection;
}

/** Every byte value, then random bytes: what a text conversion anywhere on the way would corrupt. */
const blobBytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000)]);

/**
 * A SQLite database through @countersign/db's own writers: the 2020 plan (departments, measures, its `plan.loaded`
 * event) and its assignments, an account, one assignment accepted (the kept counts move), comments (the last one deleted, so
 * SQLite's AUTOINCREMENT counter is past the largest id), two attachments with their bytes, and chained events.
 */
function sourceDatabase(): { path: string; deletedCommentId: number } {
  const dir = mkdtempSync(join(tmpdir(), "countersign-copy-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "source.sqlite");
  const opened = openDatabase(path);
  try {
    loadDefaultPlan(opened.db, "2026-01-05T00:00:00.000Z");
    // The plan issued: one assignment per responsibility (the server's issuing, reduced to its rows).
    opened.sqlite.exec(
      `insert into assignments (plan_id, measure_id, measure_number, department, role, status, due_date, issued_at, updated_at)
       select plan_id, measure_id, measure_number, department, role, 'assigned', '2026-06-30', '2026-01-05T00:30:00.000Z', '2026-01-05T00:30:00.000Z'
       from responsibilities order by id`,
    );
    const deletedCommentId = writeTransaction(opened.db, (tx) => {
      const user = tx
        .insert(usersTable)
        .values({ username: "miit", displayName: "工业和信息化部", role: "coordinator", department: "MIIT", passwordHash: "x", createdAt: "2026-01-05T01:00:00.000Z" })
        .returning()
        .get();
      const assignment = tx.select().from(assignmentsTable).orderBy(assignmentsTable.id).limit(1).get();
      if (assignment === undefined) throw new Error("the plan has no assignments");
      tx.update(assignmentsTable).set({ status: "accepted", version: assignment.version + 1 }).where(eq(assignmentsTable.id, assignment.id)).run();
      const actor = { actorUserId: user.id, actorUsername: user.username, actorRole: user.role, actorDepartment: user.department };
      appendAuditEvent(tx, { at: "2026-01-05T02:00:00.000Z", type: "assignment.accepted", ...actor, planId: assignment.planId, assignmentId: assignment.id, department: assignment.department, fromStatus: "assigned", toStatus: "accepted", payload: { note: "同意 agreed" } });
      const comments = [1, 2, 3].map(
        (n) =>
          tx
            .insert(commentsTable)
            .values({ assignmentId: assignment.id, planId: assignment.planId, authorUserId: user.id, authorDepartment: "MIIT", department: assignment.department, body: `留言 ${n} "quoted", {braces}, back\\slash`, createdAt: `2026-01-05T03:0${n}:00.000Z` })
            .returning()
            .get(),
      );
      for (const [n, bytes] of [blobBytes, Buffer.from("%PDF-1.4 small\n")].entries()) {
        const attachment = tx
          .insert(attachmentsTable)
          .values({ planId: assignment.planId, assignmentId: assignment.id, department: assignment.department, ownerKind: "comment", ownerId: comments[0]?.id ?? 0, name: `证明材料-${n}.bin`, contentType: "application/octet-stream", sizeBytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), storage: "database", uploadedByUserId: user.id, createdAt: "2026-01-05T03:05:00.000Z" })
          .returning()
          .get();
        tx.insert(attachmentBlobsTable).values({ attachmentId: attachment.id, bytes }).run();
      }
      const last = comments[2];
      if (last === undefined) throw new Error("no comment");
      tx.delete(commentsTable).where(eq(commentsTable.id, last.id)).run();
      appendAuditEvent(tx, { at: "2026-01-05T04:00:00.000Z", type: "assignment.commented", ...actor, planId: assignment.planId, assignmentId: assignment.id, department: assignment.department, payload: { commentId: comments[0]?.id ?? 0 } });
      return last.id;
    });
    return { path, deletedCommentId };
  } finally {
    opened.close();
  }
}

/** Rows of a table on both sides, in key order, with SQLite's values turned into what PostgreSQL returns for the column. */
async function bothSides(path: string, target: PostgresConnection, table: string, key: string) {
  const sqlite = new Database(path, { readonly: true });
  try {
    const source = sqlite.prepare(`select * from ${table} order by ${key}`).all() as Record<string, unknown>[];
    const copied = (await target.pool.query<Record<string, unknown>>(`select * from ${table} order by ${key}`)).rows;
    const types = new Map(
      (
        await target.pool.query<{ column_name: string; data_type: string }>(
          "select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = $1",
          [table],
        )
      ).rows.map((r) => [r.column_name, r.data_type]),
    );
    const expected = source.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([column, value]) => {
          if (value === null) return [column, null];
          const type = types.get(column);
          if (type === "boolean") return [column, value === 1];
          if (type === "jsonb") return [column, JSON.parse(String(value)) as unknown];
          return [column, value];
        }),
      ),
    );
    return { expected, copied };
  } finally {
    sqlite.close();
  }
}

describe("copyFromSqlite", () => {
  it("copies every table row for row, blobs byte for byte, with counters past the copied ids and a verified chain", async () => {
    const { path, deletedCommentId } = sourceDatabase();
    const target = await emptyTarget();
    const seen: CopyProgress[] = [];
    // Small pages, and a byte budget below one blob, so paging by rows and by bytes is what is exercised.
    const report = await copyFromSqlite(path, target, { batchRows: 7, batchBytes: 100_000, onProgress: (p) => seen.push(p) });

    expect(report.ok).toBe(true);
    expect(report.chain).toMatchObject({ ok: true, events: report.tables.find((t) => t.table === "audit_events")?.source });
    expect(report.countMismatches).toEqual([]);
    for (const t of report.tables) expect(t.target, t.table).toBe(t.source);
    const count = (name: string) => report.tables.find((t) => t.table === name)?.source;
    expect(count("assignments")).toBeGreaterThan(40);
    expect(count("attachment_blobs")).toBe(2);
    expect(count("audit_chain_head")).toBe(1);
    expect(count("assignment_counts")).toBeGreaterThan(0);
    // Parents first: a table is copied after every table it refers to.
    const order = report.tables.map((t) => t.table);
    expect(order.indexOf("plans")).toBeLessThan(order.indexOf("assignments"));
    expect(order.indexOf("assignments")).toBeLessThan(order.indexOf("attachments"));
    expect(order.indexOf("attachments")).toBeLessThan(order.indexOf("attachment_blobs"));
    expect(seen.some((p) => p.phase === "copy" && p.table === "assignments" && p.copied === 7)).toBe(true);

    for (const [table, key] of [
      ["assignments", "id"],
      ["audit_events", "id"],
      ["audit_chain_head", "id"],
      ["measures", "id"],
      ["departments", "code"],
      ["assignment_counts", "department, plan_id, status"],
      ["comments", "id"],
      ["attachments", "id"],
      ["attachment_blobs", "attachment_id"],
    ] as const) {
      const { expected, copied } = await bothSides(path, target, table, key);
      expect(copied.length, table).toBe(expected.length);
      expect(copied, table).toEqual(expected);
    }
    const blob = await target.pool.query<{ bytes: Buffer; sha256: string }>(
      "select b.bytes, a.sha256 from attachment_blobs b join attachments a on a.id = b.attachment_id order by a.id limit 1",
    );
    expect(blob.rows[0]?.bytes.equals(blobBytes)).toBe(true);
    expect(createHash("sha256").update(blob.rows[0]?.bytes ?? Buffer.alloc(0)).digest("hex")).toBe(blob.rows[0]?.sha256);

    // New rows on PostgreSQL take ids after the copied ones, and after the deleted comment's (never reused).
    const user = await target.pool.query<{ id: number }>(
      "insert into users (username, display_name, role, password_hash, created_at) values ('new', 'New', 'observer', 'x', 'now') returning id",
    );
    expect(user.rows[0]?.id).toBe(2);
    const assignment = await target.pool.query<{ id: number; plan_id: number }>("select id, plan_id from assignments order by id limit 1");
    const comment = await target.pool.query<{ id: number }>(
      "insert into comments (assignment_id, plan_id, author_user_id, body, created_at) values ($1, $2, 1, 'x', 'now') returning id",
      [assignment.rows[0]?.id, assignment.rows[0]?.plan_id],
    );
    expect(comment.rows[0]?.id).toBe(deletedCommentId + 1);
    // The triggers are back on after the copy: a new assignment status moves the kept counts.
    await target.pool.query("update assignments set status = 'declined' where id = $1", [assignment.rows[0]?.id]);
    const counts = await target.pool.query<{ n: number }>("select n from assignment_counts where plan_id = $1 and status = 'declined'", [
      assignment.rows[0]?.plan_id,
    ]);
    expect(counts.rows.length).toBeGreaterThan(0);
  });

  it("refuses a target that holds rows and leaves it as it was (also one never migrated)", async () => {
    const { path } = sourceDatabase();
    const target = await emptyTarget();
    expect((await copyFromSqlite(path, target)).ok).toBe(true);
    const snapshot = async () =>
      (
        await target.pool.query<{ t: string }>(
          "select (select count(*) from assignments) || ' ' || (select count(*) from audit_events) || ' ' || (select count(*) from drizzle.__drizzle_migrations) as t",
        )
      ).rows[0]?.t;
    const before = await snapshot();
    await expect(copyFromSqlite(path, target)).rejects.toThrow(TargetNotEmptyError);
    await expect(copyFromSqlite(path, target)).rejects.toThrow(/not empty \(rows in .*assignments.*\).*nothing was changed/);
    expect(await snapshot()).toBe(before);

    const other = await emptyTarget();
    await other.pool.query("create table notes (body text); insert into notes values ('another application')");
    await expect(copyFromSqlite(path, other)).rejects.toThrow(/rows in notes/);
    const schemas = await other.pool.query("select 1 from information_schema.tables where table_name in ('assignments', '__drizzle_migrations')");
    expect(schemas.rows).toEqual([]);
  });

  it("reports an edited event in the source chain as not verified after the copy", async () => {
    const { path } = sourceDatabase();
    const sqlite = new Database(path);
    sqlite.prepare("update audit_events set payload = ? where seq = 2").run(JSON.stringify({ note: "伪造 forged" }));
    sqlite.close();
    const target = await emptyTarget();
    const report = await copyFromSqlite(path, target);
    expect(report.ok).toBe(false);
    expect(report.chain).toMatchObject({ ok: false, reason: "hash_mismatch", firstBroken: { seq: 2 } });
    for (const t of report.tables) expect(t.target, t.table).toBe(t.source);
  });

  it("refuses a source whose columns differ from the PostgreSQL mirror before copying anything", async () => {
    const { path } = sourceDatabase();
    const sqlite = new Database(path);
    sqlite.exec("alter table comments drop column department");
    sqlite.close();
    const target = await emptyTarget();
    await expect(copyFromSqlite(path, target)).rejects.toThrow(SourceShapeError);
    await expect(copyFromSqlite(path, target)).rejects.toThrow(/column comments\.department is missing/);
    const rows = await target.pool.query<{ n: number }>("select count(*)::int as n from departments");
    expect(rows.rows[0]?.n).toBe(0);
  });
});

describe("dependencyOrder", () => {
  it("puts parents first, ties by name, and names a cycle", () => {
    const tables = new Map([
      ["c", { parents: new Set(["b"]) }],
      ["b", { parents: new Set(["a"]) }],
      ["a", { parents: new Set<string>() }],
      ["d", { parents: new Set<string>() }],
    ]);
    expect(dependencyOrder(tables)).toEqual(["a", "d", "b", "c"]);
    expect(() => dependencyOrder(new Map([["x", { parents: new Set(["y"]) }], ["y", { parents: new Set(["x"]) }]]))).toThrow(/cycle among x, y/);
  });
});
