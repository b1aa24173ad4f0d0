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
export { migrateDatabase, migrationsFolder } from "./migrate.js";
export {
  appendAuditEvent,
  auditEventHash,
  auditEventTypes,
  canonicalJson,
  genesisHash,
  verifyAuditChain,
} from "./audit.js";
export type { AuditChainVerdict, AuditEventInput, AuditEventRow, AuditEventType, AuditPayload } from "./audit.js";
export { insertPlanDocument, loadDefaultPlan, loadDepartments, loadPlan } from "./load-plan.js";
export type { LoadedPlan, PlanResponsibilityInput } from "./load-plan.js";
export { ensureRegisterDepartments } from "./register-departments.js";
