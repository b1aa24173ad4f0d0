import { and, asc, eq, ne } from "drizzle-orm";
import { assignmentForAct } from "@countersign/db";
import type { AssignmentsRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { assignmentsTable as a } from "../schema/assignments.js";
import { commentsTable } from "../schema/comments.js";
import { departmentsTable } from "../schema/departments.js";
import { divisionsTable } from "../schema/divisions.js";
import { extensionRequestsTable } from "../schema/extension-requests.js";
import { measuresTable } from "../schema/measures.js";
import { plansTable } from "../schema/plans.js";
import { responsibilitiesTable } from "../schema/responsibilities.js";
import { usersTable } from "../schema/users.js";
import type { PostgresTx } from "../store.js";

export function postgresAssignmentsRepo(db: PostgresDb | PostgresTx): AssignmentsRepo {
  return {
    async holdMeasureOf(id) {
      // Read committed: each later statement of the unit of work sees what the previous holder committed. In id
      // order, so two acts on one measure cannot deadlock.
      const [row] = await db.select({ measureId: a.measureId }).from(a).where(eq(a.id, id));
      if (row === undefined) return;
      await db.select({ id: a.id }).from(a).where(eq(a.measureId, row.measureId)).orderBy(asc(a.id)).for("update");
    },
    async find(id) {
      const [row] = await db.select().from(a).where(eq(a.id, id));
      return row;
    },
    async forAct(id) {
      const [found] = await db
        .select({
          row: a,
          measureId: measuresTable.id,
          measureTitle: measuresTable.title,
          measureClosed: measuresTable.closed,
          planStatus: plansTable.status,
          leaderApproval: departmentsTable.leaderApproval,
        })
        .from(a)
        .leftJoin(measuresTable, eq(measuresTable.id, a.measureId))
        .leftJoin(plansTable, eq(plansTable.id, a.planId))
        .leftJoin(departmentsTable, eq(departmentsTable.code, a.department))
        .where(eq(a.id, id));
      return found === undefined ? undefined : assignmentForAct(found);
    },
    async measureOf(measureId) {
      const [row] = await db.select({ title: measuresTable.title, closed: measuresTable.closed }).from(measuresTable).where(eq(measuresTable.id, measureId));
      return row;
    },
    async othersOnMeasure(measureId, exceptId) {
      return db
        .select({ id: a.id, department: a.department, role: a.role, status: a.status })
        .from(a)
        .where(and(eq(a.measureId, measureId), ne(a.id, exceptId)))
        .orderBy(asc(a.id));
    },
    async planStatus(planId) {
      const [row] = await db.select({ status: plansTable.status }).from(plansTable).where(eq(plansTable.id, planId));
      return row?.status;
    },
    async needsLeaderApproval(department) {
      const [row] = await db.select({ leaderApproval: departmentsTable.leaderApproval }).from(departmentsTable).where(eq(departmentsTable.code, department));
      return row?.leaderApproval === true;
    },
    async division(id) {
      const [row] = await db.select({ id: divisionsTable.id, department: divisionsTable.department }).from(divisionsTable).where(eq(divisionsTable.id, id));
      return row;
    },
    async handlerCandidate(userId) {
      const u = usersTable;
      const [row] = await db
        .select({ id: u.id, role: u.role, department: u.department, departmentRole: u.departmentRole, division: u.divisionId, disabledAt: u.disabledAt })
        .from(u)
        .where(eq(u.id, userId));
      if (row === undefined) return undefined;
      const { disabledAt, ...rest } = row;
      return { ...rest, departmentRole: rest.departmentRole ?? null, disabled: disabledAt !== null };
    },
    async updateIfVersion(id, expectedVersion, set) {
      // Under read committed a racing update of the same row waits for the other's commit, then finds the version
      // moved on and changes nothing: the loser sees no row.
      const [row] = await db
        .update(a)
        .set({ ...set, version: expectedVersion + 1 })
        .where(and(eq(a.id, id), eq(a.version, expectedVersion)))
        .returning();
      return row;
    },
    async recordComment(row) {
      const [inserted] = await db.insert(commentsTable).values(row).returning({ id: commentsTable.id });
      if (inserted === undefined) throw new Error("the comment was not stored");
      return inserted.id;
    },
    async recordExtensionRequest(row) {
      await db.insert(extensionRequestsTable).values({ ...row, status: "pending" });
    },
    async settlePendingExtension(assignmentId, decision) {
      await db
        .update(extensionRequestsTable)
        .set(decision)
        .where(and(eq(extensionRequestsTable.assignmentId, assignmentId), eq(extensionRequestsTable.status, "pending")));
    },
    async moveResponsibility(measureId, fromDepartment, toDepartment) {
      const r = responsibilitiesTable;
      await db.delete(r).where(and(eq(r.measureId, measureId), eq(r.department, toDepartment)));
      await db
        .update(r)
        .set({ department: toDepartment, justification: null })
        .where(and(eq(r.measureId, measureId), eq(r.department, fromDepartment)));
    },
  };
}
