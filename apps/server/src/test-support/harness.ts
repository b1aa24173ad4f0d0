import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { usersTable } from "@countersign/db/schema";
import { defaultPlan } from "@countersign/domain";
import type { Context } from "../context.js";
import { demoAccounts, demoPassword, registerDemoOrganisations } from "../demo/demo-accounts.js";
import { describeError } from "../errors.js";
import { assertAuditPayloadsTyped } from "./audit-payloads.js";
import { LiveBus } from "../live.js";
import { createCaller } from "../router.js";
import { hashPassword } from "../services/auth/password.js";
import { defaultSessionPolicy } from "../services/auth/session-policy.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { planIdByKey } from "../services/catalog/list-plans.js";

// One scrypt hash for every test account: hashing is deliberately slow.
let demoHash: Promise<string> | null = null;

export interface Harness {
  database: OpenedDatabase;
  live: LiveBus;
  planId: number;
  /** The clock every caller sees; tests move it. */
  clock: { now: Date };
  user(username: string): ActingUser;
  /** A tRPC caller signed in as this demo account (no cookie round trip). */
  as(username: string): ReturnType<typeof createCaller>;
  /** A caller with no session. */
  anonymous(cookies?: Context["cookies"], sessionId?: string | null): ReturnType<typeof createCaller>;
  context(user: ActingUser | null, extra?: Partial<Context>): Context;
  close(): void;
}

/** A real database (`:memory:` unless a path is given) with the migrations applied, the 2020 plan and the demo accounts. */
export async function createHarness(options: { path?: string; now?: Date } = {}): Promise<Harness> {
  const database = openDatabase(options.path ?? ":memory:");
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
  const live = new LiveBus();
  const clock = { now };
  const noCookies: Context["cookies"] = { set: () => undefined, clear: () => undefined };
  const context = (user: ActingUser | null, extra: Partial<Context> = {}): Context => ({
    db: database.db,
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
  return {
    database,
    live,
    planId,
    clock,
    user,
    as: (username) => createCaller(context(user(username))),
    anonymous: (cookies = noCookies, sessionId = null) => createCaller(context(null, { cookies, sessionId })),
    context,
    // Every event the test wrote must fit its type's payload schema (audit-payloads.ts).
    close: () => {
      try {
        assertAuditPayloadsTyped(database);
      } finally {
        database.close();
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
