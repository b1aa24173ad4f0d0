// What only the PostgreSQL adapter has: its migrations (and that they mirror SQLite's tables, indexes and triggers),
// its chain head, the retry of units of work that fail to serialise, and the LISTEN connection coming back after it is
// lost.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { nextAuditEventRow, openDatabase } from "@countersign/db";
import type { AuditChainHead, AuditEventType, LiveDeliveryState, LiveEvent } from "@countersign/db";
import { connectPostgres } from "./connect.js";
import { PostgresLiveEventBus } from "./live-bus.js";
import { migratePostgres, migrationsFolder } from "./migrate.js";
import { createPostgresStore, sqlState } from "./store.js";
import { freshDatabaseUrl, migratedDatabase } from "./test-support/databases.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function database() {
  const d = await migratedDatabase();
  cleanups.push(d.dispose);
  return d;
}

/** SQLite's column type for a PostgreSQL one: booleans are 0/1 integers there, jsonb JSON text, bytea a blob. */
const sqliteTypeOf: Record<string, string> = { integer: "integer", boolean: "integer", text: "text", jsonb: "text", bytea: "blob" };

/** A column default as both engines spell it: `'ministry'::text` and `'ministry'`, `true` and `1`. */
function normalDefault(value: string | null): string | null {
  if (value === null) return null;
  const plain = value.replace(/::[a-z ]+$/, "");
  return plain === "true" ? "1" : plain === "false" ? "0" : plain;
}

/**
 * SQLite's full-text tables (FTS5, virtual) and the table whose columns each indexes. They have no PostgreSQL table:
 * PostgreSQL indexes the same columns with pg_trgm GIN indexes instead (migration 0015), which the mirror check
 * compares with these, column for column, apart from the tables, indexes and triggers.
 */
const sqliteSearchTables: Record<string, string> = { measure_search: "measures", search_text_index: "search_texts" };

/**
 * Every table, column, default, index and trigger of the SQLite schema, one line each (the migrations applied); the
 * full-text tables apart: `searchIndexes` names the columns they index (`measures.title`), `searchTriggers` the
 * triggers that keep them, which PostgreSQL needs none of.
 */
function sqliteShape(): { columns: string[]; indexes: string[]; triggers: string[]; searchIndexes: string[]; searchTriggers: string[] } {
  const sqlite = openDatabase(":memory:");
  try {
    // Ordinary tables only: an FTS5 table is "virtual" and its storage tables "shadow" in table_list.
    const listed = sqlite.sqlite.prepare("pragma table_list").all() as { schema: string; name: string; type: string }[];
    const tables = listed.filter(
      (t) => t.schema === "main" && t.type === "table" && !t.name.startsWith("sqlite_") && !t.name.startsWith("__drizzle"),
    );
    const virtual = listed.filter((t) => t.schema === "main" && t.type === "virtual").map((t) => t.name);
    const searchIndexes = virtual.flatMap((name) => {
      const base = sqliteSearchTables[name];
      if (base === undefined) throw new Error(`${name}: a virtual table the mirror check does not know; say what PostgreSQL has for it`);
      return (sqlite.sqlite.prepare(`pragma table_info(${name})`).all() as { name: string }[]).map((c) => `${base}.${c.name}`);
    });
    const columns = tables.flatMap(({ name }) =>
      (
        sqlite.sqlite.prepare(`pragma table_info(${name})`).all() as {
          name: string;
          type: string;
          notnull: number;
          pk: number;
          dflt_value: string | null;
        }[]
      ).map(
        (c) =>
          `${name}.${c.name} ${c.type.toLowerCase()} ${c.notnull === 1 || c.pk > 0 ? "not null" : "null"} default ${normalDefault(c.dflt_value)}`,
      ),
    );
    const indexes = tables.flatMap(({ name }) =>
      (sqlite.sqlite.prepare(`pragma index_list(${name})`).all() as { name: string; unique: number; origin: string }[])
        .filter((i) => i.origin !== "pk")
        .map((i) => {
          const on = (sqlite.sqlite.prepare(`pragma index_info(${i.name})`).all() as { name: string }[]).map((c) => c.name);
          return `${name}.${i.name} ${i.unique === 1 ? "unique " : ""}(${on.join(", ")})`;
        }),
    );
    const triggerRows = sqlite.sqlite.prepare("select name, tbl_name from sqlite_master where type = 'trigger'").all();
    const allTriggers = (triggerRows as { name: string; tbl_name: string }[]).map((t) => ({ ...t, line: `${t.tbl_name}.${t.name}` }));
    // A trigger that keeps a full-text table is named after it (measure_search_insert keeps measure_search).
    const keepsSearch = (t: { name: string }): boolean => virtual.some((v) => t.name.startsWith(`${v}_`));
    const triggers = allTriggers.filter((t) => !keepsSearch(t)).map((t) => t.line);
    const searchTriggers = allTriggers.filter(keepsSearch).map((t) => t.line);
    return {
      columns: columns.sort(),
      indexes: indexes.sort(),
      triggers: triggers.sort(),
      searchIndexes: searchIndexes.sort(),
      searchTriggers: searchTriggers.sort(),
    };
  } finally {
    sqlite.close();
  }
}

