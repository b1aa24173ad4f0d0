import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Queryable } from "../../client.js";
import { departmentsTable, levelReportFileBlobsTable, levelReportFilesTable, levelReportsTable, measuresTable, organisationsTable, plansTable } from "../../schema/index.js";
import type { LevelReportsRepo } from "../repos/level-reports.js";

/** The level reports on SQLite (drizzle over better-sqlite3; `db` is the connection or the unit of work's transaction). */
export function sqliteLevelReportsRepo(db: Queryable): LevelReportsRepo {
  const l = levelReportsTable;
  const origin = alias(measuresTable, "origin");
  return {
    async implementingPlans(planId) {
      return db
        .select({ id: plansTable.id, organisationId: plansTable.organisationId })
        .from(plansTable)
        .where(and(eq(plansTable.implementsPlanId, planId), eq(plansTable.status, "issued")))
        .orderBy(asc(plansTable.id))
        .all();
    },
    async measuresWithOrigin(planId) {
      return db
        .select({ number: measuresTable.number, originNumber: origin.number })
        .from(measuresTable)
        .leftJoin(origin, eq(origin.id, measuresTable.originMeasureId))
        .where(eq(measuresTable.planId, planId))
        .orderBy(asc(measuresTable.number))
        .all();
    },
    async insert(report) {
      const row = db.insert(l).values({ ...report, status: "not_reported" }).returning({ id: l.id }).get();
      return row.id;
    },
    async find(id) {
      return db.select().from(l).where(eq(l.id, id)).get();
    },
    async ofRound(roundId) {
      return db.select().from(l).where(eq(l.roundId, roundId)).get();
    },
    async toRound(parentRoundId) {
      return db.select().from(l).where(eq(l.parentRoundId, parentRoundId)).orderBy(asc(l.organisationId), asc(l.id)).all();
    },
    async updateIfVersion(id, expectedVersion, change) {
      return db
        .update(l)
        .set({ ...change, version: expectedVersion + 1 })
        .where(and(eq(l.id, id), eq(l.version, expectedVersion)))
        .returning({ version: l.version })
        .get()?.version;
    },
    async officeOf(organisationId) {
      return db
        .select({ host: organisationsTable.officeHost, hostLeaderApproval: departmentsTable.leaderApproval })
        .from(organisationsTable)
        .leftJoin(departmentsTable, eq(departmentsTable.code, organisationsTable.officeHost))
        .where(eq(organisationsTable.id, organisationId))
        .all()
        .map((r) => ({ host: r.host, hostLeaderApproval: r.hostLeaderApproval === true }))[0];
    },
    async organisationNames(ids) {
      if (ids.length === 0) return [];
      return db
        .select({ id: organisationsTable.id, nameZh: organisationsTable.nameZh, nameEn: organisationsTable.nameEn })
        .from(organisationsTable)
        .where(inArray(organisationsTable.id, [...ids]))
        .all();
    },
    async recordFile(file, bytes) {
      const row = db.insert(levelReportFilesTable).values(file).returning({ id: levelReportFilesTable.id }).get();
      if (file.storage === "database") db.insert(levelReportFileBlobsTable).values({ fileId: row.id, bytes }).run();
      return row.id;
    },
    async storageKeyNamed(storageKey) {
      return db.select({ id: levelReportFilesTable.id }).from(levelReportFilesTable).where(eq(levelReportFilesTable.storageKey, storageKey)).limit(1).get() !== undefined;
    },
    async withdrawFile(id, at, supersededById) {
      const f = levelReportFilesTable;
      const done = db.update(f).set({ withdrawnAt: at, supersededById }).where(and(eq(f.id, id), isNull(f.withdrawnAt))).run();
      return done.changes === 1;
    },
    async filesOf(levelReportIds) {
      if (levelReportIds.length === 0) return [];
      const f = levelReportFilesTable;
      return db.select().from(f).where(inArray(f.levelReportId, [...levelReportIds])).orderBy(asc(f.levelReportId), asc(f.id)).all();
    },
    async findFile(id) {
      return db.select().from(levelReportFilesTable).where(eq(levelReportFilesTable.id, id)).get();
    },
    async fileBytes(id) {
      return db.select({ bytes: levelReportFileBlobsTable.bytes }).from(levelReportFileBlobsTable).where(eq(levelReportFileBlobsTable.fileId, id)).get()?.bytes;
    },
  };
}
