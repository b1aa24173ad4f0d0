/**
 * tRPC v11 without a transformer: inputs and outputs are plain JSON (dates are ISO strings), so any client can call
 * the API. The only base procedures: public, authenticated (narrows ctx.user) and coordinator.
 */
import { initTRPC } from "@trpc/server";
import type { TRPCError } from "@trpc/server";
import { getErrorShape, getTRPCErrorFromUnknown } from "@trpc/server/unstable-core-do-not-import";
import type { Context } from "./context.js";
import { isDatabaseBusy } from "@countersign/db";
import { sqlState } from "@countersign/db-postgres";
import { describeError, ServiceError, toTRPCError } from "./errors.js";
import type { InputIssue } from "./errors.js";
import { refuseIllFormedText } from "./security/well-formed-text.js";
import { recordRefusedAccess } from "./services/audit/record-refusal.js";
import { assertWithinOrganisation } from "./services/cascade/boundary.js";
import type { ActingUser } from "./services/shared/acting-user.js";
import { defaultBusyPolicy, retryWhileBusy, runWhileBusy } from "./services/shared/database-busy.js";

export interface ErrorData {
  /** tRPC's code, e.g. "FORBIDDEN", "CONFLICT", "BAD_REQUEST". */
  code: string;
  httpStatus: number;
  path: string | null;
  /** Our stable code: a domain refusal code (e.g. "supporting_not_signed_off") or the server's (e.g. "stale_version"). */
  refusalCode: string;
  /** The input field at fault, when one is. */
  field: string | null;
  /** Every problem of an invalid input. */
  issues: InputIssue[];
  /** On CONFLICT: the current version and status. */
  current: { version: number; status: string } | null;
  /** On TOO_MANY_REQUESTS (`too_many_attempts`) and SERVICE_UNAVAILABLE (`database_busy`): seconds to wait before trying again. */
  retryAfterSeconds?: number;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const detail = describeError(error);
    const data: ErrorData = {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path ?? null,
      refusalCode: detail.refusalCode,
      field: detail.field,
      issues: detail.issues,
      current: detail.current,
      ...(detail.retryAfterSeconds === null ? {} : { retryAfterSeconds: detail.retryAfterSeconds }),
    };
    return { code: shape.code, message: detail.message, data };
  },
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
});

export const router = t.router;

/**
 * A failed call's error as the API answers it (`{ message, code, data: ErrorData }`, the formatter above), for the
 * plain HTTP routes (downloads, uploads) that call procedures themselves: tRPC's own function, with this API's config.
 */
export function errorShapeOf(error: TRPCError, path: string | null, ctx?: Context): { message: string; code: number; data: ErrorData } {
  return getErrorShape({ config: t._config, error, type: "query", path: path ?? undefined, input: undefined, ctx });
}
export const createCallerFactory = t.createCallerFactory;

/** Numbers found in the raw input, for the trail of a refused call. */
function refsOf(raw: unknown): { assignmentId: number | null; planId: number | null } {
  if (raw === null || typeof raw !== "object") return { assignmentId: null, planId: null };
  const record = raw as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isSafeInteger(v) ? v : null);
  return { assignmentId: num(record["id"]) ?? num(record["assignmentId"]), planId: num(record["planId"]) };
}

/** Beyond PostgreSQL's `integer` (ids, numbers, counts are 32-bit there; SQLite's are 64-bit). */
const largestStoredInteger = 2_147_483_647;

/**
 * The refusal of an input PostgreSQL could not store: SQLSTATE 22003 (numeric_value_out_of_range: e.g. an id of
 * 2^31, which no row can have) or 22021 (a NUL in text, e.g. at the end of a field nothing trims): `invalid_input`
 * naming the first such number's or text's field, as a schema would.
 */
