import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Queryable } from "../../client.js";
import { notificationsTable, outboxTable, usersTable } from "../../schema/index.js";
import type { NoticesRepo } from "../repos/notices.js";

export function sqliteNoticesRepo(db: Queryable): NoticesRepo {
  return {
    async enabledAccountsIn(departments) {
      if (departments.length === 0) return [];
      return db
        .select({ id: usersTable.id })
        .from(usersTable)
        .where(and(inArray(usersTable.department, [...new Set(departments)]), isNull(usersTable.disabledAt)))
        .orderBy(asc(usersTable.id))
        .all()
        .map((r) => r.id);
    },
    async listFor(userId, limit) {
      return db.select().from(notificationsTable).where(eq(notificationsTable.userId, userId)).orderBy(desc(notificationsTable.id)).limit(limit).all();
    },
    async insertNotifications(rows) {
      if (rows.length > 0) db.insert(notificationsTable).values([...rows]).run();
    },
    async enqueueOutbox(rows) {
      if (rows.length > 0) db.insert(outboxTable).values([...rows]).run();
    },
  };
}
