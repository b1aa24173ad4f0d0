import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { LevelReportsRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { departmentsTable } from "../schema/departments.js";
import { levelReportFileBlobsTable, levelReportFilesTable, levelReportsTable } from "../schema/level-reports.js";
import { measuresTable } from "../schema/measures.js";
import { organisationsTable } from "../schema/organisations.js";
import { plansTable } from "../schema/plans.js";
import type { PostgresTx } from "../store.js";

/** The level reports on PostgreSQL (drizzle pg; `db` is the pool or the unit of work's transaction). */
export function postgresLevelReportsRepo(db: PostgresDb | PostgresTx): LevelReportsRepo {
  const l = levelReportsTable;
  const origin = alias(measuresTable, "origin");
  return {
    async implementingPlans(planId) {
      return db
        .select({ id: plansTable.id, organisationId: plansTable.organisationId })
        .from(plansTable)
        .where(and(eq(plansTable.implementsPlanId, planId), eq(plansTable.status, "issued")))
        .orderBy(asc(plansTable.id));
    },
    async measuresWithOrigin(planId) {
      return db
        .select({ number: measuresTable.number, originNumber: origin.number })
        .from(measuresTable)
        .leftJoin(origin, eq(origin.id, measuresTable.originMeasureId))
        .where(eq(measuresTable.planId, planId))
        .orderBy(asc(measuresTable.number));
    },
    async insert(report) {
      const [row] = await db.insert(l).values({ ...report, status: "not_reported" }).returning({ id: l.id });
      if (row === undefined) throw new Error("the level report was not recorded");
      return row.id;
    },
    async find(id) {
      const [row] = await db.select().from(l).where(eq(l.id, id));
      return row;
    },
    async ofRound(roundId) {
      const [row] = await db.select().from(l).where(eq(l.roundId, roundId));
      return row;
    },
    async toRound(parentRoundId) {
      return db.select().from(l).where(eq(l.parentRoundId, parentRoundId)).orderBy(asc(l.organisationId), asc(l.id));
    },
    async updateIfVersion(id, expectedVersion, change) {
      const [row] = await db
        .update(l)
        .set({ ...change, version: expectedVersion + 1 })
        .where(and(eq(l.id, id), eq(l.version, expectedVersion)))
        .returning({ version: l.version });
      return row?.version;
    },
    async officeOf(organisationId) {
      const rows = await db
        .select({ host: organisationsTable.officeHost, hostLeaderApproval: departmentsTable.leaderApproval })
        .from(organisationsTable)
        .leftJoin(departmentsTable, eq(departmentsTable.code, organisationsTable.officeHost))
        .where(eq(organisationsTable.id, organisationId));
      return rows.map((r) => ({ host: r.host, hostLeaderApproval: r.hostLeaderApproval === true }))[0];
    },
    async organisationNames(ids) {
      if (ids.length === 0) return [];
      return db
        .select({ id: organisationsTable.id, nameZh: organisationsTable.nameZh, nameEn: organisationsTable.nameEn })
        .from(organisationsTable)
        .where(inArray(organisationsTable.id, [...ids]));
    },
    async recordFile(file, bytes) {
      const [row] = await db.insert(levelReportFilesTable).values(file).returning({ id: levelReportFilesTable.id });
      if (row === undefined) throw new Error("level_report_files: the insert returned no row");
      if (file.storage === "database") await db.insert(levelReportFileBlobsTable).values({ fileId: row.id, bytes });
      return row.id;
    },
    async storageKeyNamed(storageKey) {
      const rows = await db.select({ id: levelReportFilesTable.id }).from(levelReportFilesTable).where(eq(levelReportFilesTable.storageKey, storageKey)).limit(1);
      return rows.length > 0;
    },
    async withdrawFile(id, at, supersededById) {
      const f = levelReportFilesTable;
      const done = await db.update(f).set({ withdrawnAt: at, supersededById }).where(and(eq(f.id, id), isNull(f.withdrawnAt))).returning({ id: f.id });
      return done.length === 1;
    },
    async filesOf(levelReportIds) {
      if (levelReportIds.length === 0) return [];
      const f = levelReportFilesTable;
      return db.select().from(f).where(inArray(f.levelReportId, [...levelReportIds])).orderBy(asc(f.levelReportId), asc(f.id));
    },
    async findFile(id) {
      const [row] = await db.select().from(levelReportFilesTable).where(eq(levelReportFilesTable.id, id));
      return row;
    },
    async fileBytes(id) {
      const [row] = await db.select({ bytes: levelReportFileBlobsTable.bytes }).from(levelReportFileBlobsTable).where(eq(levelReportFileBlobsTable.fileId, id));
      return row?.bytes;
    },
  };
}
