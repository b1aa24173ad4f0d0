import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { AnyStore, CountersignDb, OpenedDatabase } from "@countersign/db";
import { connectPostgres, copyFromSqlite, createPostgresStore, migratePostgres } from "@countersign/db-postgres";
import { freshDatabaseUrl } from "@countersign/db-postgres/test-support";
import { sqliteOnlyOnPostgres } from "../engine-gate.js";
import { usersTable } from "@countersign/db/schema";
import { defaultPlan } from "@countersign/domain";
import type { Context } from "../context.js";
import { demoAccounts, demoPassword, registerDemoOrganisations } from "../demo/demo-accounts.js";
import { describeError } from "../errors.js";
import { assertAuditPayloadsTyped } from "./audit-payloads.js";
import { LiveBus, liveRingCapacity } from "../live.js";
import { bridgeStoreLiveEvents, liveIdsOf } from "../live-bridge.js";
import { createCaller } from "../router.js";
import { hashPassword } from "../services/auth/password.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { planIdByKey } from "../services/catalog/list-plans.js";

/**
 * The seed, copied into a fresh PostgreSQL database with the production copy (`copyFromSqlite`, as
 * `cli db migrate-to-postgres` runs it), and the store on it. The SQLite handle refuses every use, as on a server
 * started on PostgreSQL.
 */
async function postgresSeam(
  database: OpenedDatabase,
): Promise<{
  store: AnyStore;
  db: CountersignDb;
  url: string;
  dispose: () => Promise<void>;
  anotherStore: () => Promise<{ store: AnyStore; close: () => Promise<void> }>;
  rows: Harness["rows"];
}> {
  const { url, drop } = await freshDatabaseUrl();
  const connection = connectPostgres(url);
  try {
    await migratePostgres(connection);
    // The copy reads the file: what this connection wrote must be in it, not in its write-ahead log only.
    database.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    await copyFromSqlite(database.path, connection);
  } catch (error) {
    await connection.close();
    await drop();
    throw error;
  }
  const store = createPostgresStore(connection);
  return {
    store,
    url,
    anotherStore: async () => {
      const other = connectPostgres(url);
      const otherStore = createPostgresStore(other);
      return {
        store: otherStore,
        close: async () => {
          await otherStore.close();
          await other.close();
        },
      };
    },
    db: sqliteOnlyOnPostgres(),
    rows: async <T,>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
      let n = 0;
      const result = await connection.pool.query(
        sql.replace(/\?/g, () => `$${++n}`),
        [...params],
      );
      return result.rows as T[];
    },
    dispose: async () => {
      await connection.close();
      await drop();
    },
  };
}

// One scrypt hash for every test account: hashing is deliberately slow.
let demoHash: Promise<string> | null = null;

