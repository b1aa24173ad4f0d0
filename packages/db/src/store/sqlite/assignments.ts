import { and, eq, ne, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import {
  assignmentsTable as a,
  commentsTable,
  departmentsTable,
  divisionsTable,
  extensionRequestsTable,
  measuresTable,
  plansTable,
  responsibilitiesTable,
  usersTable,
} from "../../schema/index.js";
import { assignmentForAct } from "../repos/assignments.js";
import type { AssignmentColumns, AssignmentsRepo } from "../repos/assignments.js";

const P = sql.placeholder;

function prepareActStatements(db: Queryable) {
  return {
    assignment: db.select().from(a).where(eq(a.id, P("id"))).prepare(),
    forAct: db
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
      .where(eq(a.id, P("id")))
      .prepare(),
    measure: db
      .select({ title: measuresTable.title, closed: measuresTable.closed })
      .from(measuresTable)
      .where(eq(measuresTable.id, P("measureId")))
      .prepare(),
    planStatus: db.select({ status: plansTable.status }).from(plansTable).where(eq(plansTable.id, P("planId"))).prepare(),
    leaderApproval: db
      .select({ leaderApproval: departmentsTable.leaderApproval })
      .from(departmentsTable)
      .where(eq(departmentsTable.code, P("department")))
      .prepare(),
    others: db
      .select({ id: a.id, department: a.department, role: a.role, status: a.status })
      .from(a)
      .where(and(eq(a.measureId, P("measureId")), ne(a.id, P("id"))))
      .orderBy(a.id)
      .prepare(),
    updates: new Map<string, ReturnType<typeof prepareUpdate>>(),
  };
}

/** The conditional update (`WHERE id = ? AND version = ?`) of the given columns, values as placeholders. */
function prepareUpdate(db: Queryable, columns: readonly string[]) {
  const set: Record<string, SQL> = Object.fromEntries(columns.map((c) => [c, sql`${P(c)}`]));
  return db
    .update(a)
    .set(set)
    .where(and(eq(a.id, P("id")), eq(a.version, P("expectedVersion"))))
    .returning()
    .prepare();
}

// Every act runs these: built and prepared once per connection (building them cost more than running them).
const preparedActs = new WeakMap<Queryable, ReturnType<typeof prepareActStatements>>();
function actStatements(db: Queryable): ReturnType<typeof prepareActStatements> {
  let statements = preparedActs.get(db);
  if (statements === undefined) {
    statements = prepareActStatements(db);
    preparedActs.set(db, statements);
  }
  return statements;
}

/** The prepared update of exactly these columns (one per set of columns: an act changes only what it changes). */
function updateStatement(db: Queryable, columns: readonly string[]): ReturnType<typeof prepareUpdate> {
  const { updates } = actStatements(db);
  const key = columns.join(",");
  let statement = updates.get(key);
  if (statement === undefined) {
    statement = prepareUpdate(db, columns);
    updates.set(key, statement);
  }
  return statement;
}

export function sqliteAssignmentsRepo(db: Queryable): AssignmentsRepo {
  return {
    // better-sqlite3 runs one unit of work at a time: nothing else writes between its reads and its writes.
    async holdMeasureOf() {},
    async find(id) {
      return actStatements(db).assignment.get({ id });
    },
    async forAct(id) {
      const found = actStatements(db).forAct.get({ id });
      return found === undefined ? undefined : assignmentForAct(found);
    },
    async measureOf(measureId) {
      return actStatements(db).measure.get({ measureId });
    },
    async othersOnMeasure(measureId, exceptId) {
      return actStatements(db).others.all({ measureId, id: exceptId });
    },
    async planStatus(planId) {
      return actStatements(db).planStatus.get({ planId })?.status;
    },
    async needsLeaderApproval(department) {
      return actStatements(db).leaderApproval.get({ department })?.leaderApproval === true;
    },
    async division(id) {
      return db.select({ id: divisionsTable.id, department: divisionsTable.department }).from(divisionsTable).where(eq(divisionsTable.id, id)).get();
    },
    async handlerCandidate(userId) {
      const u = usersTable;
      const row = db
        .select({ id: u.id, role: u.role, department: u.department, departmentRole: u.departmentRole, division: u.divisionId, disabledAt: u.disabledAt })
        .from(u)
        .where(eq(u.id, userId))
        .get();
      if (row === undefined) return undefined;
      const { disabledAt, ...rest } = row;
      return { ...rest, departmentRole: rest.departmentRole ?? null, disabled: disabledAt !== null };
    },
    async updateIfVersion(id, expectedVersion, set: AssignmentColumns) {
      const values: Record<string, unknown> = { ...set, version: expectedVersion + 1 };
      // The statement binds placeholders, past drizzle's JSON mapping: the column gets the JSON text itself.
      if (set.pendingApproval !== undefined) values["pendingApproval"] = set.pendingApproval === null ? null : JSON.stringify(set.pendingApproval);
      const columns = Object.keys(values).sort();
      return updateStatement(db, columns).get({ ...values, id, expectedVersion });
    },
    async recordComment(row) {
      return db.insert(commentsTable).values(row).returning({ id: commentsTable.id }).get().id;
    },
    async recordExtensionRequest(row) {
      db.insert(extensionRequestsTable)
        .values({ ...row, status: "pending" })
        .run();
    },
    async settlePendingExtension(assignmentId, decision) {
      db.update(extensionRequestsTable)
        .set(decision)
        .where(and(eq(extensionRequestsTable.assignmentId, assignmentId), eq(extensionRequestsTable.status, "pending")))
        .run();
    },
    async moveResponsibility(measureId, fromDepartment, toDepartment) {
      const r = responsibilitiesTable;
      db.delete(r)
        .where(and(eq(r.measureId, measureId), eq(r.department, toDepartment)))
        .run();
      db.update(r)
        .set({ department: toDepartment, justification: null })
        .where(and(eq(r.measureId, measureId), eq(r.department, fromDepartment)))
        .run();
    },
  };
}
