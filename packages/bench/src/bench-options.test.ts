import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchOptionSpecs, benchOptions, benchUsage } from "./bench-options.js";

describe("the benchmark's command line", () => {
  it("explains every option it accepts in its --help text", () => {
    for (const name of Object.keys(benchOptionSpecs)) expect(benchUsage).toContain(`--${name} `);
  });

  it("refuses an unknown option with the usage, and bad values with what is wrong", () => {
    expect(() => benchOptions(["--", "--sekonds", "5"], () => {})).toThrow(/Unknown option '--sekonds'[\s\S]*Usage: pnpm bench/);
    expect(() => benchOptions(["--engine", "mysql"], () => {})).toThrow("--engine must be sqlite or postgres");
    expect(() => benchOptions(["--database-url", "postgres://x/y"], () => {})).toThrow("--database-url needs --engine postgres");
    expect(() => benchOptions(["--assignments", "12"], () => {})).toThrow("--assignments must be an integer of at least 200");
  });

  it("reads a smoke run's defaults and an engine's URL", () => {
    const smoke = benchOptions(["--smoke"], () => {});
    expect(smoke.smoke).toBe(true);
    expect(smoke.assignments).toBe(2000);
    const pg = benchOptions(["--engine", "postgres", "--database-url", "postgres://cs@127.0.0.1:5432/countersign"], () => {});
    expect(pg.engine).toBe("postgres");
    expect(pg.databaseUrl).toBe("postgres://cs@127.0.0.1:5432/countersign");
    for (const options of [smoke, pg]) rmSync(options.workDir, { recursive: true, force: true });
  });
});
