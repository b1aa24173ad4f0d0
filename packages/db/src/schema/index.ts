// The whole schema, named table by table (no `export *`): drizzle-kit reads this file.
export { assignmentsTable } from "./assignments.js";
export { searchKeysTable, searchTextsTable } from "./search-keys.js";
export { allDepartments, allPlans, assignmentCountsTable } from "./assignment-counts.js";
export { auditChainHeadTable } from "./audit-chain-head.js";
export { assignmentNoticesTable } from "./assignment-notices.js";
export { auditEventsTable } from "./audit-events.js";
export { commentsTable } from "./comments.js";
export { departmentsTable } from "./departments.js";
export { divisionsTable } from "./divisions.js";
export { extensionRequestsTable, extensionRequestStatuses } from "./extension-requests.js";
export type { ExtensionRequestStatus } from "./extension-requests.js";
export { idempotencyKeysTable } from "./idempotency-keys.js";
export { knownDevicesTable, loginThrottleTable } from "./login-throttle.js";
export { measuresTable } from "./measures.js";
export { measureTranslationsTable } from "./measure-translations.js";
export { passwordResetsTable } from "./password-resets.js";
export { planDepartmentsTable, plansTable, planStatuses } from "./plans.js";
export type { PlanStatus } from "./plans.js";
export { responsibilitiesTable } from "./responsibilities.js";
export { sectionsTable } from "./sections.js";
export { sessionsTable } from "./sessions.js";
export { usersTable } from "./users.js";
// Issue 14: reporting rounds, attachments, notifications and the outbox.
export { reportRoundsTable, roundReportsTable } from "./rounds.js";
export { attachmentBlobsTable, attachmentsTable } from "./attachments.js";
export { notificationsTable, outboxTable } from "./notifications.js";
// Issue 16: down the levels (organisations, forwardings).
export { forwardingMeasuresTable, forwardingStatuses, forwardingsTable, organisationsTable } from "./organisations.js";
export type { ForwardingStatus } from "./organisations.js";
// Issue 16, point 3: level reports (round reports up the levels).
export { levelReportFileBlobsTable, levelReportFilesTable, levelReportsTable } from "./level-reports.js";