export interface Harness {
  /** The engine the callers' store runs on. */
  engine: "sqlite" | "postgres";
  /**
   * The SQLite database: on SQLite, the one every caller uses; on PostgreSQL, only the seed the PostgreSQL database
   * was copied from (read what the callers changed through `store`).
   */
  database: OpenedDatabase;
  /** The store seam the callers' context holds (`ctx.store`). */
  store: AnyStore;
  /**
   * A second server instance's store on the same database (PostgreSQL: its own connection pool and live bus;
   * SQLite: a store on the same connection, as the one process on the file holds it). Close it before `close`.
   */
  anotherStore(): Promise<{ store: AnyStore; close: () => Promise<void> }>;
  /**
   * The test's own look at the callers' database, bypassing the store: one SQL text for both engines (`?`
   * placeholders; column names as stored, snake_case). Rows come back as each driver gives them: on PostgreSQL
   * `count(*)` is a string and jsonb columns are parsed, so compare counts with `Number(...)`. A statement that
   * returns no rows (an update a test sets up with) resolves with [].
   */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The environment a command line (`cli …`) takes to work on the callers' database: DATABASE_PATH or DATABASE_URL. */
  commandEnv: Record<string, string>;
  live: LiveBus;
  planId: number;
  /** The clock every caller sees; tests move it. */
  clock: { now: Date };
  /**
   * A demo account as an acting user, read from the seed (synchronously). On PostgreSQL an account a test made or
   * changed through the callers is not in the seed: read it with `userOf`.
   */
  user(username: string): ActingUser;
  /** An account as an acting user, read afresh from the callers' database through the store (either engine). */
  userOf(username: string): Promise<ActingUser>;
  /**
   * A tRPC caller signed in as this account (no cookie round trip), its user read afresh from the callers' database
   * at each call, as a session would: an account made or changed by a test acts as it now is, on either engine.
   */
  as(username: string): ReturnType<typeof createCaller>;
  /** A caller with no session. */
  anonymous(cookies?: Context["cookies"], sessionId?: string | null): ReturnType<typeof createCaller>;
  context(user: ActingUser | null, extra?: Partial<Context>): Context;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The SQLite file (default `:memory:`; on PostgreSQL a temporary file, the seed copied from). */
  path?: string;
  now?: Date;
  /**
   * "postgres": the same seed copied into a fresh database on the test run's PostgreSQL cluster (apps/server's
   * vitest global setup starts one), the callers' store on it, and `ctx.db` refusing every use (engine-gate.ts),
   * as a server started with `DATABASE_URL=postgres://…` has it. Default "sqlite".
   */
  engine?: "sqlite" | "postgres";
  /**
   * Sets up more of the seed before the test's callers run (on PostgreSQL before the copy), through SQLite callers
   * (`as`), so that a test reads the same state on either engine.
   */
  seed?: (seeder: HarnessSeeder) => void | Promise<void>;
}

/** What a harness's `seed` works with: the SQLite seed database, the default plan's id and callers on SQLite. */
export interface HarnessSeeder {
  db: CountersignDb;
  /** The SQLite seed itself (its `sqlite` handle for raw statements). */
  database: OpenedDatabase;
  planId: number;
  /** The harness's starting time. */
  now: Date;
  /** The harness's clock: the callers see `clock.now`, which a seed may move (and leaves as the test's start). */
  clock: { now: Date };
  /** A demo account as an acting user, read afresh. */
  user(username: string): ActingUser;
  /** A caller signed in as this demo account, on the SQLite seed, at the harness's starting time. */
  as(username: string): ReturnType<typeof createCaller>;
}

/** The engines the seam's tests run on: both (issue 13: the server's suites on SQLite and on PostgreSQL). */
export const harnessEngines = ["sqlite", "postgres"] as const;

/**
 * The engine a harness without `engine` runs on: `COUNTERSIGN_TEST_ENGINE` ("sqlite" | "postgres", default "sqlite").
 * The test command runs the server's suite once more with it set to "postgres" (issue 13: the server's suites on both
 * engines). Throws on any other value, so that a typo cannot quietly run SQLite twice.
 */
export function defaultHarnessEngine(): "sqlite" | "postgres" {
  const chosen = process.env.COUNTERSIGN_TEST_ENGINE;
  if (chosen === undefined || chosen === "" || chosen === "sqlite") return "sqlite";
  if (chosen === "postgres") return "postgres";
  throw new Error(`COUNTERSIGN_TEST_ENGINE must be "sqlite" or "postgres", not ${JSON.stringify(chosen)}`);
}

