import { defineConfig } from "drizzle-kit";

// `pnpm --filter @countersign/db generate` writes a new migration to ./drizzle after a schema change; commit it.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
});
