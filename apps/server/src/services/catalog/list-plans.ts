import { eq } from "drizzle-orm";
import { parseSearchQuery } from "@countersign/domain";
import type { PlanRecord, Queryable, Repositories } from "@countersign/db";
import { plansTable } from "@countersign/db/schema";
import type { PlanStatus } from "@countersign/db/schema";

export interface PlanListItem {
  id: number;
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  issuedOn: string;
  publishedOn: string;
  leadDepartment: string;
  status: PlanStatus;
  /** When the lead ministry issued it to the departments (UTC ISO), if it has. */
  assignedAt: string | null;
  defaultDueDate: string | null;
  measures: number;
  assignments: number;
}

function toItem(p: PlanRecord, measures: number, assignments: number): PlanListItem {
  return {
    id: p.id,
    key: p.key,
    titleEn: p.titleEn,
    titleZh: p.titleZh,
    documentNumber: p.documentNumber,
    issuedOn: p.issuedOn,
    publishedOn: p.publishedOn,
    leadDepartment: p.leadDepartment,
    status: p.status,
    assignedAt: p.assignedAt,
    defaultDueDate: p.defaultDueDate,
    measures,
    assignments,
  };
}

export const planPageDefaultLimit = 50;
export const planPageMaxLimit = 200;
export const planIncludeMax = 20;

export interface PlanPageQuery {
  /** Words in the title (either language), document number or key; a substring match. */
  search?: string | undefined;
  limit?: number | undefined;
  /** From the previous page's `nextCursor`. */
  cursor?: string | undefined;
  /** Plans to return whatever the page (the one a picker has selected), when they exist. */
  include?: number[] | undefined;
  /** Only this organisation's plans (issue 16: the caller's); absent: every plan (the command line, tests). */
  organisation?: string | undefined;
}

export interface PlanPage {
  /** The page, newest first (issued date, then id, descending), then any `include` plans not already on it. */
  items: PlanListItem[];
  nextCursor: string | null;
}

// The cursor is the last row's (issued date, id): a keyset, so a page costs the same however deep it is.
function encodeCursor(issuedOn: string, id: number): string {
  return `${issuedOn}~${id}`;
}

function decodeCursor(cursor: string): { issuedOn: string; id: number } | null {
  const at = cursor.lastIndexOf("~");
  const id = Number(cursor.slice(at + 1));
  return at > 0 && Number.isInteger(id) && id > 0 ? { issuedOn: cursor.slice(0, at), id } : null;
}

/**
 * One page of the catalogue, newest first, read along `plans_issued_idx` (no sort, no full read of the table for a
 * page without search), with its measure and assignment counts for those plans only. Through the store, on either
 * engine; the search is the adapters' `containsText` (a substring, ASCII case folded).
 */
export async function listPlanPage(repos: Repositories, query: PlanPageQuery = {}): Promise<PlanPage> {
  const limit = Math.min(Math.max(query.limit ?? planPageDefaultLimit, 1), planPageMaxLimit);
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  // Width folded like every search box (the domain's parseSearchQuery): `２０２０` finds 2020.
  const search = parseSearchQuery(query.search ?? "").text;
  const rows = await repos.catalog.planPage({ organisation: query.organisation, after, search, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last.issuedOn, last.id) : null;
  const onPage = new Set(page.map((p) => p.id));
  const missing = [...new Set(query.include ?? [])].filter((id) => !onPage.has(id));
  const included = missing.length > 0 ? await repos.catalog.plansById(missing, query.organisation) : [];
  const plans = [...page, ...included];
  if (plans.length === 0) return { items: [], nextCursor };
  const ids = plans.map((p) => p.id);
  const [measures, assignments] = await Promise.all([repos.catalog.measureCounts(ids), repos.catalog.assignmentCounts(ids)]);
  const measureCounts = new Map(measures.map((r) => [r.planId, r.n]));
  const assignmentCounts = new Map(assignments.map((r) => [r.planId, r.n]));
  return {
    items: plans.map((p) => toItem(p, measureCounts.get(p.id) ?? 0, assignmentCounts.get(p.id) ?? 0)),
    nextCursor,
  };
}

/**
 * The id of the plan with this key, if loaded: synchronously on SQLite, for the demo's seed and the test harness,
 * which build the SQLite file before any store exists (`repos.catalog.planIdByKey` through the store).
 */
export function planIdByKey(db: Queryable, key: string): number | null {
  return db.select({ id: plansTable.id }).from(plansTable).where(eq(plansTable.key, key)).get()?.id ?? null;
}
