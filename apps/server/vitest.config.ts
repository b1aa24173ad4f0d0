import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // A throw-away PostgreSQL cluster for the suites that run on both engines (issue 13), or DATABASE_URL_PG's.
    globalSetup: ["../../packages/db-postgres/src/test-support/global-setup.ts"],
    // Real databases, real scrypt and a real HTTP server on 2 shared cores: generous per-test limits.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
