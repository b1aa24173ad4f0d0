import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type {} from "@fastify/cookie";
import { planCalendarDate } from "@countersign/domain";
import { sessionOfRequest } from "../context.js";
import type { ServerDeps } from "../context.js";
import { AnswerCache, defaultAnswerCacheBounds } from "./answer-cache.js";
import type { AnswerCacheBounds } from "./answer-cache.js";
import { cacheableCall } from "./cacheable.js";
import { entityTag, ifNoneMatchMatches, serverBuildId } from "./validators.js";

export interface HttpCacheOptions {
  /** Off: no validators, no cache (every answer built as before). Default on. */
  enabled?: boolean;
  bounds?: Partial<AnswerCacheBounds>;
  /** The cache to use (tests read its size); by default a new one with `bounds`. */
  cache?: AnswerCache;
}

/** What a cacheable GET that missed the cache waits for: its answer, to be tagged and kept. */
interface PendingAnswer {
  key: string;
  etag: string;
  epoch: string;
}

/**
 * Browsers keep the answer but ask every time (`no-cache`: revalidate before each use, with If-None-Match); shared
 * caches never keep it (`private`). The answer depends on the session cookie and on tRPC's streaming header.
 */
const cacheControl = "private, no-cache";
const vary = "Cookie, trpc-accept";
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
/** The cache's epoch while the data version is unknown: no key is built under it, so nothing is kept or found. */
const offEpoch = "off";

function tag(reply: FastifyReply, etag: string): void {
  reply.header("ETag", etag);
  reply.header("Cache-Control", cacheControl);
  reply.header("Vary", vary);
}

/**
 * HTTP validators and the answer cache for the tRPC queries of `cacheableProcedures` (issue 17, reads), on Fastify's
 * own hooks around the tRPC adapter (whose `responseMeta` sees neither the request's headers nor the body):
 * - onRequest, for a GET of cacheable calls with a live session (resolved here as createContext does; without one
 *   nothing happens and tRPC answers 401 as before): the key is the server build, the data version, the user (id,
 *   role, department, department role, division), the plan calendar day and the URL (procedures and input as sent).
 *   If-None-Match naming its tag → 304 without a body; a kept answer → 200 with its bytes; else tRPC builds it.
 * - onSend: a built 200 is tagged (ETag, Cache-Control, Vary) and kept; errors are neither tagged nor kept.
 * The data version is read before the answer is built, so an answer is never kept under a newer version than its
 * data. SQLite: the audit chain head moves in the same transaction as every audited change; data_version moves with
 * other processes' commits. PostgreSQL: every instance's unit of work that wrote NOTIFYs in its commit, and this
 * instance counts what its LISTEN connection hears; while that connection is down the version is null and the cache
 * and validators are off (docs/performance.md states the promise). On both, this process's own mutations (some, such
 * as `inbox.markRead`, append no audit event) are counted as they start and again as their answer leaves.
 * Returns the cache (tests and the bench read its size).
 */
export function registerHttpCache(app: FastifyInstance, deps: ServerDeps, options: HttpCacheOptions = {}): AnswerCache {
  const cache = options.cache ?? new AnswerCache({ ...defaultAnswerCacheBounds, ...options.bounds });
  if (options.enabled === false) return cache;
  let ownWrites = 0;
  const pending = new WeakMap<FastifyRequest, PendingAnswer>();

  app.addHook("onRequest", async (req, reply) => {
    if (req.method !== "GET") {
      if (!safeMethods.has(req.method)) ownWrites += 1;
      return;
    }
    const url = req.url;
    const queryAt = url.indexOf("?");
    if (!cacheableCall(queryAt === -1 ? url : url.slice(0, queryAt))) return;
    // A streamed (JSON lines) answer is another representation; it is served as before.
    if (req.headers["trpc-accept"] !== undefined) return;
    const session = await sessionOfRequest(deps, req);
    if (session === null) return;
    // Read after the session's lookup (whose touch writes on this connection, not another's) and before the answer.
    const version = await deps.store.dataVersion();
    if (version === null) {
      // Unknown (PostgreSQL: the LISTEN connection is down or not re-synced; commits may pass unheard): no validator,
      // no cached answer, and what is kept is dropped (an answer being built now is not kept either).
      cache.advance(offEpoch);
      return;
    }
    const epoch = `${serverBuildId}|${version}|${ownWrites}|${planCalendarDate(deps.now())}`;
    cache.advance(epoch);
    const u = session.user;
    const key = `${epoch}|${u.id}|${u.role}|${u.organisation ?? ""}|${u.department ?? ""}|${u.departmentRole ?? ""}|${u.divisionId ?? ""}|${u.username}|${u.displayName}|${url}`;
    const etag = entityTag(key);
    if (ifNoneMatchMatches(req.headers["if-none-match"], etag)) {
      tag(reply, etag);
      return reply.code(304).send();
    }
    const kept = cache.get(key);
    if (kept !== undefined) {
      tag(reply, etag);
      return reply.code(200).type(kept.contentType).send(kept.body);
    }
    pending.set(req, { key, etag, epoch });
    return;
  });

  app.addHook("onSend", async (req, reply, payload) => {
    if (req.method !== "GET") {
      if (!safeMethods.has(req.method)) ownWrites += 1;
      return payload;
    }
    const wanted = pending.get(req);
    if (wanted === undefined) return payload;
    pending.delete(req);
    // The tRPC route (trpc-route.ts) sends a complete JSON answer as its bytes, its status and headers already set.
    if (reply.statusCode !== 200 || !Buffer.isBuffer(payload)) return payload;
    const body = payload;
    const contentType = String(reply.getHeader("content-type") ?? "application/json");
    tag(reply, wanted.etag);
    cache.set(wanted.key, { etag: wanted.etag, contentType, body }, wanted.epoch);
    return body;
  });

  return cache;
}
