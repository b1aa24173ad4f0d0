import { createHash, randomBytes } from "node:crypto";

/** A random 256-bit token for the cookie. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Only the sha256 of a token is stored, so a copy of the database opens no session. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
