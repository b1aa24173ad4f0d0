import { and, asc, desc, eq, isNull, ne, notInArray, sql } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { departmentsTable } from "../../schema/departments.js";
import { knownDevicesTable } from "../../schema/login-throttle.js";
import { sessionsTable } from "../../schema/sessions.js";
import { usersTable } from "../../schema/users.js";
import type { SessionsRepo, SignInAccount } from "../repos/sessions.js";

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

function prepareSessionLookup(db: Queryable) {
  return db
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
    // The caller's organisation (issue 16) read with the session, once a request: the boundary and live filters use it.
    .leftJoin(departmentsTable, eq(departmentsTable.code, usersTable.department))
    .where(eq(sessionsTable.id, sql.placeholder("sessionId")))
    .prepare();
}

// Every request resolves its session: the statement is built and prepared once per connection, not per request
// (building and preparing it cost more than running it).
const sessionLookups = new WeakMap<Queryable, ReturnType<typeof prepareSessionLookup>>();
function sessionLookup(db: Queryable): ReturnType<typeof prepareSessionLookup> {
  let lookup = sessionLookups.get(db);
  if (lookup === undefined) {
    lookup = prepareSessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  return lookup;
}

export function sqliteSessionsRepo(db: Queryable): SessionsRepo {
  const account = (where: ReturnType<typeof eq>): SignInAccount | undefined => db.select(signInColumns).from(usersTable).where(where).get();
  return {
    async withAccount(sessionId) {
      return sessionLookup(db).get({ sessionId });
    },
    async timesOf(sessionId) {
      return db
        .select({ lastSeenAt: sessionsTable.lastSeenAt, expiresAt: sessionsTable.expiresAt })
        .from(sessionsTable)
        .where(eq(sessionsTable.id, sessionId))
        .get();
    },
    async listOf(userId) {
      return db.select().from(sessionsTable).where(eq(sessionsTable.userId, userId)).orderBy(asc(sessionsTable.createdAt)).all();
    },
    async open(row) {
      db.insert(sessionsTable).values(row).run();
    },
    async touch(sessionId, at) {
      db.update(sessionsTable).set({ lastSeenAt: at }).where(eq(sessionsTable.id, sessionId)).run();
    },
    async end(sessionId) {
      db.delete(sessionsTable).where(eq(sessionsTable.id, sessionId)).run();
    },
    async endAllOf(userId, keep) {
      const mine = keep === null ? eq(sessionsTable.userId, userId) : and(eq(sessionsTable.userId, userId), ne(sessionsTable.id, keep));
      return db.delete(sessionsTable).where(mine).run().changes;
    },
    async accountNamed(username) {
      return account(eq(usersTable.username, username));
    },
    async accountWithSsoIdentity(identity) {
      return account(eq(usersTable.ssoIdentity, identity));
    },
    async accountNamedWithoutSsoIdentity(username) {
      return db
        .select(signInColumns)
        .from(usersTable)
        .where(and(eq(usersTable.username, username), isNull(usersTable.ssoIdentity)))
        .get();
    },
    async accountById(userId) {
      return account(eq(usersTable.id, userId));
    },
    async setPasswordHash(userId, passwordHash) {
      db.update(usersTable).set({ passwordHash }).where(eq(usersTable.id, userId)).run();
    },
    async namesOf(userId) {
      const row = db
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
        .where(eq(usersTable.id, userId))
        .get();
      if (row === undefined) return undefined;
      const { displayNameZh, displayNameEn, code, nameEn, nameZh, shortEn, shortZh } = row;
      return {
        displayNameZh,
        displayNameEn,
        department: code === null || nameEn === null || nameZh === null || shortEn === null || shortZh === null ? null : { nameEn, nameZh, shortEn, shortZh },
      };
    },
    async knownDevice(deviceId) {
      return db
        .select({ userId: knownDevicesTable.userId, lastSignInAt: knownDevicesTable.lastSignInAt, username: usersTable.username })
        .from(knownDevicesTable)
        .innerJoin(usersTable, eq(usersTable.id, knownDevicesTable.userId))
        .where(eq(knownDevicesTable.id, deviceId))
        .get();
    },
    async touchKnownDevice(deviceId, at) {
      db.update(knownDevicesTable).set({ lastSignInAt: at }).where(eq(knownDevicesTable.id, deviceId)).run();
    },
    async addKnownDevice(row) {
      db.insert(knownDevicesTable).values(row).run();
    },
    async keepNewestKnownDevices(userId, keep) {
      const newest = db
        .select({ id: knownDevicesTable.id })
        .from(knownDevicesTable)
        .where(eq(knownDevicesTable.userId, userId))
        .orderBy(desc(knownDevicesTable.lastSignInAt))
        .limit(keep)
        .all()
        .map((r) => r.id);
      db.delete(knownDevicesTable).where(and(eq(knownDevicesTable.userId, userId), notInArray(knownDevicesTable.id, newest))).run();
    },
  };
}