describe("the PostgreSQL migrations", () => {
  it("create every SQLite table with the same columns, nullability, defaults, indexes and triggers (a copy is row for row)", async () => {
    const { connection } = await database();
    const pgColumns = await connection.pool.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
    }>(
      `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
       where table_schema = 'public'`,
    );
    const columns = pgColumns.rows.map((r) => {
      const type = sqliteTypeOf[r.data_type] ?? r.data_type;
      return `${r.table_name}.${r.column_name} ${type} ${r.is_nullable === "NO" ? "not null" : "null"} default ${normalDefault(r.column_default)}`;
    });
    const pgIndexes = await connection.pool.query<{
      table_name: string;
      index_name: string;
      is_unique: boolean;
      columns: string[];
      definition: string;
    }>(
      `select t.relname as table_name, i.relname as index_name, x.indisunique as is_unique,
         array(select a.attname from unnest(x.indkey) with ordinality k(attnum, n)
               join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n)::text[] as columns,
         pg_get_indexdef(x.indexrelid) as definition
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
       join pg_namespace s on s.oid = t.relnamespace
       where s.nspname = 'public' and not x.indisprimary`,
    );
    // The trigram indexes stand for SQLite's full-text tables: compared with the columns those index, below.
    const trigram = pgIndexes.rows.filter((r) => r.definition.includes("gin_trgm_ops"));
    const indexes = pgIndexes.rows
      .filter((r) => !trigram.includes(r))
      .map((r) => `${r.table_name}.${r.index_name} ${r.is_unique ? "unique " : ""}(${r.columns.join(", ")})`);
    const searchIndexes = trigram.map((r) => {
      // An expression index names its column inside countersign_search_text(); search_texts holds folded text already.
      const column = /gin \((?:countersign_search_text\()?"?(\w+)"?/.exec(r.definition)?.[1];
      return `${r.table_name}.${column ?? r.definition}`;
    });
    const pgTriggers = await connection.pool.query<{ table_name: string; trigger_name: string }>(
      `select c.relname as table_name, t.tgname as trigger_name from pg_trigger t join pg_class c on c.oid = t.tgrelid
       where not t.tgisinternal`,
    );
    const triggers = pgTriggers.rows.map((r) => `${r.table_name}.${r.trigger_name}`);
    const sqlite = sqliteShape();
    expect(columns.sort()).toEqual(sqlite.columns);
    expect(indexes.sort()).toEqual(sqlite.indexes);
    expect(triggers.sort()).toEqual(sqlite.triggers);
    // Each column SQLite's FTS5 table indexes has its pg_trgm index on PostgreSQL, and SQLite's triggers that keep
    // the FTS table have no counterpart to compare (PostgreSQL's indexes follow the columns themselves).
    expect(searchIndexes.sort()).toEqual(sqlite.searchIndexes);
    expect(sqlite.searchIndexes).toEqual(["measures.text", "measures.title", "search_texts.text", "search_texts.title"]);
    expect(sqlite.searchTriggers).toEqual([
      "measures.measure_search_delete",
      "measures.measure_search_insert",
      "measures.measure_search_update",
      "search_texts.search_text_index_insert",
    ]);
    expect(triggers).toContain("audit_events.assignment_notices_on_event");
  });

  it("apply once when several instances start together, and again as a no-op", async () => {
    const { url, drop } = await freshDatabaseUrl();
    const instances = [connectPostgres(url), connectPostgres(url), connectPostgres(url)];
    cleanups.push(async () => {
      for (const c of instances) await c.close();
      await drop();
    });
    await Promise.all(instances.map((c) => migratePostgres(c)));
    await migratePostgres(instances[0] ?? connectPostgres(url));
    const applied = await instances[1]?.pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    // Every migration of the journal, once (counted from it, so a new migration needs no edit here).
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    expect(applied?.rows[0]?.n).toBe(journal.entries.length);
    // As on SQLite, the chain head has no row before the first event.
    const head = await instances[2]?.pool.query("select * from audit_chain_head");
    expect(head?.rows).toEqual([]);
  });

  it("bring a database made before 0011 up: the chain head as SQLite keeps it, comments' departments, an appendable chain", async () => {
    const { url, drop } = await freshDatabaseUrl();
    const connection = connectPostgres(url);
    cleanups.push(async () => {
      await connection.close();
      await drop();
    });
    // The migrations as they stood before 0011, applied from a copy of the folder with the journal cut there.
    const before = mkdtempSync(join(tmpdir(), "countersign-pg-migrations-"));
    cleanups.push(async () => rmSync(before, { recursive: true, force: true }));
    cpSync(migrationsFolder, before, { recursive: true });
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const cut = journal.entries.findIndex((e) => e.tag.startsWith("0011_"));
    expect(cut).toBeGreaterThan(0);
    writeFileSync(join(before, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
    await migrate(connection.db, { migrationsFolder: before });

    const q = (text: string, values: unknown[] = []) => connection.pool.query(text, values);
    for (const statement of seedStatements) await q(statement);
    const events = [
      { id: 1, type: "assignment.issued", actorDepartment: "MIIT", department: "MOF", at: "2026-01-02T00:00:00.000Z" },
      { id: 4, type: "assignment.commented", actorDepartment: "MOF", department: "MOF", at: "2026-01-03T00:00:00.000Z" },
    ];
    let head: AuditChainHead | null = null;
    for (const e of events) {
      const row = nextAuditEventRow(
        {
          at: e.at,
          type: e.type as AuditEventType,
          actorUserId: 1,
          actorUsername: "liaison",
          actorRole: "liaison",
          actorDepartment: e.actorDepartment,
          planId: 1,
          measureNumber: 1,
          assignmentId: 1,
          department: e.department,
        },
        head,
      );
      await q(
        `insert into audit_events (id, seq, at, type, actor_user_id, actor_username, actor_role, actor_department, plan_id,
           measure_number, assignment_id, department, from_status, to_status, payload, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [e.id, row.seq, row.at, row.type, row.actorUserId, row.actorUsername, row.actorRole, row.actorDepartment, row.planId,
          row.measureNumber, row.assignmentId, row.department, row.fromStatus, row.toStatus, row.payload, row.prevHash, row.hash],
      );
      head = { seq: row.seq, hash: row.hash };
    }
    // Ids given, as a copy gives them: the identity goes on after them.
    await q("select setval(pg_get_serial_sequence('audit_events', 'id'), 4)");
    // The head of the old shape, as the old store left it (`last_id`: the id of the event at `seq`).
    await q("update audit_chain_head set seq = $1, last_id = 4, hash = $2", [head?.seq, head?.hash]);
    await q(
      `insert into comments (id, assignment_id, plan_id, author_user_id, author_department, body, created_at)
       values (1, 1, 1, 1, 'MOF', '已推进', '2026-01-03T00:00:00.000Z'), (2, 1, 1, 1, 'MOF', '无事件', '2026-01-04T00:00:00.000Z')`,
    );

    await migratePostgres(connection);
    expect((await q("select * from audit_chain_head")).rows).toEqual([
      { id: 1, seq: 2, hash: head?.hash, updated_at: "2026-01-03T00:00:00.000Z" },
    ]);
    expect((await q("select id, department from comments order by id")).rows).toEqual([
      { id: 1, department: "MOF" },
      { id: 2, department: null },
    ]);
    const store = createPostgresStore(connection);
    cleanups.push(() => store.close());
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 2 });
    const appended = await store.transaction(async (tx) =>
      tx.appendAuditEvent({
        at: "2026-01-05T00:00:00.000Z",
        type: "assignment.reminded",
        actorUserId: 1,
        actorUsername: "coordinator",
        actorRole: "coordinator",
        actorDepartment: "MIIT",
        assignmentId: 1,
        department: "MOF",
      }),
    );
    expect(appended).toMatchObject({ seq: 3, prevHash: head?.hash });
    expect((await q("select seq, updated_at from audit_chain_head")).rows).toEqual([{ seq: 3, updated_at: "2026-01-05T00:00:00.000Z" }]);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 3 });
  });
});

/** Rows both engines take as written (double-quoted names, `false` for a 0/1 boolean): departments, a plan, assignments. */
const seedStatements = [
  `insert into "departments" ("code", "name_en", "name_zh", "short_en", "short_zh", "signature_order") values
     ('MIIT', 'Ministry of Industry and Information Technology', '工业和信息化部', 'MIIT', '工业和信息化部', 1),
     ('MOF', 'Ministry of Finance', '财政部', 'MOF', '财政部', 2),
     ('NDRC', 'National Development and Reform Commission', '国家发展改革委', 'NDRC', '发展改革委', 3)`,
  `insert into "users" ("id", "username", "display_name", "role", "department", "password_hash", "created_at")
     values (1, 'liaison', '联络员', 'liaison', 'MOF', 'x', '2026-01-01T00:00:00.000Z')`,
  `insert into "plans" ("id", "key", "title_en", "title_zh", "document_number", "issued_on", "published_on", "lead_department", "created_at")
     values (1, 'p', 'Plan', '方案', 'No. 1', '2026-01-01', '2026-01-01', 'MIIT', '2026-01-01T00:00:00.000Z')`,
  `insert into "measures" ("id", "plan_id", "number", "section_number", "title", "text", "text_cut")
     values (1, 1, 1, 1, '措施1', '第1条', false)`,
  ...[1, 2, 3, 4, 5, 6].map(
    (id) => `insert into "assignments" ("id", "plan_id", "measure_id", "measure_number", "department", "role", "status",
       "due_date", "issued_at", "updated_at")
     values (${id}, 1, 1, 1, '${id === 2 ? "NDRC" : "MOF"}', 'supporting', 'assigned', '2026-12-31',
       '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`,
  ),
];

describe("the assignment notices' trigger", () => {
  /** One audit event row in SQL both engines take; its hash is not checked here. */
  function event(id: number, assignmentId: number | null, type: string, actorRole: string | null, actorDepartment: string | null, payload = "{}") {
    const text = (v: string | number | null) => (v === null ? "null" : typeof v === "number" ? String(v) : `'${v}'`);
    return `insert into "audit_events" ("id", "seq", "at", "type", "actor_role", "actor_department", "assignment_id", "payload", "prev_hash", "hash")
      values (${id}, ${id}, '2026-02-${String(id).padStart(2, "0")}T00:00:00.000Z', '${type}', ${text(actorRole)}, ${text(actorDepartment)},
        ${text(assignmentId)}, '${payload}', 'p', 'h${id}')`;
  }

  // Every case of SQLite's trigger: who acts (coordinator, the holder, another department, no department), which
  // types make a notice, the first issue against work added later (`added` true or 1, not "1" or false), reading a
  // notice and a later one making it unread again, and a reassignment addressing the new department.
  const script = [
    ...seedStatements,
    event(1, 1, "assignment.issued", "coordinator", "MIIT"),
    event(2, 2, "assignment.issued", "coordinator", "MIIT", '{"added":true}'),
    event(3, 1, "assignment.commented", "liaison", "MOF"),
    event(4, 3, "assignment.commented", "liaison", "NDRC"),
    event(5, 1, "assignment.accepted", "coordinator", "MIIT"),
    event(6, 1, "assignment.reminded", "coordinator", "MIIT"),
    `update "assignment_notices" set "unread" = false, "read_event_id" = "notice_event_id" where "assignment_id" = 1`,
    event(7, 1, "assignment.deadline_changed", "coordinator", "MIIT"),
    event(8, 4, "assignment.withdrawn", "admin", null),
    event(9, 5, "assignment.issued", "coordinator", "MIIT", '{"added":1}'),
    event(10, 6, "assignment.issued", "coordinator", "MIIT", '{"added":"1"}'),
    event(11, 6, "assignment.issued", "coordinator", "MIIT", '{"added":false}'),
    event(12, null, "assignment.reminded", "coordinator", "MIIT"),
    `update "assignments" set "department" = 'MOF' where "id" = 2`,
    event(13, 2, "assignment.reassigned", "coordinator", "MIIT"),
    event(14, 3, "assignment.role_changed", "liaison", "MOF"),
  ];
  const notices = `select "assignment_id", "department", "notice_event_id", "notice_type", "notice_at", "read_event_id", "unread"
    from "assignment_notices" order by "assignment_id"`;

  it("keeps the same notices as SQLite's trigger for the same events", async () => {
    const sqlite = openDatabase(":memory:");
    cleanups.push(async () => sqlite.close());
    for (const statement of script) sqlite.sqlite.exec(statement);
    const expected = (sqlite.sqlite.prepare(notices).all() as { unread: number }[]).map((r) => ({ ...r, unread: r.unread === 1 }));

    const { connection } = await database();
    for (const statement of script) await connection.pool.query(statement);
    const kept = await connection.pool.query(notices);
    expect(kept.rows).toEqual(expected);
    // What SQLite's trigger gives, spelled out: not only the same, but right.
    expect(kept.rows.map((r) => [r.assignment_id, r.department, r.notice_event_id, r.read_event_id, r.unread])).toEqual([
      [1, "MOF", 7, 6, true],
      [2, "MOF", 13, 0, true],
      [3, "MOF", 4, 0, true],
      [4, "MOF", 8, 0, true],
      [5, "MOF", 9, 0, true],
    ]);
  });
});

describe("the PostgreSQL chain head", () => {
  it("is checked against the end of the trail by SQLite's rule: replaced, behind or missing", async () => {
    const { connection } = await database();
    const store = createPostgresStore(connection);
    cleanups.push(() => store.close());
    await store.transaction(async (tx) => {
      for (const n of [1, 2]) {
        await tx.appendAuditEvent({
          at: `2026-01-0${n}T00:00:00.000Z`,
          type: "assignment.reminded",
          actorUserId: 1,
          actorUsername: "coordinator",
          actorRole: "coordinator",
          actorDepartment: "MIIT",
        });
      }
    });
    const head = await connection.pool.query("select * from audit_chain_head");
    expect(head.rows).toMatchObject([{ id: 1, seq: 2, updated_at: "2026-01-02T00:00:00.000Z" }]);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 2 });
    const q = (text: string) => connection.pool.query(text);
    await q("update audit_chain_head set hash = repeat('1', 64)");
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, reason: "head_mismatch", firstBroken: { seq: 2 } });
    await q("update audit_chain_head set seq = 1");
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, reason: "head_behind", firstBroken: { seq: 2 } });
    await q("delete from audit_chain_head");
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, reason: "head_missing" });
    // As on SQLite, the next append goes on from the last stored event and writes the row again.
    const next = await store.transaction(async (tx) =>
      tx.appendAuditEvent({
        at: "2026-01-03T00:00:00.000Z",
        type: "assignment.reminded",
        actorUserId: 1,
        actorUsername: "coordinator",
        actorRole: "coordinator",
        actorDepartment: "MIIT",
      }),
    );
    expect(next.seq).toBe(3);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 3 });
  });
});

