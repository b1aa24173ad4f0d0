// The public face of @countersign/db-postgres. Named exports only.
export { connectPostgres, schema } from "./connect.js";
export type { ConnectPostgresOptions, PostgresConnection, PostgresDb, PostgresSchema } from "./connect.js";
export { migratePostgres, migrationsFolder } from "./migrate.js";
export { postgresMigrationState, probePostgres } from "./readiness.js";
export { postgresAccountExists, postgresAccounts, postgresPlanIdByKey, seedEmptyDatabase } from "./first-start.js";
export type { FirstStartSeed } from "./first-start.js";
export { commitChannel, liveChannel, liveIdLockKey, notifyCommitted, PostgresLiveEventBus } from "./live-bus.js";
export { createPostgresStore, retryableSqlStates, sqlState } from "./store.js";
export { verifyAuditChainInExportedSnapshot, walkAuditChain } from "./audit-snapshot.js";
export type { PostgresStoreOptions, PostgresTx } from "./store.js";
export { containsText, measureSearchModeOf, measureTextSearch, minIndexedSearchLength, searchKeyCondition } from "./search.js";
export type { MeasureSearchMode } from "./search.js";
export { copyFromSqlite, dependencyOrder, nonEmptyTables, SourceShapeError, TargetNotEmptyError } from "./copy-from-sqlite.js";
export type { CopyFromSqliteOptions, CopyFromSqliteReport, CopyProgress, TableCount } from "./copy-from-sqlite.js";
