import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // The smoke run starts servers and a browser on 2 shared cores: generous limits.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
