import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Starts a throw-away PostgreSQL cluster (scripts/postgres.sh) unless DATABASE_URL_PG names one.
    globalSetup: ["./src/test-support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
