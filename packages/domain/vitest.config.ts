import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    // Property-based runs and file rendering on 2 shared cores: time limits generous enough for a loaded machine.
    testTimeout: 30_000,
  },
});
