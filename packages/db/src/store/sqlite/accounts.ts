import { and, asc, count, eq, gt, inArray, isNull, ne } from "drizzle-orm";
import type { AccountsRepo } from "../repos/accounts.js";
import type { Queryable } from "../../client.js";
import { passwordResetsTable as r, sessionsTable as s, usersTable as u } from "../../schema/index.js";

const record = {
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  displayNameZh: u.displayNameZh,
  displayNameEn: u.displayNameEn,
  role: u.role,
  department: u.department,
  departmentRole: u.departmentRole,
  divisionId: u.divisionId,
  ssoIdentity: u.ssoIdentity,
  disabledAt: u.disabledAt,
  createdAt: u.createdAt,
};

export function sqliteAccountsRepo(db: Queryable): AccountsRepo {
  return {
    async byId(id) {
      const [row] = await db.select(record).from(u).where(eq(u.id, id));
      return row;
    },
    async byUsername(username) {
      const [row] = await db.select(record).from(u).where(eq(u.username, username));
      return row;
    },
    async list(ids) {
      if (ids !== undefined && ids.length === 0) return [];
      return db
        .select(record)
        .from(u)
        .where(ids === undefined ? undefined : inArray(u.id, [...ids]))
        .orderBy(asc(u.username));
    },
    async holderOfSsoIdentity(identity, exceptId) {
      const [row] = await db
        .select({ username: u.username })
        .from(u)
        .where(and(eq(u.ssoIdentity, identity), exceptId === null ? undefined : ne(u.id, exceptId)))
        .limit(1);
      return row?.username;
    },
    async countEnabledAdmins() {
      const [row] = await db.select({ n: count() }).from(u).where(and(eq(u.role, "admin"), isNull(u.disabledAt)));
      return row?.n ?? 0;
    },
    async insert(row) {
      const [added] = await db.insert(u).values(row).returning(record);
      if (added === undefined) throw new Error("the account was not added");
      return added;
    },
    async update(id, change) {
      await db.update(u).set(change).where(eq(u.id, id));
    },
    async endSessions(userId) {
      const ended = await db.delete(s).where(eq(s.userId, userId)).returning({ id: s.id });
      return ended.length;
    },
    async openSessionCounts(at) {
      return db.select({ userId: s.userId, sessions: count() }).from(s).where(gt(s.expiresAt, at)).groupBy(s.userId);
    },
    async withPendingReset(at) {
      const rows = await db
        .selectDistinct({ userId: r.userId })
        .from(r)
        .where(and(isNull(r.usedAt), gt(r.expiresAt, at)));
      return rows.map((x) => x.userId);
    },
    async voidResets(userId, at) {
      const voided = await db
        .update(r)
        .set({ usedAt: at })
        .where(and(eq(r.userId, userId), isNull(r.usedAt)))
        .returning({ id: r.id });
      return voided.length;
    },
    async resetById(id) {
      const [found] = await db
        .select({ id: r.id, userId: r.userId, usedAt: r.usedAt, expiresAt: r.expiresAt, username: u.username })
        .from(r)
        .innerJoin(u, eq(u.id, r.userId))
        .where(eq(r.id, id));
      return found;
    },
    async spendReset(id, at) {
      const spent = await db.update(r).set({ usedAt: at }).where(and(eq(r.id, id), isNull(r.usedAt))).returning({ id: r.id });
      return spent.length === 1;
    },
    async addReset(row) {
      await db.insert(r).values(row);
    },
    async enabledMembersOf(department) {
      return db
        .select(record)
        .from(u)
        .where(and(eq(u.department, department), eq(u.role, "liaison"), isNull(u.disabledAt)))
        .orderBy(asc(u.username));
    },
  };
}
