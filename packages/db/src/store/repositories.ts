// The store's repositories (issue 13): the reads and writes a service asks for by name, one interface per area in
// `./repos/<area>.ts`, implemented once per engine (`./sqlite/<area>.ts` here, `src/repos/<area>.ts` in
// @countersign/db-postgres). Services hold the rules' orchestration (read → the domain's pure function → write) and
// call only these verbs, so one service runs on either engine; only the adapters hold SQL, each in its own dialect.
//
// Conventions every repository keeps:
// - every verb is async (resolves with plain rows: ISO strings for times, numbers, booleans, parsed JSON);
// - a verb reads or writes through the connection or transaction it was built on, never its own;
// - a missing row is `undefined` (one) or `[]` (many), never an exception; errors are the engine's own.

/**
 * Every area's repository, as `tx.repos` (inside a unit of work) and `store.read(repos => …)` (committed state, no
 * unit of work) hand them over. An area is added by one line here and one in each adapter's `repositoriesOf`.
 */
import type { AuditTrailRepo } from "./repos/audit-trail.js";
import type { AuditReplayRepo } from "./repos/audit-replay.js";
import type { CatalogRepo } from "./repos/catalog.js";
import type { AccountsRepo } from "./repos/accounts.js";
import type { DepartmentRegisterRepo } from "./repos/department-register.js";
import type { IdempotencyRepo } from "./repos/idempotency.js";
import type { LoginThrottleRepo } from "./repos/login-throttle.js";
import type { AssignmentsRepo } from "./repos/assignments.js";
import type { AttachmentsRepo } from "./repos/attachments.js";
import type { NoticesRepo } from "./repos/notices.js";
import type { OrganisationsRepo } from "./repos/organisations.js";
import type { ProgressRepo } from "./repos/progress.js";
import type { SessionsRepo } from "./repos/sessions.js";
import type { InboxRepo } from "./repos/inbox.js";
import type { NotificationsRepo } from "./repos/notifications.js";
import type { AssignmentViewsRepo } from "./repos/assignment-views.js";
import type { PlanEditingRepo } from "./repos/plan-editing.js";
import type { OutboxRepo } from "./repos/outbox.js";
import type { RoundsRepo } from "./repos/rounds.js";
import type { PlanCreationRepo } from "./repos/plan-creation.js";
import type { CascadeRepo } from "./repos/cascade.js";
import type { LevelReportsRepo } from "./repos/level-reports.js";

export interface Repositories {
  /** The engine the repositories run on, for logs and for the rare answer that names it. */
  readonly engine: "sqlite" | "postgres";
  readonly auditTrail: AuditTrailRepo;
  readonly auditReplay: AuditReplayRepo;
  readonly catalog: CatalogRepo;
  readonly idempotency: IdempotencyRepo;
  readonly organisations: OrganisationsRepo;
  readonly progress: ProgressRepo;
  readonly sessions: SessionsRepo;
  readonly loginThrottle: LoginThrottleRepo;
  readonly accounts: AccountsRepo;
  readonly departmentRegister: DepartmentRegisterRepo;
  readonly inbox: InboxRepo;
  readonly notifications: NotificationsRepo;
  readonly assignmentViews: AssignmentViewsRepo;
  readonly assignments: AssignmentsRepo;
  readonly notices: NoticesRepo;
  readonly attachments: AttachmentsRepo;
  readonly planEditing: PlanEditingRepo;
  readonly outbox: OutboxRepo;
  readonly rounds: RoundsRepo;
  readonly planCreation: PlanCreationRepo;
  readonly cascade: CascadeRepo;
  readonly levelReports: LevelReportsRepo;
}
