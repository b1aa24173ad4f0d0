// Test support for suites that run against the test run's PostgreSQL cluster (started by global-setup.ts, which a
// package's vitest config names as its globalSetup). Not for production code.
export { freshDatabaseUrl, migratedDatabase } from "./databases.js";
