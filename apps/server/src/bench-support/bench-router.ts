/**
 * Procedures and a route for the benchmark only (packages/bench), served by its own entry point
 * (bench-support/server.ts) and never by `main.ts`, whose modules do not import this one: they are not part of the
 * public API and carry no authentication.
 */
import { z } from "zod";
import { departmentCodeSchema } from "@countersign/domain";
import type { AnyStore } from "@countersign/db";
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../context.js";
import { inboxMaxLimit, listInbox } from "../services/inbox/list-inbox.js";
import type { InboxPage } from "../services/inbox/list-inbox.js";
import type { ActingUser } from "../services/shared/acting-user.js";
import { appRouter } from "../router.js";
import { authedProcedure, publicProcedure, router } from "../trpc.js";

/** Reads on behalf of the benchmark: a reader of every department, never an actor. */
const benchReader: ActingUser = { id: 0, username: "bench", displayName: "bench", role: "observer", department: null };

const pages = new Map<string, InboxPage>();

/**
 * One department's first inbox page, computed on the first call and then answered from memory: the same bytes as
 * that department's liaison gets from `inbox.list`, with nothing behind them (no session, no database).
 */
export function constantInboxPage(store: AnyStore, department: string, limit: number, now: Date): InboxPage | Promise<InboxPage> {
  const key = `${department}:${limit}`;
  const page = pages.get(key);
  if (page !== undefined) return page;
  return store.read((repos) => listInbox(repos, benchReader, { department, limit }, now)).then((built) => {
    pages.set(key, built);
    return built;
  });
}

export const constantInputSchema = z.object({ department: departmentCodeSchema, limit: z.number().int().min(1).max(inboxMaxLimit) });

export const benchRouter = router({
  /** The transport's ceiling: a constant answer of the size and shape of an inbox page, on the same stack. */
  constant: publicProcedure.input(constantInputSchema).query(({ ctx, input }) => constantInboxPage(ctx.store, input.department, input.limit, ctx.now())),
  /** The same behind the session check: what an inbox answered from a cache could reach. */
  constantSignedIn: authedProcedure
    .input(constantInputSchema)
    .query(({ ctx, input }) => constantInboxPage(ctx.store, input.department, input.limit, ctx.now())),
});

/** The public API plus `bench.*`: what the benchmark's server serves at /trpc. */
export const benchAppRouter = router({ ...appRouter._def.record, bench: benchRouter });

/** The benchmark's plain-Fastify ceiling, `GET /bench/constant`: the same bytes as `bench.constant`, without tRPC. */
export function registerBenchRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/bench/constant", async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const input = constantInputSchema.parse({ department: query["department"], limit: Number(query["limit"]) });
    const page = await constantInboxPage(deps.store, input.department, input.limit, deps.now());
    return reply.type("application/json").send(JSON.stringify({ result: { data: page } }));
  });
  // The store's group commit counts so far (SQLite; null on PostgreSQL): the write load reports units of work per
  // COMMIT from two readings.
  app.get("/bench/group-commit", async () => ({
    seam: deps.store.groupCommitStats?.() ?? null,
  }));
}