function unstorableInputRefusal(state: "22003" | "22021", raw: unknown): ServiceError {
  const stack: Array<{ value: unknown; path: string }> = [{ value: raw, path: "" }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    const field = path === "" ? "(input)" : path;
    if (state === "22003" && typeof value === "number" && Math.abs(value) > largestStoredInteger) {
      return new ServiceError("invalid_input", `${field}: ${value} is out of range (at most ${largestStoredInteger}).`, { field });
    }
    if (state === "22021" && typeof value === "string" && value.includes("\u0000")) {
      return new ServiceError("invalid_input", `${field}: the text holds a NUL character (U+0000), which cannot be stored.`, { field });
    }
    if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]` });
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value).reverse()) stack.push({ value: child, path: path === "" ? key : `${path}.${key}` });
    }
  }
  return new ServiceError("invalid_input", state === "22003" ? `A number in the request is out of range (at most ${largestStoredInteger}).` : "The request holds text that cannot be stored.");
}

/**
 * The error a failed call answers with: a service's refusal turned into its tRPC error (one table, in errors.ts), an
 * input PostgreSQL could not store into `invalid_input`; every refused authorization of a signed-in user is recorded
 * in the audit trail.
 */
async function answeredError(
  opts: { ctx: Context; path: string; getRawInput: () => Promise<unknown> },
  failed: TRPCError,
): Promise<TRPCError> {
  const state = failed.code === "INTERNAL_SERVER_ERROR" ? sqlState(failed.cause) : undefined;
  const unstorable = state === "22003" || state === "22021";
  const cause = unstorable ? unstorableInputRefusal(state, await opts.getRawInput().catch(() => null)) : failed.cause;
  const error = cause instanceof ServiceError && failed.code === "INTERNAL_SERVER_ERROR" ? toTRPCError(cause) : failed;
  if (error.code === "FORBIDDEN" && opts.ctx.user !== null) {
    const user = opts.ctx.user;
    const refused = {
      procedure: opts.path,
      code: cause instanceof ServiceError ? cause.code : "forbidden",
      message: error.message,
      ...refsOf(await opts.getRawInput().catch(() => null)),
      ip: opts.ctx.request.ip,
    };
    await runWhileBusy(
      opts.ctx.busyPolicy ?? defaultBusyPolicy,
      () => recordRefusedAccess(opts.ctx.store, user, refused, opts.ctx.now()),
      opts.ctx.log,
      `audit of a refused ${opts.path}`,
    );
  }
  return error;
}

/**
 * Every procedure, in one middleware (each tRPC middleware copies the call's options twice, a few per cent of a
 * write's time in issue 17's profile), in this order:
 * - text that is not well-formed Unicode is refused, naming the field, before anything stores it;
 * - a call that failed because another process held the database's write lock changed nothing (its transaction
 *   rolled back), so it runs again after an asynchronous wait, the process serving other requests meanwhile; after
 *   the policy's bound it is refused as `database_busy` (503 with Retry-After) and logged with the request id;
 * - a failure is answered as `answeredError` says.
 */
const guarded = t.middleware(async (opts) => {
  let result: Awaited<ReturnType<typeof opts.next>>;
  try {
    refuseIllFormedText(await opts.getRawInput().catch(() => null));
    result =
      opts.type === "subscription"
        ? await opts.next()
        : await retryWhileBusy(
            opts.ctx.busyPolicy ?? defaultBusyPolicy,
            async () => {
              const attempt = await opts.next();
              return !attempt.ok && isDatabaseBusy(attempt.error) ? { busy: true as const, error: attempt.error } : { busy: false as const, value: attempt };
            },
            (waitedMs, attempts) =>
              opts.ctx.log?.warn(
                { path: opts.path, waitedMs: Math.round(waitedMs), attempts, requestId: opts.ctx.requestId },
                "database busy: write refused (503)",
              ),
          );
  } catch (thrown) {
    throw await answeredError(opts, getTRPCErrorFromUnknown(thrown));
  }
  if (result.ok) return result;
  const error = await answeredError(opts, result.error);
  if (error !== result.error) throw error;
  return result;
});

export const publicProcedure = t.procedure.use(guarded);

/**
 * Signed in, and down the levels (issue 16): a plan, assignment, round or report named by the input is the caller's
 * organisation's. One middleware, for the reason `guarded` gives.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, path, getRawInput, next }) => {
  if (ctx.user === null) throw toTRPCError(new ServiceError("unauthenticated", "Sign in first."));
  const user = ctx.user;
  const raw = await getRawInput().catch(() => null);
  await ctx.store.read((repos) => assertWithinOrganisation(repos, user, path, raw));
  // Narrowed for tRPC's types only (`user` was just checked): passing a `ctx` makes tRPC copy every field of the
  // context with a slow helper, a few per cent of every authenticated request (issue 17's profile of the writes).
  return next<{ user: ActingUser }>({});
});

export const coordinatorProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "coordinator") {
    throw toTRPCError(
      new ServiceError("forbidden_role", "Only the lead ministry's coordinator may do this."),
    );
  }
  // The context unchanged (passing it would make tRPC copy it).
  return next();
});
