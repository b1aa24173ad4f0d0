import { and, asc, count, eq, gt, or, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import { assignmentStatuses } from "@countersign/domain";
import type { AssignmentStatus, DepartmentCode, Lateness } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { assignmentsTable, measuresTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { readsAllDepartments } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";
import { latestDeclineReasons } from "../shared/assignment-notes.js";
import { summarizeAssignment } from "../shared/assignment-view.js";
import type { AssignmentSummary } from "../shared/assignment-view.js";
import { latenessCondition } from "../shared/lateness-filter.js";

export interface InboxQuery {
  planId?: number | undefined;
  /** A department code; `null` for every department (not for a liaison). Defaults to the caller's own department. */
  department?: DepartmentCode | null | undefined;
  status?: AssignmentStatus | undefined;
  lateness?: Lateness | undefined;
  /** Words of the measure's title or text, or its number. */
  search?: string | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** An inbox row: the assignment, with what the list shows of its measure, so that no other request is needed. */
export interface InboxRow extends AssignmentSummary {
  /**
   * The measure's text, at most `measureExcerptLength` characters: its start, or with a search the passage around the
   * first match (after "…"), so that a list shows why a row was found.
   */
  measureExcerpt: string;
  /** The published text of the measure is cut short (flagged, never completed). */
  textCut: boolean;
  /** On a declined assignment, the reason given with its latest decline. */
  declineReason: string | null;
}

export const measureExcerptLength = 240;

export interface InboxPage {
  /** The department listed, or null for all. */
  department: DepartmentCode | null;
  /** Ordered by due date ("ongoing" last), then id. */
  rows: InboxRow[];
  /** Per status, under every filter except `status` (for the tabs). */
  counts: Record<AssignmentStatus, number>;
  /** Rows under every filter except `status`. */
  total: number;
  nextCursor: string | null;
}

export const inboxDefaultLimit = 50;
export const inboxMaxLimit = 200;

export function listInbox(db: Queryable, user: ActingUser, query: InboxQuery, now: Date): InboxPage {
  const department = inboxDepartment(user, query.department);
  const limit = Math.min(Math.max(query.limit ?? inboxDefaultLimit, 1), inboxMaxLimit);
  const a = assignmentsTable;
  const m = measuresTable;

  const filters: SQL[] = [];
  if (department !== null) filters.push(eq(a.department, department));
  if (query.planId !== undefined) filters.push(eq(a.planId, query.planId));
  if (query.lateness !== undefined) filters.push(latenessCondition(query.lateness, now));
  const search = query.search?.trim() ?? "";
  if (search !== "") filters.push(searchCondition(search));

  // Counting reads the index alone unless the search needs the measure's words.
  const countRows =
    search === ""
      ? db.select({ status: a.status, n: count() }).from(a).where(and(...filters)).groupBy(a.status).all()
      : db
          .select({ status: a.status, n: count() })
          .from(a)
          .innerJoin(m, eq(m.id, a.measureId))
          .where(and(...filters))
          .groupBy(a.status)
          .all();
  const counts = Object.fromEntries(assignmentStatuses.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  let total = 0;
  for (const c of countRows) {
    counts[c.status] = c.n;
    total += c.n;
  }

  const pageFilters = [...filters];
  if (query.status !== undefined) pageFilters.push(eq(a.status, query.status));
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    pageFilters.push(or(gt(a.dueDate, after.dueDate), and(eq(a.dueDate, after.dueDate), gt(a.id, after.id))) ?? sql`1`);
  }
  const rows = db
    .select({
      assignment: a,
      measureTitle: m.title,
      measureText: m.text,
      textCut: m.textCut,
    })
    .from(a)
    .innerJoin(m, eq(m.id, a.measureId))
    .where(and(...pageFilters))
    .orderBy(asc(a.dueDate), asc(a.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const declineReasons = latestDeclineReasons(
    db,
    page.filter((r) => r.assignment.status === "declined").map((r) => r.assignment.id),
  );
  return {
    department,
    rows: page.map((r) => ({
      ...summarizeAssignment(r.assignment, r.measureTitle, now),
      measureExcerpt: measureExcerpt(r.measureText, search),
      textCut: r.textCut,
      declineReason: r.assignment.status === "declined" ? (declineReasons.get(r.assignment.id) ?? null) : null,
    })),
    counts,
    total,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.assignment.dueDate, last.assignment.id) : null,
  };
}

/** Lower-cases ASCII only, as SQLite's lower() does, so that offsets stay those of the text. */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Whole characters (code points) of the text around the search's first match, or from its start. */
export function measureExcerpt(text: string, search: string): string {
  const chars = [...text];
  if (chars.length <= measureExcerptLength) return text;
  const needle = search.trim().toLowerCase();
  const at = needle === "" ? -1 : asciiLower(text).indexOf(needle);
  // A little of what comes before the match, for context.
  const start = at < 0 ? 0 : Math.max(0, Math.min([...text.slice(0, at)].length - 40, chars.length - measureExcerptLength));
  const excerpt = chars.slice(start, start + measureExcerptLength).join("");
  return start > 0 ? `…${excerpt}` : excerpt;
}

/** The caller's own department by default; a liaison may name no other. */
function inboxDepartment(user: ActingUser, asked: DepartmentCode | null | undefined): DepartmentCode | null {
  if (!readsAllDepartments(user)) {
    if (asked !== undefined && asked !== user.department) {
      throw new ServiceError("not_your_department", "A liaison's inbox lists their own department only.", {
        field: "department",
      });
    }
    return user.department;
  }
  return asked === undefined ? user.department : asked;
}

function searchCondition(search: string): SQL {
  const m = measuresTable;
  const needle = search.toLowerCase();
  const number = /^[(（]?(\d{1,4})[)）]?$/.exec(search)?.[1];
  const inText = sql`(instr(lower(${m.title}), ${needle}) > 0 or instr(lower(${m.text}), ${needle}) > 0)`;
  return number === undefined ? inText : (or(inText, eq(assignmentsTable.measureNumber, Number(number))) ?? inText);
}

function encodeCursor(dueDate: string, id: number): string {
  return Buffer.from(JSON.stringify([dueDate, id])).toString("base64url");
}

function decodeCursor(cursor: string): { dueDate: string; id: number } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "string" && Number.isSafeInteger(value[1])) {
      return { dueDate: value[0], id: Number(value[1]) };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new ServiceError("invalid_input", "This cursor is not one the inbox gave out.", { field: "cursor" });
}
