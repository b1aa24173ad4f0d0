import type { Queryable } from "../../client.js";
import type { Repositories } from "../repositories.js";
import { sqliteAuditTrailRepo } from "./audit-trail.js";
import { sqliteAuditReplayRepo } from "./audit-replay.js";
import { sqliteCatalogRepo } from "./catalog.js";
import { sqliteAccountsRepo } from "./accounts.js";
import { sqliteDepartmentRegisterRepo } from "./department-register.js";
import { sqliteIdempotencyRepo } from "./idempotency.js";
import { sqliteLoginThrottleRepo } from "./login-throttle.js";
import { sqliteAssignmentsRepo } from "./assignments.js";
import { sqliteAttachmentsRepo } from "./attachments.js";
import { sqliteNoticesRepo } from "./notices.js";
import { sqliteOrganisationsRepo } from "./organisations.js";
import { sqliteProgressRepo } from "./progress.js";
import { sqliteSessionsRepo } from "./sessions.js";
import { sqliteInboxRepo } from "./inbox.js";
import { sqliteNotificationsRepo } from "./notifications.js";
import { sqliteAssignmentViewsRepo } from "./assignment-views.js";
import { sqlitePlanEditingRepo } from "./plan-editing.js";
import { sqliteOutboxRepo } from "./outbox.js";
import { sqliteRoundsRepo } from "./rounds.js";
import { sqliteLevelReportsRepo } from "./level-reports.js";
import { sqlitePlanCreationRepo } from "./plan-creation.js";
import { sqliteCascadeRepo } from "./cascade.js";

/**
 * The SQLite repositories on `db` (the connection, or the open transaction: better-sqlite3 runs both on the one
 * connection). Each verb runs its statement synchronously and resolves at once, so a unit of work that awaits only
 * the store finishes within one turn of the event loop and no other request reads its uncommitted writes.
 */
export function sqliteRepositories(db: Queryable): Repositories {
  return {
    engine: "sqlite",
    auditTrail: sqliteAuditTrailRepo(db),
    auditReplay: sqliteAuditReplayRepo(db),
    catalog: sqliteCatalogRepo(db),
    idempotency: sqliteIdempotencyRepo(db),
    organisations: sqliteOrganisationsRepo(db),
    progress: sqliteProgressRepo(db),
    sessions: sqliteSessionsRepo(db),
    loginThrottle: sqliteLoginThrottleRepo(db),
    accounts: sqliteAccountsRepo(db),
    departmentRegister: sqliteDepartmentRegisterRepo(db),
    inbox: sqliteInboxRepo(db),
    notifications: sqliteNotificationsRepo(db),
    assignmentViews: sqliteAssignmentViewsRepo(db),
    assignments: sqliteAssignmentsRepo(db),
    notices: sqliteNoticesRepo(db),
    attachments: sqliteAttachmentsRepo(db),
    planEditing: sqlitePlanEditingRepo(db),
    outbox: sqliteOutboxRepo(db),
    rounds: sqliteRoundsRepo(db),
    levelReports: sqliteLevelReportsRepo(db),
    planCreation: sqlitePlanCreationRepo(db),
    cascade: sqliteCascadeRepo(db),
  };
}
