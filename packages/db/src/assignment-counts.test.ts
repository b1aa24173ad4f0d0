import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { appendAuditEvent, verifyAuditChain } from "./audit.js";
import { databaseOf, openDatabase, writeTransaction } from "./client.js";
import type { OpenedDatabase } from "./client.js";
import { loadDefaultPlan } from "./load-plan.js";
import { assignmentCountsTable } from "./schema/assignment-counts.js";
import { assignmentsTable } from "./schema/assignments.js";
import { departmentsTable } from "./schema/departments.js";
import { measuresTable } from "./schema/measures.js";

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function database(): OpenedDatabase {
  const o = openDatabase(":memory:");
  opened.push(o);
  return o;
}

/** Every count the triggers keep, against a count of the rows themselves. */
function mismatches(o: OpenedDatabase): unknown[] {
  return o.sqlite
    .prepare(
      `WITH truth AS (
         SELECT department, plan_id, status, count(*) AS n FROM assignments GROUP BY department, plan_id, status
         UNION ALL SELECT department, 0, status, count(*) FROM assignments GROUP BY department, status
         UNION ALL SELECT '*', plan_id, status, count(*) FROM assignments GROUP BY plan_id, status
         UNION ALL SELECT '*', 0, status, count(*) FROM assignments GROUP BY status)
       SELECT c.department, c.plan_id, c.status, c.n, coalesce(t.n, 0) AS actual FROM assignment_counts c
         LEFT JOIN truth t USING (department, plan_id, status) WHERE c.n <> coalesce(t.n, 0)
       UNION ALL
       SELECT t.department, t.plan_id, t.status, NULL, t.n FROM truth t
         LEFT JOIN assignment_counts c USING (department, plan_id, status) WHERE c.n IS NULL`,
    )
    .all();
}

describe("assignment_counts", () => {
  it("follows every insert, status change, move to another department and delete, in the same transaction", () => {
    const o = database();
    const { planId } = loadDefaultPlan(o.db, "2026-01-01T00:00:00Z");
    const measure = o.db.select().from(measuresTable).where(eq(measuresTable.planId, planId)).get();
    if (measure === undefined) throw new Error("no measure");
    const codes = o.db.select({ code: departmentsTable.code }).from(departmentsTable).all().map((d) => d.code);
    const at = "2026-01-02T00:00:00Z";
    const ids = codes.map(
      (department, i) =>
        o.db
          .insert(assignmentsTable)
          .values({
            planId,
            measureId: measure.id,
            measureNumber: measure.number,
            department,
            role: i === 0 ? "lead" : "supporting",
            status: "assigned",
            dueDate: "2026-12-31",
            issuedAt: at,
            updatedAt: at,
          })
          .returning({ id: assignmentsTable.id })
          .get().id,
    );
    expect(mismatches(o)).toEqual([]);
    const mof = o.db.select({ n: assignmentCountsTable.n }).from(assignmentCountsTable).where(eq(assignmentCountsTable.department, "MOF")).all();
    expect(mof.map((r) => r.n)).toEqual([1, 1]);

    const [first, second, third] = ids;
    if (first === undefined || second === undefined || third === undefined) throw new Error("too few assignments");
    o.db.update(assignmentsTable).set({ status: "accepted" }).where(eq(assignmentsTable.id, first)).run();
    o.db.update(assignmentsTable).set({ status: "in_progress", department: "CSRC" }).where(eq(assignmentsTable.id, second)).run();
    o.db.update(assignmentsTable).set({ updatedAt: "2026-02-01T00:00:00Z" }).where(eq(assignmentsTable.id, third)).run();
    o.db.delete(assignmentsTable).where(eq(assignmentsTable.id, third)).run();
    expect(mismatches(o)).toEqual([]);

    // A rolled-back change leaves the counts as they were.
    expect(() =>
      writeTransaction(o.db, (tx) => {
        tx.update(assignmentsTable).set({ status: "signed_off" }).where(eq(assignmentsTable.id, first)).run();
        throw new Error("abandon");
      }),
    ).toThrow("abandon");
    expect(mismatches(o)).toEqual([]);
  });
});

describe("writeTransaction", () => {
  it("names the database a transaction runs on, so prepared statements can run inside it", () => {
    const o = database();
    writeTransaction(o.db, (tx) => {
      expect(databaseOf(tx)).toBe(o.db);
      appendAuditEvent(tx, {
        at: "2026-01-01T00:00:00Z",
        type: "user.created",
        actorUserId: null,
        actorUsername: null,
        actorRole: "system",
        actorDepartment: null,
      });
    });
    expect(databaseOf(o.db)).toBe(o.db);
    expect(verifyAuditChain(o.db)).toMatchObject({ ok: true, events: 1 });
  });
});
