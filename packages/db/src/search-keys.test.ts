import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { defaultPlan, parseSearchQuery, proposedDivision2020, searchableText } from "@countersign/domain";
import { openDatabase } from "./client.js";
import type { OpenedDatabase } from "./client.js";
import { loadDefaultPlan, loadPlan } from "./load-plan.js";
import { migrationsFolder } from "./migrate.js";
import { assignmentsTable, measuresTable } from "./schema/index.js";
import { measureSearchModeOf, searchKeyCondition } from "./search.js";
import { latenessBounds } from "./store/lateness-sql.js";
import { sqliteInboxRepo } from "./store/sqlite/inbox.js";

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

const at = "2026-01-01T00:00:00.000Z";

/** The default plan, and a second plan repeating its 25 measures word for word (as a plan forwarded down does). */
function twoPlans(): { o: OpenedDatabase; first: number; second: number } {
  const o = openDatabase(":memory:");
  opened.push(o);
  const first = loadDefaultPlan(o.db, at).planId;
  const second = loadPlan(o.db, { ...defaultPlan, key: "forwarded-copy", titleZh: "转发的分工方案" }, proposedDivision2020, at).planId;
  return { o, first, second };
}

/** One assignment of each measure of `planId` to MOF, written as any insert would (the key comes by trigger). */
function assignAll(o: OpenedDatabase, planId: number): void {
  for (const m of o.db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).all()) {
    o.db
      .insert(assignmentsTable)
      .values({
        planId,
        measureId: m.id,
        measureNumber: m.number,
        department: "MOF",
        role: "lead",
        status: "assigned",
        dueDate: "2026-06-30",
        issuedAt: at,
        updatedAt: at,
      })
      .run();
  }
}

/** The measure numbers of MOF's assignments in `planId` a query finds through the search keys. */
function found(o: OpenedDatabase, planId: number, raw: string): number[] {
  const query = parseSearchQuery(raw);
  const a = assignmentsTable;
  return o.db
    .select({ number: a.measureNumber })
    .from(a)
    .where(and(eq(a.planId, planId), eq(a.department, "MOF"), searchKeyCondition(a.searchKey, query.text, query.measureNumber, measureSearchModeOf(query.text))))
    .orderBy(a.measureNumber)
    .all()
    .map((r) => r.number);
}

/** What the query should find in the default plan's measures, worked out without SQL. */
function expected(raw: string): number[] {
  const query = parseSearchQuery(raw);
  return defaultPlan.measures
    .filter((m) => searchableText(m.title).includes(query.text) || searchableText(m.text).includes(query.text) || m.number === query.measureNumber)
    .map((m) => m.number);
}

function keysOf(o: OpenedDatabase) {
  return o.sqlite
    .prepare(
      `select (select count(*) from search_texts) texts, (select count(*) from search_keys) keys,
              (select count(*) from measures where search_key is null) measuresWithout,
              (select count(*) from assignments a join measures m on m.id = a.measure_id where a.search_key is not m.search_key) assignmentsApart`,
    )
    .get();
}

