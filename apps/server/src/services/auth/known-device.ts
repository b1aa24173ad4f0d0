import type { Repositories } from "@countersign/db";
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
export async function knownDeviceOf(repos: Repositories, token: string | null, now: Date): Promise<KnownDevice | null> {
  if (token === null || token === "" || token.length > 100) return null;
  const id = sessionIdOf(token);
  const row = await repos.sessions.knownDevice(id);
  if (row === undefined) return null;
  if (Date.parse(row.lastSignInAt) + deviceCookieMaxAgeMs < now.getTime()) return null;
  return { id, userId: row.userId, username: row.username };
}

/**
 * After a successful sign-in (inside its unit of work, `tx.repos`): keeps the device known to the account, or makes
 * it known with `freshToken` (made by the caller outside the unit of work, which may run twice). Returns the cookie's
 * token (the same one when the device was already known to this account).
 */
export async function rememberDevice(repos: Repositories, userId: number, token: string | null, freshToken: string, now: Date): Promise<string> {
  const at = now.toISOString();
  const known = await knownDeviceOf(repos, token, now);
  if (token !== null && known !== null && known.userId === userId) {
    await repos.sessions.touchKnownDevice(known.id, at);
    return token;
  }
  await repos.sessions.addKnownDevice({ id: sessionIdOf(freshToken), userId, createdAt: at, lastSignInAt: at });
  await repos.sessions.keepNewestKnownDevices(userId, maxKnownDevicesPerAccount);
  return freshToken;
}

/** A new device token, for `rememberDevice`. */
export const newDeviceToken = newSessionToken;
