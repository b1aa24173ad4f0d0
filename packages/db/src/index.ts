// The public face of @countersign/db. Named exports only.
export {
  databaseOf,
  defaultDatabasePath,
  openDatabase,
  resolveDatabasePath,
  schema,
  writeTransaction,
} from "./client.js";
export type { CountersignDb, OpenDatabaseOptions, OpenedDatabase, Queryable, Schema } from "./client.js";
export { isDatabaseBusy, writeLockAvailable } from "./busy.js";
export { readDataVersion } from "./data-version.js";
export { defaultGroupCommitOptions, GroupCommit } from "./group-commit.js";
export type { GroupCommitOptions } from "./group-commit.js";
export type { DataVersion } from "./data-version.js";
export { migrateDatabase, migrationsFolder } from "./migrate.js";
export { bundledMigrations, migrationState, probeDatabase } from "./readiness.js";
export type { BundledMigration, DatabaseProbe, MigrationState } from "./readiness.js";
export {
  appendAuditEvent,
  auditEventHash,
  auditEventTypes,
  auditFormatOf,
  walkAuditChain,
  canonicalJson,
  genesisHash,
  verifyAuditChain,
} from "./audit.js";
export type {
  AuditChainBreakReason,
  AuditChainWalk,
  AuditChainWalkOptions,
  AuditTailBreakReason,
} from "./audit.js";
export type { AuditChainVerdict, AuditEventInput, AuditEventRow, AuditEventType, AuditPayload } from "./audit.js";
export { insertPlanDocument, loadDefaultPlan, loadDepartments, loadPlan } from "./load-plan.js";
export type { LoadedPlan, PlanResponsibilityInput } from "./load-plan.js";
export { AuditChainWalker, auditTailAgainstHead, nextAuditEventRow } from "./audit.js";
export type { AuditChainHead } from "./audit.js";
// The engine-neutral store ports (issue 13) and the SQLite adapter of them.
export {
  decodeLiveEvent,
  encodeLiveEvent,
  maxLiveEventBytes,
  NestedUnitOfWorkError,
  StaleVersionError,
} from "./store/ports.js";
export type {
  AnyStore,
  AnyStoreTransaction,
  AssignmentChange,
  ChangeSet,
  CountMismatch,
  Engine,
  LiveDeliveryState,
  LiveEvent,
  LiveEventBus,
  Store,
  StoreTransaction,
  TransactionOptions,
} from "./store/ports.js";
export { assignmentCountMismatchesSql } from "./store/assignment-counts-check.js";
export { InProcessLiveEventBus } from "./store/in-process-bus.js";
export { createSqliteStore } from "./store/sqlite-store.js";
export type { Repositories } from "./store/repositories.js";
export type { AssignmentStateRecord, AuditReplayRepo, CommentRecord } from "./store/repos/audit-replay.js";
export type { AssignmentColleague, AssignmentColumns, AssignmentForAct, AssignmentRecord, AssignmentsRepo, HandlerCandidate } from "./store/repos/assignments.js";
export { assignmentForAct } from "./store/repos/assignments.js";
export type { AttachmentRecord, AttachmentRecordInput, AttachmentsRepo } from "./store/repos/attachments.js";
export type {
  AuditTrailFilter,
  AuditTrailRepo,
  MeasureTrailFilter,
  PersonRecord,
} from "./store/repos/audit-trail.js";
export type {
  CatalogDepartment,
  CatalogRepo,
  IssuedAssignmentRecord,
  MeasureClosureSet,
  MeasureRecord,
  MeasureTranslationRecord,
  PlanCount,
  PlanPageRead,
  PlanRecord,
  PlanTrailEventRecord,
  ResponsibilityRecord,
  SectionRecord,
} from "./store/repos/catalog.js";
export type { IdempotencyRepo, StoredIdempotentAnswer } from "./store/repos/idempotency.js";
export type { NoticesRepo, NotificationRow, OutboxRow } from "./store/repos/notices.js";
export type { OutboxDelivery, OutboxFailure, OutboxRepo } from "./store/repos/outbox.js";
export type { AssignmentRevision, DivisionPlace, NewAssignment, NewMeasureTranslation, PlanEditingRepo, PlanResponsibility } from "./store/repos/plan-editing.js";
export type { DraftPlanRows, NewDraftPlan, NewPlanResponsibility, PlanCreationRepo } from "./store/repos/plan-creation.js";
export { draftPlanRows } from "./store/draft-plan-rows.js";
export type {
  CascadeAssignmentRow,
  CascadeMeasureRow,
  CascadeMemberRow,
  CascadeOrganisationRow,
  CascadePlanRow,
  CascadeRepo,
  CascadeResponsibilityRow,
  ForwardedMeasureRow,
  ForwardingRow,
  NewCascadeMeasure,
  NewForwarding,
  NewImplementationPlan,
} from "./store/repos/cascade.js";
export type { OrganisationsRepo } from "./store/repos/organisations.js";
export type {
  CompiledRoundRow,
  NewRound,
  NewRoundReport,
  RoundMeasureTitle,
  RoundRecord,
  RoundReportChange,
  RoundReportFilter,
  RoundReportGroupCount,
  RoundReportKey,
  RoundReportRecord,
  RoundsRepo,
} from "./store/repos/rounds.js";
export type { AssignmentProgressRecord, ProgressRepo } from "./store/repos/progress.js";
export type { KnownDeviceRow, SessionRow, SessionsRepo, SessionWithAccount, SignedInNames, SignInAccount } from "./store/repos/sessions.js";
export type { LoginThrottleRepo, ThrottleCount } from "./store/repos/login-throttle.js";
export type { AccountChange, AccountRecord, AccountsRepo } from "./store/repos/accounts.js";
export type { DepartmentRecord, DepartmentRegisterRepo, DivisionRecord, NewDepartment, OrganisationRecord } from "./store/repos/department-register.js";
export { inboxAssignmentColumns, inboxAssignmentFields } from "./store/repos/inbox.js";
export {
  inboxCountsWalkRows,
  inboxLatenessPlaceholders,
  inboxParamsOf,
  inboxSearchWalks,
  inboxSearchWindow,
  inboxShapeKey,
  inboxShapeOf,
} from "./store/inbox-shape.js";
export type { InboxShape } from "./store/inbox-shape.js";
export type {
  HandlerReach,
  InboxAssignment,
  InboxFilter,
  InboxPageQuery,
  InboxPageRow,
  InboxRepo,
  InboxSearchTerms,
  LatenessBounds,
  StoredAssignment,
} from "./store/repos/inbox.js";
export type {
  AssignmentViewsRepo,
  AttachmentView,
  CommentView,
  ExtensionRequestView,
  MeasureView,
} from "./store/repos/assignment-views.js";
export type { NotificationsRepo, StoredDelivery, StoredNotification } from "./store/repos/notifications.js";
export { dueSoonOrLateConditionOn, latenessBounds, latenessConditionOn } from "./store/lateness-sql.js";
export type { LatenessBoundsOf, LatenessColumns } from "./store/lateness-sql.js";
export { assertNotInsideUnitOfWork, insideUnitOfWork, SerialQueue } from "./store/unit-of-work.js";
export { ensureRegisterDepartmentsIn, registerDepartmentAddedEvent, registerDepartmentRow } from "./register-departments.js";
export {
  containsText,
  measureSearchModeOf,
  measureTextSearch,
  minIndexedSearchLength,
  registerSearchFunctions,
  searchDigest,
  searchDigestFunction,
  searchKeyCondition,
  searchTextFunction,
} from "./search.js";
export type { MeasureSearchMode } from "./search.js";
export { ensureOrganisationDepartments, loadOrganisations, localDepartmentRow } from "./load-organisations.js";
export type { LevelReportChange, LevelReportFileRecord, LevelReportRecord, LevelReportsRepo, NewLevelReport } from "./store/repos/level-reports.js";
