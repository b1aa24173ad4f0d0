import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Real databases, real scrypt and a real HTTP server on 2 shared cores: generous per-test limits.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
