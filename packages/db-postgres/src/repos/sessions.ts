import { and, asc, desc, eq, isNull, ne, notInArray } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import { departmentsTable } from "../schema/departments.js";
import { knownDevicesTable } from "../schema/login-throttle.js";
import { sessionsTable } from "../schema/sessions.js";
import { usersTable } from "../schema/users.js";
import type { SessionsRepo, SignInAccount } from "@countersign/db";

const signInColumns = {
  id: usersTable.id,
  username: usersTable.username,
  displayName: usersTable.displayName,
  role: usersTable.role,
  department: usersTable.department,
  departmentRole: usersTable.departmentRole,
  divisionId: usersTable.divisionId,
  passwordHash: usersTable.passwordHash,
  disabledAt: usersTable.disabledAt,
};

export function postgresSessionsRepo(db: PostgresDb | PostgresTx): SessionsRepo {
  const account = async (where: SQL | undefined): Promise<SignInAccount | undefined> => {
    const [row] = await db.select(signInColumns).from(usersTable).where(where);
    return row;
  };
  return {
    async withAccount(sessionId) {
      const [row] = await db
        .select({
          lastSeenAt: sessionsTable.lastSeenAt,
          expiresAt: sessionsTable.expiresAt,
          id: usersTable.id,
          username: usersTable.username,
          displayName: usersTable.displayName,
          role: usersTable.role,
          department: usersTable.department,
          departmentRole: usersTable.departmentRole,
          divisionId: usersTable.divisionId,
          disabledAt: usersTable.disabledAt,
          accountOrganisation: usersTable.organisationId,
          departmentOrganisation: departmentsTable.organisationId,
        })
        .from(sessionsTable)
        .innerJoin(usersTable, eq(usersTable.id, sessionsTable.userId))
        .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
        .where(eq(sessionsTable.id, sessionId));
      return row;
    },
    async timesOf(sessionId) {
      const [row] = await db
        .select({ lastSeenAt: sessionsTable.lastSeenAt, expiresAt: sessionsTable.expiresAt })
        .from(sessionsTable)
        .where(eq(sessionsTable.id, sessionId));
      return row;
    },
    async listOf(userId) {
      return db.select().from(sessionsTable).where(eq(sessionsTable.userId, userId)).orderBy(asc(sessionsTable.createdAt), asc(sessionsTable.id));
    },
    async open(row) {
      await db.insert(sessionsTable).values(row);
    },
    async touch(sessionId, at) {
      await db.update(sessionsTable).set({ lastSeenAt: at }).where(eq(sessionsTable.id, sessionId));
    },
    async end(sessionId) {
      await db.delete(sessionsTable).where(eq(sessionsTable.id, sessionId));
    },
    async endAllOf(userId, keep) {
      const mine = keep === null ? eq(sessionsTable.userId, userId) : and(eq(sessionsTable.userId, userId), ne(sessionsTable.id, keep));
      const ended = await db.delete(sessionsTable).where(mine).returning({ id: sessionsTable.id });
      return ended.length;
    },
    async accountNamed(username) {
      return account(eq(usersTable.username, username));
    },
    async accountWithSsoIdentity(identity) {
      return account(eq(usersTable.ssoIdentity, identity));
    },
    async accountNamedWithoutSsoIdentity(username) {
      return account(and(eq(usersTable.username, username), isNull(usersTable.ssoIdentity)));
    },
    async accountById(userId) {
      return account(eq(usersTable.id, userId));
    },
    async setPasswordHash(userId, passwordHash) {
      await db.update(usersTable).set({ passwordHash }).where(eq(usersTable.id, userId));
    },
    async namesOf(userId) {
      const [row] = await db
        .select({
          displayNameZh: usersTable.displayNameZh,
          displayNameEn: usersTable.displayNameEn,
          code: departmentsTable.code,
          nameEn: departmentsTable.nameEn,
          nameZh: departmentsTable.nameZh,
          shortEn: departmentsTable.shortEn,
          shortZh: departmentsTable.shortZh,
        })
        .from(usersTable)
        .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
        .where(eq(usersTable.id, userId));
      if (row === undefined) return undefined;
      const { displayNameZh, displayNameEn, code, nameEn, nameZh, shortEn, shortZh } = row;
      return {
        displayNameZh,
        displayNameEn,
        department: code === null || nameEn === null || nameZh === null || shortEn === null || shortZh === null ? null : { nameEn, nameZh, shortEn, shortZh },
      };
    },
    async knownDevice(deviceId) {
      const [row] = await db
        .select({ userId: knownDevicesTable.userId, lastSignInAt: knownDevicesTable.lastSignInAt, username: usersTable.username })
        .from(knownDevicesTable)
        .innerJoin(usersTable, eq(usersTable.id, knownDevicesTable.userId))
        .where(eq(knownDevicesTable.id, deviceId));
      return row;
    },
    async touchKnownDevice(deviceId, at) {
      await db.update(knownDevicesTable).set({ lastSignInAt: at }).where(eq(knownDevicesTable.id, deviceId));
    },
    async addKnownDevice(row) {
      await db.insert(knownDevicesTable).values(row);
    },
    async keepNewestKnownDevices(userId, keep) {
      const newest = await db
        .select({ id: knownDevicesTable.id })
        .from(knownDevicesTable)
        .where(eq(knownDevicesTable.userId, userId))
        .orderBy(desc(knownDevicesTable.lastSignInAt), desc(knownDevicesTable.createdAt))
        .limit(keep);
      await db.delete(knownDevicesTable).where(and(eq(knownDevicesTable.userId, userId), notInArray(knownDevicesTable.id, newest.map((r) => r.id))));
    },
  };
}
