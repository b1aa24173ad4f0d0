import { sql } from "drizzle-orm";
import { allDepartments, allPlans } from "../schema/assignment-counts.js";
import type { LatenessBoundsOf } from "./lateness-sql.js";
import type { Lateness } from "@countersign/domain";
import type { InboxFilter, InboxPageQuery } from "./repos/inbox.js";

/**
 * Which filters an inbox call uses. Each engine builds and prepares the statements of a shape once per connection
 * and runs them with `inboxParamsOf` (issue 17: building a query cost more than running it, and its garbage set the
 * inbox's p95 tails).
 */
export interface InboxShape {
  handler: boolean;
  awaitingApproval: boolean;
  department: boolean;
  plan: boolean;
  status: boolean;
  cursor: boolean;
  lateness: Lateness | null;
  search: "none" | "text" | "number" | "short-text" | "short-number";
}

/** The shape of a call: `page` says whether it names a status tab and a cursor (the counts use neither). */
export function inboxShapeOf(filter: InboxFilter, page: { status: boolean; cursor: boolean }): InboxShape {
  const s = filter.search;
  const kind = s === null ? null : s.number === null ? "text" : "number";
  return {
    handler: filter.handler !== null,
    awaitingApproval: filter.awaitingApproval,
    department: filter.department !== null,
    plan: filter.planId !== null,
    status: page.status,
    cursor: page.cursor,
    lateness: filter.lateness,
    search: s === null || kind === null ? "none" : s.mode === "index" ? kind : `short-${kind}`,
  };
}

/**
 * Whether a shape's counts walk the matching rows: with a search or late work (the kept totals, `assignment_counts`,
 * are per department, plan and status only), or for a handler's inbox and the approval queue (which count their own
 * rows). Otherwise the kept totals answer, less the late work for lateness `none`.
 */
export function inboxCountsWalkRows(shape: InboxShape): boolean {
  return shape.search !== "none" || (shape.lateness !== null && shape.lateness !== "none") || shape.handler || shape.awaitingApproval;
}

/**
 * Whether a department's search with no other filter first walks the department's inbox in due-date order, at most
 * `inboxSearchWindow` entries (an index that carries each row's search key), keeping the matches: when a search
 * matches one row in a few hundred or more, the page fills from there without sorting every match. A short page
 * from the walk proves nothing (the walk stopped), so the sorted page answers then.
 */
export function inboxSearchWalks(shape: InboxShape): boolean {
  return shape.search !== "none" && shape.department && !shape.plan && !shape.handler && !shape.awaitingApproval && !shape.status && shape.lateness === null;
}

/** How many of a department's inbox entries a search's first walk reads before sorting every match instead. */
export const inboxSearchWindow = 2000;

/** The lateness bounds as placeholders, filled by `inboxParamsOf` (either engine's drizzle accepts them). */
export const inboxLatenessPlaceholders: LatenessBoundsOf<ReturnType<typeof sql.placeholder>> = {
  today: sql.placeholder("today"),
  dueSoonEnd: sql.placeholder("dueSoonEnd"),
  longOverdueBefore: sql.placeholder("longOverdueBefore"),
};

/** A key naming a shape, for the per-connection map of prepared statements. */
export function inboxShapeKey(shape: InboxShape): string {
  return JSON.stringify(shape);
}

/** A character count no measure's text reaches: SQLite's substr and PostgreSQL's left() then give the whole text. */
const wholeText = 2 ** 31 - 1;

/**
 * The values of a shape's placeholders (every name any shape uses; a shape reads those it has): the lateness bounds,
 * `department`, `handlerId`, `divisionId`, `planId`, `status`, `afterDue`, `afterId`, `needle`, `number`, `limit`,
 * `textChars`. Without `page`: those of the counts.
 */
export function inboxParamsOf(filter: InboxFilter, page?: InboxPageQuery) {
  return {
    today: filter.bounds.today,
    dueSoonEnd: filter.bounds.dueSoonEnd,
    longOverdueBefore: filter.bounds.longOverdueBefore,
    department: filter.department ?? allDepartments,
    handlerId: filter.handler?.userId ?? -1,
    divisionId: filter.handler?.divisionId ?? -1,
    planId: filter.planId ?? allPlans,
    status: page?.status ?? null,
    afterDue: page?.after?.dueDate ?? null,
    afterId: page?.after?.id ?? null,
    needle: filter.search?.needle ?? "",
    number: filter.search?.number ?? null,
    limit: page?.limit ?? 0,
    textChars: page?.textChars ?? wholeText,
  };
}
