import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The template database and figures; and a throw-away PostgreSQL cluster (or DATABASE_URL_PG's) for the
    // suites on PostgreSQL.
    globalSetup: ["src/global-setup.ts", "../db-postgres/src/test-support/global-setup.ts"],
    // Each file starts its own real server; two at a time on 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
