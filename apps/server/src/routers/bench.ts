/**
 * Procedures for the benchmark only (packages/bench), mounted when COUNTERSIGN_BENCH=1 and never otherwise: they are
 * not part of the public API and carry no authentication.
 */
import { z } from "zod";
import { departmentCodeSchema } from "@countersign/domain";
import type { CountersignDb } from "@countersign/db";
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
export function constantInboxPage(db: CountersignDb, department: string, limit: number, now: Date): InboxPage {
  const key = `${department}:${limit}`;
  let page = pages.get(key);
  if (page === undefined) {
    page = listInbox(db, benchReader, { department, limit }, now);
    pages.set(key, page);
  }
  return page;
}

export const constantInputSchema = z.object({ department: departmentCodeSchema, limit: z.number().int().min(1).max(inboxMaxLimit) });

export const benchRouter = router({
  /** The transport's ceiling: a constant answer of the size and shape of an inbox page, on the same stack. */
  constant: publicProcedure.input(constantInputSchema).query(({ ctx, input }) => constantInboxPage(ctx.db, input.department, input.limit, ctx.now())),
  /** The same behind the session check: what an inbox answered from a cache could reach. */
  constantSignedIn: authedProcedure
    .input(constantInputSchema)
    .query(({ ctx, input }) => constantInboxPage(ctx.db, input.department, input.limit, ctx.now())),
});

export const benchEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => env["COUNTERSIGN_BENCH"] === "1";

/** The public API plus `bench.*`: what the server serves when the benchmark runs it. */
export const benchAppRouter = router({ ...appRouter._def.record, bench: benchRouter });
