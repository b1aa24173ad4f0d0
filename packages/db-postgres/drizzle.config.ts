import { defineConfig } from "drizzle-kit";

// `pnpm --filter @countersign/db-postgres generate` writes a new migration to ./drizzle after a schema change; commit
// it. Generating needs no database; every change here mirrors one in packages/db/src/schema (same tables, columns
// and values), so that `cli db migrate-to-postgres` can copy row for row.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
});
