import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DepartmentRegisterRepo, DepartmentRecord } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import { departmentsTable as d, divisionsTable, organisationsTable, usersTable } from "../schema/index.js";

const record = {
  code: d.code,
  nameZh: d.nameZh,
  nameEn: d.nameEn,
  shortZh: d.shortZh,
  shortEn: d.shortEn,
  kind: d.kind,
  retiredOn: d.retiredOn,
  leaderApproval: d.leaderApproval,
  organisationId: d.organisationId,
};
const division = { id: divisionsTable.id, department: divisionsTable.department, nameZh: divisionsTable.nameZh, nameEn: divisionsTable.nameEn };

export function postgresDepartmentRegisterRepo(db: PostgresDb | PostgresTx): DepartmentRegisterRepo {
  return {
    async find(code) {
      const [row] = await db.select(record).from(d).where(eq(d.code, code));
      return row;
    },
    async list(organisation) {
      const rows: DepartmentRecord[] = await db
        .select(record)
        .from(d)
        .where(organisation === undefined ? undefined : eq(d.organisationId, organisation))
        .orderBy(asc(d.signatureOrder), sql`${d.code} collate "C"`);
      return rows;
    },
    async shortNames(codes) {
      if (codes.length === 0) return [];
      return db.select({ code: d.code, shortZh: d.shortZh, shortEn: d.shortEn }).from(d).where(inArray(d.code, [...codes]));
    },
    async add(row) {
      await db.insert(d).values(row);
    },
    async addIfAbsent(row) {
      const added = await db.insert(d).values(row).onConflictDoNothing({ target: d.code }).returning({ code: d.code });
      return added.length > 0;
    },
    async rename(code, names, editedAt) {
      await db.update(d).set({ ...names, editedAt }).where(eq(d.code, code));
    },
    async retire(code, on) {
      await db.update(d).set({ retiredOn: on }).where(eq(d.code, code));
    },
    async setLeaderApproval(code, required) {
      await db.update(d).set({ leaderApproval: required }).where(eq(d.code, code));
    },
    async divisionsOf(department) {
      return db.select(division).from(divisionsTable).where(eq(divisionsTable.department, department)).orderBy(asc(divisionsTable.id));
    },
    async findDivision(id) {
      const [row] = await db.select(division).from(divisionsTable).where(eq(divisionsTable.id, id));
      return row;
    },
    async addDivision(row) {
      const [added] = await db.insert(divisionsTable).values(row).returning(division);
      if (added === undefined) throw new Error("the division was not added");
      return added;
    },
    async hasHandlers(department) {
      const u = usersTable;
      const rows = await db
        .select({ id: u.id })
        .from(u)
        .innerJoin(divisionsTable, and(eq(divisionsTable.id, u.divisionId), eq(divisionsTable.department, department)))
        .where(and(eq(u.department, department), eq(u.departmentRole, "handler"), isNull(u.disabledAt)))
        .limit(1);
      return rows.length > 0;
    },
    async organisation(id) {
      const o = organisationsTable;
      const [row] = await db.select({ id: o.id, level: o.level, kind: o.kind, nameZh: o.nameZh, nameEn: o.nameEn, officeHost: o.officeHost }).from(o).where(eq(o.id, id));
      return row;
    },
    async localDepartmentsOf(organisation) {
      const rows = await db
        .select({ code: d.code, line: d.line, nameZh: d.nameZh, nameEn: d.nameEn })
        .from(d)
        .where(eq(d.organisationId, organisation))
        .orderBy(asc(d.signatureOrder));
      return rows.map((r) => ({ code: r.code, line: r.line ?? r.code, nameZh: r.nameZh, nameEn: r.nameEn }));
    },
  };
}
