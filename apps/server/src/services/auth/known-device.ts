import { and, desc, eq, notInArray } from "drizzle-orm";
import type { Queryable } from "@countersign/db";
import { knownDevicesTable, usersTable } from "@countersign/db/schema";
import { newSessionToken, sessionIdOf } from "./session-token.js";

/** The cookie of a browser that signed in before: a random token; only its sha256 is stored. */
export const deviceCookieName = "countersign_device";

/** How long a browser stays known without signing in again: one year. */
export const deviceCookieMaxAgeMs = 365 * 24 * 60 * 60 * 1000;

/** Known devices kept per account (the most recently used); older ones become unknown again. */
export const maxKnownDevicesPerAccount = 10;

export interface KnownDevice {
  /** The stored id (sha256 of the cookie's token). */
  id: string;
  userId: number;
  /** The account's username, lower case. */
  username: string;
}

/** The account a device cookie belongs to, or null for a missing, unknown or expired one. */
export function knownDeviceOf(db: Queryable, token: string | null, now: Date): KnownDevice | null {
  if (token === null || token === "" || token.length > 100) return null;
  const id = sessionIdOf(token);
  const row = db
    .select({ userId: knownDevicesTable.userId, lastSignInAt: knownDevicesTable.lastSignInAt, username: usersTable.username })
    .from(knownDevicesTable)
    .innerJoin(usersTable, eq(usersTable.id, knownDevicesTable.userId))
    .where(eq(knownDevicesTable.id, id))
    .get();
  if (row === undefined) return null;
  if (Date.parse(row.lastSignInAt) + deviceCookieMaxAgeMs < now.getTime()) return null;
  return { id, userId: row.userId, username: row.username };
}

/**
 * After a successful sign-in (inside its transaction): keeps the device known to the account, or makes it known
 * with a new token. Returns the cookie's token (the same one when the device was already known to this account).
 */
export function rememberDevice(tx: Queryable, userId: number, token: string | null, now: Date): string {
  const at = now.toISOString();
  const known = knownDeviceOf(tx, token, now);
  if (token !== null && known !== null && known.userId === userId) {
    tx.update(knownDevicesTable).set({ lastSignInAt: at }).where(eq(knownDevicesTable.id, known.id)).run();
    return token;
  }
  const fresh = newSessionToken();
  tx.insert(knownDevicesTable).values({ id: sessionIdOf(fresh), userId, createdAt: at, lastSignInAt: at }).run();
  const keep = tx
    .select({ id: knownDevicesTable.id })
    .from(knownDevicesTable)
    .where(eq(knownDevicesTable.userId, userId))
    .orderBy(desc(knownDevicesTable.lastSignInAt))
    .limit(maxKnownDevicesPerAccount)
    .all()
    .map((r) => r.id);
  tx.delete(knownDevicesTable).where(and(eq(knownDevicesTable.userId, userId), notInArray(knownDevicesTable.id, keep))).run();
  return fresh;
}
