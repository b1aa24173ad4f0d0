import { and, eq } from "drizzle-orm";
import type { OrganisationsRepo } from "../repos/organisations.js";
import type { Queryable } from "../../client.js";
import {
  assignmentsTable,
  departmentsTable,
  forwardingsTable,
  organisationsTable,
  plansTable,
  reportRoundsTable,
  roundReportsTable,
  usersTable,
} from "../../schema/index.js"

export function sqliteOrganisationsRepo(db: Queryable): OrganisationsRepo {
  return {
    async planOfAssignment(assignmentId) {
      const [row] = await db.select({ planId: assignmentsTable.planId }).from(assignmentsTable).where(eq(assignmentsTable.id, assignmentId));
      return row?.planId;
    },
    async planOfRound(roundId) {
      const [row] = await db.select({ planId: reportRoundsTable.planId }).from(reportRoundsTable).where(eq(reportRoundsTable.id, roundId));
      return row?.planId;
    },
    async planOfRoundReport(reportId) {
      const [row] = await db
        .select({ planId: reportRoundsTable.planId })
        .from(roundReportsTable)
        .innerJoin(reportRoundsTable, eq(reportRoundsTable.id, roundReportsTable.roundId))
        .where(eq(roundReportsTable.id, reportId));
      return row?.planId;
    },
    async organisationOfPlan(planId) {
      const [row] = await db.select({ organisation: plansTable.organisationId }).from(plansTable).where(eq(plansTable.id, planId));
      return row?.organisation;
    },
    async organisationOfDepartment(code) {
      const [row] = await db.select({ organisation: departmentsTable.organisationId }).from(departmentsTable).where(eq(departmentsTable.code, code));
      return row?.organisation;
    },
    async organisationsOfUser(userId) {
      const [row] = await db
        .select({ account: usersTable.organisationId, department: departmentsTable.organisationId })
        .from(usersTable)
        .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
        .where(eq(usersTable.id, userId));
      return row;
    },
    async parentOf(organisation) {
      const [row] = await db.select({ parent: organisationsTable.parentId }).from(organisationsTable).where(eq(organisationsTable.id, organisation));
      return row?.parent ?? null;
    },
    async isForwardedTo(planId, organisation) {
      const rows = await db
        .select({ id: forwardingsTable.id })
        .from(forwardingsTable)
        .where(and(eq(forwardingsTable.planId, planId), eq(forwardingsTable.toOrganisation, organisation)))
        .limit(1);
      return rows.length > 0;
    },
  };
}
