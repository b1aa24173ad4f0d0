import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { NoticesRepo } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import { notificationsTable, outboxTable } from "../schema/notifications.js";
import { usersTable } from "../schema/users.js";
import type { PostgresTx } from "../store.js";

export function postgresNoticesRepo(db: PostgresDb | PostgresTx): NoticesRepo {
  return {
    async enabledAccountsIn(departments) {
      if (departments.length === 0) return [];
      const rows = await db
        .select({ id: usersTable.id })
        .from(usersTable)
        .where(and(inArray(usersTable.department, [...new Set(departments)]), isNull(usersTable.disabledAt)))
        .orderBy(asc(usersTable.id));
      return rows.map((r) => r.id);
    },
    async listFor(userId, limit) {
      return db.select().from(notificationsTable).where(eq(notificationsTable.userId, userId)).orderBy(desc(notificationsTable.id)).limit(limit);
    },
    async insertNotifications(rows) {
      if (rows.length > 0) await db.insert(notificationsTable).values([...rows]);
    },
    async enqueueOutbox(rows) {
      if (rows.length > 0) await db.insert(outboxTable).values([...rows]);
    },
  };
}