describe("the PostgreSQL unit of work", () => {
  /** Two serializable units of work that each read the other's write set: one of them fails to serialise. */
  async function writeSkew(maxAttempts: number) {
    const { connection } = await database();
    const retries: string[] = [];
    const store = createPostgresStore(connection, { maxAttempts, onRetry: (_n, state) => retries.push(state) });
    cleanups.push(() => store.close());
    let runs = 0;
    // Both read the keys of user 1 and then add one: under SERIALIZABLE, PostgreSQL refuses the second to commit.
    const both = await Promise.allSettled(
      ["a", "b"].map((key) =>
        store.transaction(
          async (tx) => {
            runs += 1;
            const before = await tx.db.execute<{ n: number }>(sql`select count(*)::int as n from idempotency_keys where user_id = 1`);
            await sleep(50);
            await tx.db.execute(
              sql`insert into idempotency_keys (user_id, key, procedure, request_hash, response, created_at)
                  values (1, ${key}, 'p', 'h', ${String(before.rows[0]?.n)}, '2026-01-01T00:00:00.000Z')`,
            );
          },
          { isolation: "serializable" },
        ),
      ),
    );
    const rows = await connection.pool.query<{ key: string; response: string }>("select key, response from idempotency_keys order by response");
    return { both, retries, runs, rows: rows.rows };
  }

  it("retries a unit of work that failed to serialise (SQLSTATE 40001) until it commits", async () => {
    const { both, retries, runs, rows } = await writeSkew(5);
    expect(both.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(retries).toContain("40001");
    expect(runs).toBeGreaterThanOrEqual(3);
    // Retried from the start, the second saw the first one's row: serial results.
    expect(rows.map((r) => r.response)).toEqual(["0", "1"]);
  });

  it("gives up after maxAttempts and rethrows the serialisation failure", async () => {
    const { both, runs } = await writeSkew(1);
    const failed = both.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status === "rejected" && sqlState(failed[0].reason)).toBe("40001");
    expect(runs).toBe(2);
  });
});

