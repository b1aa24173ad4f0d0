import type { Queryable } from "../../client.js";
import type { Repositories } from "../repositories.js";
import { sqliteAssignmentsRepo } from "./assignments.js";
import { sqliteAttachmentsRepo } from "./attachments.js";
import { sqliteIdempotencyRepo } from "./idempotency.js";
import { sqliteNoticesRepo } from "./notices.js";
import { sqliteOrganisationsRepo } from "./organisations.js";

/**
 * The SQLite repositories on `db` (the connection, or the open transaction: better-sqlite3 runs both on the one
 * connection). Each verb runs its statement synchronously and resolves at once, so a unit of work that awaits only
 * the store finishes within one turn of the event loop and no other request reads its uncommitted writes.
 */
export function sqliteRepositories(db: Queryable): Repositories {
  return {
    engine: "sqlite",
    idempotency: sqliteIdempotencyRepo(db),
    organisations: sqliteOrganisationsRepo(db),
    assignments: sqliteAssignmentsRepo(db),
    notices: sqliteNoticesRepo(db),
    attachments: sqliteAttachmentsRepo(db),
  };
}
