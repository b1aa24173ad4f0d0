import type { Repositories } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import { postgresAuditTrailRepo } from "./audit-trail.js";
import { postgresAuditReplayRepo } from "./audit-replay.js";
import { postgresCatalogRepo } from "./catalog.js";
import { postgresAccountsRepo } from "./accounts.js";
import { postgresDepartmentRegisterRepo } from "./department-register.js";
import { postgresIdempotencyRepo } from "./idempotency.js";
import { postgresLoginThrottleRepo } from "./login-throttle.js";
import { postgresAssignmentsRepo } from "./assignments.js";
import { postgresAttachmentsRepo } from "./attachments.js";
import { postgresNoticesRepo } from "./notices.js";
import { postgresOrganisationsRepo } from "./organisations.js";
import { postgresProgressRepo } from "./progress.js";
import { postgresSessionsRepo } from "./sessions.js";
import { postgresInboxRepo } from "./inbox.js";
import { postgresNotificationsRepo } from "./notifications.js";
import { postgresAssignmentViewsRepo } from "./assignment-views.js";
import { postgresPlanEditingRepo } from "./plan-editing.js";
import { postgresOutboxRepo } from "./outbox.js";
import { postgresRoundsRepo } from "./rounds.js";
import { postgresLevelReportsRepo } from "./level-reports.js";
import { postgresPlanCreationRepo } from "./plan-creation.js";
import { postgresCascadeRepo } from "./cascade.js";

/** The PostgreSQL repositories on `db`: the pool (committed state, each statement on any pooled connection) or one transaction. */
export function postgresRepositories(db: PostgresDb | PostgresTx): Repositories {
  return {
    engine: "postgres",
    auditTrail: postgresAuditTrailRepo(db),
    auditReplay: postgresAuditReplayRepo(db),
    catalog: postgresCatalogRepo(db),
    idempotency: postgresIdempotencyRepo(db),
    organisations: postgresOrganisationsRepo(db),
    progress: postgresProgressRepo(db),
    sessions: postgresSessionsRepo(db),
    loginThrottle: postgresLoginThrottleRepo(db),
    accounts: postgresAccountsRepo(db),
    departmentRegister: postgresDepartmentRegisterRepo(db),
    inbox: postgresInboxRepo(db),
    notifications: postgresNotificationsRepo(db),
    assignmentViews: postgresAssignmentViewsRepo(db),
    assignments: postgresAssignmentsRepo(db),
    notices: postgresNoticesRepo(db),
    attachments: postgresAttachmentsRepo(db),
    planEditing: postgresPlanEditingRepo(db),
    outbox: postgresOutboxRepo(db),
    rounds: postgresRoundsRepo(db),
    levelReports: postgresLevelReportsRepo(db),
    planCreation: postgresPlanCreationRepo(db),
    cascade: postgresCascadeRepo(db),
  };
}