describe("the search keys (migration 0017)", () => {
  it("store a text repeated across plans once, and give both plans' measures and assignments the same key", () => {
    const { o, first, second } = twoPlans();
    assignAll(o, first);
    assignAll(o, second);
    expect(keysOf(o)).toEqual({ texts: 25, keys: 25, measuresWithout: 0, assignmentsApart: 0 });
    const keyOf = (planId: number, number: number) =>
      o.db
        .select({ key: measuresTable.searchKey })
        .from(measuresTable)
        .where(and(eq(measuresTable.planId, planId), eq(measuresTable.number, number)))
        .get()?.key;
    expect(keyOf(second, 7)).toBe(keyOf(first, 7));
  });

  it("find what the folded text holds, by the trigram index, by the scan of 1-2 characters, and by number, in every plan", () => {
    const { o, first, second } = twoPlans();
    assignAll(o, first);
    assignAll(o, second);
    for (const query of ["financing", "tax burden", "ta", "e", "(7)", "第七", "zzz", '"']) {
      const want = expected(query);
      expect(found(o, first, query), query).toEqual(want);
      expect(found(o, second, query), query).toEqual(want);
    }
  });

  it("follow an edited measure: its new words are found, its old ones no longer, in its plan only", () => {
    const { o, first, second } = twoPlans();
    assignAll(o, first);
    assignAll(o, second);
    const seven = o.db
      .select()
      .from(measuresTable)
      .where(and(eq(measuresTable.planId, first), eq(measuresTable.number, 7)))
      .get();
    if (seven === undefined) throw new Error("no measure 7");
    o.db.update(measuresTable).set({ text: "加强ＦＩＮＡＮＣＩＮＧ和（７）项服务" }).where(eq(measuresTable.id, seven.id)).run();
    expect(found(o, first, "项服务")).toEqual([7]);
    expect(found(o, first, "服务")).toEqual([7]);
    expect(found(o, second, "项服务")).toEqual([]);
    // A word of the old text that the title does not hold: found in the other plan's measure 7 only.
    const words = [...searchableText(seven.text).matchAll(/[a-z]{6,}/g)].map((w) => w[0]);
    const oldWord = words.find((w) => !searchableText(seven.title).includes(w)) ?? "";
    expect(oldWord.length).toBeGreaterThan(0);
    expect(found(o, second, oldWord)).toContain(7);
    expect(found(o, first, oldWord)).not.toContain(7);
    // Renumbered: the number query follows too.
    o.db.update(measuresTable).set({ number: 99 }).where(eq(measuresTable.id, seven.id)).run();
    expect(found(o, first, "99")).toEqual([7]);
    expect(keysOf(o)).toMatchObject({ measuresWithout: 0, assignmentsApart: 0 });
  });

  it("are filled from the measures and assignments already there when the migration runs", () => {
    const { o, first, second } = twoPlans();
    assignAll(o, first);
    assignAll(o, second);
    // Undo 0017 as if the database predated it, then run its statements again.
    o.sqlite.exec(`
      drop trigger search_text_index_insert; drop trigger measures_search_key_insert; drop trigger measures_search_key_update;
      drop trigger assignments_search_key_insert; drop trigger assignments_search_key_update; drop table search_text_index;
      drop index assignments_search_idx; drop index assignments_department_due_idx;
      create index assignments_department_due_idx on assignments (department, due_date, id);
      alter table assignments drop column search_key; alter table measures drop column search_key;
      drop table search_keys; drop table search_texts;`);
    const migration = readFileSync(join(migrationsFolder, "0017_search_keys.sql"), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) if (statement.trim() !== "") o.sqlite.exec(statement);
    expect(keysOf(o)).toEqual({ texts: 25, keys: 25, measuresWithout: 0, assignmentsApart: 0 });
    expect(found(o, second, "financing")).toEqual(expected("financing"));
  });
});

describe("the inbox's search on SQLite (issue 17)", () => {
  it("reads a department's search from the search indexes alone: no scan, no measure row per assignment", async () => {
    const { o, first, second } = twoPlans();
    assignAll(o, first);
    assignAll(o, second);
    // The statements the repository prepares, captured as SQLite prepares them (the database is the real one).
    const prepared: string[] = [];
    const prepare = o.sqlite.prepare.bind(o.sqlite);
    o.sqlite.prepare = ((source: string) => {
      prepared.push(source);
      return prepare(source);
    }) as typeof o.sqlite.prepare;
    const repo = sqliteInboxRepo(o.db);
    for (const needle of ["financing", "ta"]) {
      const filter = {
        department: "MOF",
        handler: null,
        planId: null,
        awaitingApproval: false,
        lateness: null,
        bounds: latenessBounds(new Date("2026-03-01T00:00:00.000Z")),
        search: { needle, number: null, mode: measureSearchModeOf(needle) },
      };
      const rows = await repo.page({ ...filter, status: null, after: null, limit: 2, textChars: null });
      expect(rows.map((r) => r.measureNumber)).toEqual(expected(needle).slice(0, 2));
      const counts = await repo.statusCounts(filter);
      expect(counts).toEqual([{ status: "assigned", n: 2 * expected(needle).length }]);
    }
    o.sqlite.prepare = prepare;
    const searches = prepared.filter((s) => s.includes("search_key"));
    expect(searches.length).toBeGreaterThanOrEqual(4);
    for (const statement of searches) {
      // Plans do not depend on the values here: every parameter bound null.
      const nulls = Array.from(statement.matchAll(/\?/g), () => null);
      const plan = (o.sqlite.prepare(`explain query plan ${statement}`).all(...nulls) as { detail: string }[]).map((r) => r.detail);
      expect(plan.filter((d) => /^SCAN (assignments|measures)\b/.test(d)), statement).toEqual([]);
      expect(plan.some((d) => /assignments USING COVERING INDEX assignments_(search|department_due)_idx/.test(d)), plan.join("\n")).toBe(true);
      expect(plan.some((d) => /measure_search/.test(d))).toBe(false);
    }
  });
});