describe("the LISTEN/NOTIFY live-event bus", () => {
  const event = (planId: number): LiveEvent => ({
    planId,
    assignmentIds: [1],
    measureNumbers: [1],
    departments: ["MOF"],
    audience: ["MOF"],
    at: "2026-01-03T00:00:00.000Z",
  });

  it("listens again after its connection is ended, and hears what is published afterwards", async () => {
    const { connection, url } = await database();
    const listening = new PostgresLiveEventBus(url, connection.pool, 100);
    const publishing = new PostgresLiveEventBus(url, connection.pool);
    cleanups.push(async () => {
      await listening.close();
      await publishing.close();
    });
    const heard: number[] = [];
    await listening.subscribe((e) => heard.push(e.planId));
    await publishing.publish(event(1));
    const pid = await listening.listenerBackendPid();
    expect(pid).not.toBeNull();
    await connection.pool.query("select pg_terminate_backend($1)", [pid]);
    const deadline = Date.now() + 5000;
    // Listening again: a live connection with another server process.
    const listeningAgain = async () => {
      const now = await listening.listenerBackendPid();
      return now !== null && now !== pid;
    };
    while (Date.now() < deadline && !(await listeningAgain())) await sleep(50);
    expect(await listeningAgain()).toBe(true);
    await publishing.publish(event(2));
    while (Date.now() < deadline && !heard.includes(2)) await sleep(20);
    expect(heard).toEqual([1, 2]);
  });

  it("gives events ids in commit order, the same to every listener; loses its data version while the connection is down and re-syncs above a watermark", async () => {
    const { connection, url } = await database();
    const a = new PostgresLiveEventBus(url, connection.pool, 100);
    const b = new PostgresLiveEventBus(url, connection.pool, 100);
    cleanups.push(async () => {
      await a.close();
      await b.close();
    });
    const states: LiveDeliveryState[] = [];
    a.watchDelivery((state) => states.push(state));
    const heardA: LiveEvent[] = [];
    const heardB: LiveEvent[] = [];
    expect(a.dataVersion()).toBeNull();
    await a.subscribe((e) => heardA.push(e));
    await b.subscribe((e) => heardB.push(e));
    expect(states).toEqual([{ kind: "whole", watermark: 0, generation: 1 }]);
    const before = a.dataVersion();
    expect(before).not.toBeNull();
    // Ten publishers at once: every listener hears the same ids, growing.
    await Promise.all(Array.from({ length: 10 }, (_, i) => b.publish(event(i + 1))));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (heardA.length < 10 || heardB.length < 10)) await sleep(20);
    const idsA = heardA.map((e) => e.id);
    expect(idsA).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(heardB.map((e) => e.id)).toEqual(idsA);
    expect(await a.lastAssignedId()).toBe(10);
    expect(a.dataVersion()).not.toBe(before);

    const pid = await a.listenerBackendPid();
    await connection.pool.query("select pg_terminate_backend($1)", [pid]);
    while (Date.now() < deadline && states.length < 2) await sleep(5);
    expect(states[1]).toEqual({ kind: "lost" });
    expect(a.dataVersion()).toBeNull();
    // Published while A is away: A never hears it, and re-syncs above it.
    await b.publish(event(11));
    while (Date.now() < deadline && states.length < 3) await sleep(20);
    expect(states[2]).toMatchObject({ kind: "whole", generation: 2 });
    const watermark = states[2]?.kind === "whole" ? states[2].watermark : -1;
    expect(watermark).toBeGreaterThanOrEqual(heardA.length > 10 ? 10 : 11);
    const after = a.dataVersion();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    await b.publish(event(12));
    while (Date.now() < deadline && !heardA.some((e) => e.planId === 12)) await sleep(20);
    expect(heardA.at(-1)).toMatchObject({ planId: 12, id: 12 });
    expect(heardB.map((e) => e.id)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it("takes a unit of work's live ids and sends their NOTIFYs in one statement before its commit, each event heard with its id in order", async () => {
    const { url } = await database();
    // What the unit of work says to the database (drizzle's logger), so that the round trips made while the chain
    // head's lock holds every other commit back are counted: issue 17, writes on PostgreSQL.
    const statements: string[] = [];
    const logged = connectPostgres(url, { logger: { logQuery: (query) => statements.push(query) } });
    const listening = new PostgresLiveEventBus(url, logged.pool, 100);
    const store = createPostgresStore(logged, { live: listening });
    cleanups.push(async () => {
      await store.close();
      await logged.close();
    });
    const heard: LiveEvent[] = [];
    await listening.subscribe((e) => heard.push(e));
    await listening.publish(event(1));
    const sent = await store.transaction(async (tx) => {
      await tx.appendAuditEvent({
        type: "assignment.reminded",
        at: "2026-01-03T00:00:00.000Z",
        actorUserId: null,
        actorUsername: "test",
        actorRole: "liaison",
        actorDepartment: "MOF",
        payload: { note: "x" },
      });
      statements.length = 0;
      tx.afterCommit(event(2));
      tx.afterCommit(event(3));
      tx.afterCommit(event(4));
      return "done";
    });
    expect(sent).toBe("done");
    // After the append: nothing but the one statement of the live ids and their NOTIFYs, then the commit.
    expect(statements).toEqual([expect.stringContaining("countersign_notify_live("), "commit"]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && heard.length < 4) await sleep(20);
    expect(heard).toEqual([1, 2, 3, 4].map((n) => ({ ...event(n), id: n })));
  });

  it("appends an audit event in one statement that locks the head, hashes the event as auditEventHash does and moves the head", async () => {
    const { url } = await database();
    const statements: string[] = [];
    const logged = connectPostgres(url, { logger: { logQuery: (query) => statements.push(query) } });
    const store = createPostgresStore(logged, { live: new PostgresLiveEventBus(url, logged.pool) });
    cleanups.push(async () => {
      await store.close();
      await logged.close();
    });
    // Text JSON escapes (quotes, a backslash, a control character), Chinese and a character outside the BMP, nulls.
    const append = (n: number, note: string) =>
      store.transaction(async (tx) =>
        tx.appendAuditEvent({
          type: "assignment.reminded",
          at: `2026-01-0${n}T00:00:00.000Z`,
          actorUserId: n === 2 ? null : 7,
          actorUsername: "测试 \"q\"",
          actorRole: "liaison",
          actorDepartment: "MOF",
          department: n === 2 ? null : "MOF",
          payload: { z: note, n, a: null, b: n === 2 },
        }),
      );
    // The first append finds no head row: the head is written from the trail (the path with the head read first).
    const first = await append(1, "起点");
    statements.length = 0;
    const second = await append(2, 'a "quoted" \\ back\u0001slash 融资 𠀋');
    const third = await append(3, "");
    expect(statements.filter((q) => /audit_chain_head|audit_events/.test(q))).toEqual([
      expect.stringMatching(/^with "head" as \(select "seq", "hash" from "audit_chain_head" where "id" = 1 for update\).*insert into "audit_events"/s),
      expect.stringMatching(/^with "head" as/),
    ]);
    expect(second).toMatchObject({ seq: first.seq + 1, prevHash: first.hash, actorUserId: null, department: null });
    expect(third).toMatchObject({ seq: second.seq + 1, prevHash: second.hash });
    const [head] = (await logged.pool.query<{ seq: number; hash: string; updated_at: string }>("select seq, hash, updated_at from audit_chain_head")).rows;
    expect(head).toEqual({ seq: third.seq, hash: third.hash, updated_at: third.at });
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 3 });
  });

  it("notices a LISTEN connection that stopped answering without closing (its server process frozen) by its heartbeat", async () => {
    const { connection, url } = await database();
    const bus = new PostgresLiveEventBus(url, connection.pool, 100, 200);
    const states: LiveDeliveryState[] = [];
    bus.watchDelivery((state) => states.push(state));
    await bus.subscribe(() => undefined);
    const pid = await bus.listenerBackendPid();
    if (pid === null) throw new Error("not listening");
    // The server process stops (SIGSTOP: no reset, no error, the socket stays open), as behind a dead network path.
    process.kill(pid, "SIGSTOP");
    cleanups.push(async () => {
      process.kill(pid, "SIGCONT");
      await bus.close();
    });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && states.length < 2) await sleep(20);
    expect(states.map((s) => s.kind)).toEqual(["whole", "lost"]);
    expect(bus.dataVersion()).toBeNull();
    // Listening again on a new connection (the frozen one is left behind).
    while (Date.now() < deadline && states.length < 3) await sleep(20);
    expect(states[2]).toMatchObject({ kind: "whole", generation: 2 });
    expect(bus.dataVersion()).not.toBeNull();
  });
});
