import { and, eq, sql } from "drizzle-orm";
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

const P = sql.placeholder;

function prepareBoundaryStatements(db: Queryable) {
  return {
    planOfAssignment: db.select({ planId: assignmentsTable.planId }).from(assignmentsTable).where(eq(assignmentsTable.id, P("id"))).prepare(),
    organisationOfPlan: db.select({ organisation: plansTable.organisationId }).from(plansTable).where(eq(plansTable.id, P("id"))).prepare(),
  };
}

// The organisation boundary (cascade/boundary.ts) asks these on every request that names an assignment or a plan,
// writes included: built and prepared once per connection (building and preparing them cost more than running them).
const boundaryStatements = new WeakMap<Queryable, ReturnType<typeof prepareBoundaryStatements>>();
function boundary(db: Queryable): ReturnType<typeof prepareBoundaryStatements> {
  let statements = boundaryStatements.get(db);
  if (statements === undefined) {
    statements = prepareBoundaryStatements(db);
    boundaryStatements.set(db, statements);
  }
  return statements;
}

export function sqliteOrganisationsRepo(db: Queryable): OrganisationsRepo {
  return {
    async planOfAssignment(assignmentId) {
      return boundary(db).planOfAssignment.get({ id: assignmentId })?.planId;
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
      return boundary(db).organisationOfPlan.get({ id: planId })?.organisation;
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
