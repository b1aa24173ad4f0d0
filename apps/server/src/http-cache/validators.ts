import { createHash, randomBytes } from "node:crypto";

/**
 * The server's build, part of every entity tag so that a deploy (which may change an answer's shape) never gets a
 * 304 for an answer of the previous build: `COUNTERSIGN_BUILD_ID` when the deployment sets one (the same on every
 * instance behind one address), else a random id per process, so that any restart invalidates.
 */
export const serverBuildId: string = process.env["COUNTERSIGN_BUILD_ID"] ?? `boot-${randomBytes(6).toString("hex")}`;

/**
 * The entity tag of one answer: a strong tag (the same key gives the same bytes), 27 characters of base64url SHA-256
 * over the key's parts, which name the build, the data version, the user and their scope, the plan calendar day and
 * the call (procedure and input, as sent).
 */
export function entityTag(key: string): string {
  return `"${createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`;
}

/**
 * Whether an `If-None-Match` header matches `tag` (RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`).
 * An absent or empty header matches nothing.
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  const opaque = tag.startsWith("W/") ? tag.slice(2) : tag;
  for (const part of value.split(",")) {
    const candidate = part.trim();
    if ((candidate.startsWith("W/") ? candidate.slice(2) : candidate) === opaque) return true;
  }
  return false;
}