/** A real database (`:memory:` unless a path is given) with the migrations applied, the 2020 plan and the demo accounts. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const engine = options.engine ?? defaultHarnessEngine();
  const seedDir = engine === "postgres" && options.path === undefined ? mkdtempSync(join(tmpdir(), "countersign-harness-")) : null;
  const database = openDatabase(options.path ?? (seedDir === null ? ":memory:" : join(seedDir, "seed.sqlite")));
  const now = options.now ?? new Date("2026-03-02T02:00:00Z");
  loadDefaultPlan(database.db, now.toISOString());
  demoHash ??= hashPassword(demoPassword);
  const passwordHash = await demoHash;
  registerDemoOrganisations(database.db);
  for (const a of demoAccounts()) {
    database.db
      .insert(usersTable)
      .values({ ...a, passwordHash, createdAt: now.toISOString() })
      .run();
  }
  const planId = planIdByKey(database.db, defaultPlan.key);
  if (planId === null) throw new Error("the default plan did not load");
  // Read afresh, as a session would: an account made or changed by a test (a handler, a leader) acts as it now is.
  const user = (username: string): ActingUser => {
    const row = database.db.select().from(usersTable).where(eq(usersTable.username, username)).get();
    if (row === undefined) throw new Error(`no test account ${username}`);
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      department: row.department,
      departmentRole: row.departmentRole,
      divisionId: row.divisionId,
    };
  };
  const clock = { now };
  const noCookies: Context["cookies"] = { set: () => undefined, clear: () => undefined };
  const contextOn = (store: AnyStore, db: CountersignDb, live: LiveBus, user: ActingUser | null, extra: Partial<Context> = {}): Context => ({
    store,
    db,
    live,
    sessionPolicy: defaultSessionPolicy,
    now: () => clock.now,
    secureCookies: false,
    user,
    sessionId: user === null ? null : `test-session-${user.username}`,
    request: { ip: "127.0.0.1", userAgent: "vitest" },
    cookies: noCookies,
    ...extra,
  });
  if (options.seed !== undefined) {
    const seedStore = createSqliteStore(database);
    const seedLive = new LiveBus();
    try {
      await options.seed({
        db: database.db,
        database,
        planId,
        now,
        clock,
        user,
        as: (username) => createCaller(contextOn(seedStore, database.db, seedLive, user(username))),
      });
    } finally {
      await seedStore.close();
    }
  }
  const seam =
    engine === "postgres"
      ? await postgresSeam(database)
      : {
          store: createSqliteStore(database),
          db: database.db,
          url: null,
          dispose: async () => undefined,
          anotherStore: async () => {
            const other = createSqliteStore(database);
            return { store: other, close: () => other.close() };
          },
          rows: async <T,>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
            const statement = database.sqlite.prepare(sql);
            if (statement.reader) return statement.all(...params) as T[];
            statement.run(...params);
            return [];
          },
        };
  const { store } = seam;
  // As start.ts: on PostgreSQL the ids of live changes come from the database.
  const userOf = async (username: string): Promise<ActingUser> => {
    const row = await store.read((repos) => repos.accounts.byUsername(username));
    if (row === undefined) throw new Error(`no test account ${username}`);
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      department: row.department,
      departmentRole: row.departmentRole,
      divisionId: row.divisionId,
    };
  };
  const live = new LiveBus(liveRingCapacity, liveIdsOf(store));
  const unbridge = await bridgeStoreLiveEvents(store, live);
  const context = (user: ActingUser | null, extra: Partial<Context> = {}): Context => contextOn(store, seam.db, live, user, extra);
  return {
    engine,
    database,
    store,
    anotherStore: seam.anotherStore,
    rows: seam.rows,
    commandEnv: seam.url === null ? { DATABASE_PATH: database.path } : { DATABASE_URL: seam.url },
    live,
    planId,
    clock,
    user,
    userOf,
    as: (username) => createCaller(async () => context(await userOf(username))),
    anonymous: (cookies = noCookies, sessionId = null) => createCaller(context(null, { cookies, sessionId })),
    context,
    // Every event the test wrote must fit its type's payload schema (audit-payloads.ts).
    close: async () => {
      try {
        await unbridge();
        await store.close();
        if (engine === "sqlite") assertAuditPayloadsTyped(database);
      } finally {
        await seam.dispose();
        database.close();
        if (seedDir !== null) rmSync(seedDir, { recursive: true, force: true });
      }
    },
  };
}


/** The liaison account of a department. */
export function liaisonName(department: string): string {
  return department === "MIIT" ? "miit-liaison" : department.toLowerCase();
}

export interface Refusal {
  /** tRPC's code, e.g. "FORBIDDEN". */
  code: string;
  refusalCode: string;
  field: string | null;
  message: string;
  current: { version: number; status: string } | null;
}

/** Runs `fn` (a caller's procedure) and returns the refusal it throws, described as the API describes it. */
export async function refusalOf(fn: () => Promise<unknown>): Promise<Refusal> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const detail = describeError(error);
    return { code: error.code, refusalCode: detail.refusalCode, field: detail.field, message: detail.message, current: detail.current };
  }
  throw new Error("expected a refusal, but the call succeeded");
}
