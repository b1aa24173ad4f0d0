// The whole PostgreSQL schema, table for table the mirror of packages/db/src/schema (drizzle-kit reads this file).
export { assignmentsTable } from "./assignments.js";
export { searchKeysTable, searchTextsTable } from "./search-keys.js";
export { assignmentCountsTable } from "./assignment-counts.js";
export { auditChainHeadTable } from "./audit-chain-head.js";
export { assignmentNoticesTable } from "./assignment-notices.js";
export { auditEventsTable } from "./audit-events.js";
export { commentsTable } from "./comments.js";
export { departmentsTable } from "./departments.js";
export { divisionsTable } from "./divisions.js";
export { extensionRequestsTable } from "./extension-requests.js";
export { idempotencyKeysTable } from "./idempotency-keys.js";
export { knownDevicesTable, loginThrottleTable } from "./login-throttle.js";
export { measuresTable } from "./measures.js";
export { measureTranslationsTable } from "./measure-translations.js";
export { planDepartmentsTable, plansTable } from "./plans.js";
export { responsibilitiesTable } from "./responsibilities.js";
export { sectionsTable } from "./sections.js";
export { passwordResetsTable } from "./password-resets.js";
export { sessionsTable } from "./sessions.js";
export { usersTable } from "./users.js";
// Issue 14: reporting rounds, attachments, notifications and the outbox.
export { reportRoundsTable, roundReportsTable } from "./rounds.js";
export { attachmentBlobsTable, attachmentsTable } from "./attachments.js";
export { notificationsTable, outboxTable } from "./notifications.js";
// Issue 16: down the levels (organisations, forwardings).
export { forwardingMeasuresTable, forwardingsTable, organisationsTable } from "./organisations.js";
// Issue 13: the ids of live events, the same on every instance (no SQLite mirror: a sequence, not a table).
export { liveEventSeq } from "./live-events.js";
// Issue 16, point 3: level reports (round reports up the levels).
export { levelReportFileBlobsTable, levelReportFilesTable, levelReportsTable } from "./level-reports.js";
