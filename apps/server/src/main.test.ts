/**
 * The built entry point (`node apps/server/dist/main.js`, what `npm start` runs) refuses a setting at fault in one
 * line naming it, with exit code 1 (a new user's trial: a mistyped GROUP_COMMIT_SYNC or PORT printed a stack trace).
 * Needs the build (`npm test` builds first).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("node dist/main.js with a setting at fault", () => {
  it.each([
    ["GROUP_COMMIT_SYNC", "sometimes"],
    ["PORT", "eighty"],
    ["TRUST_PROXY", "true"],
  ])("%s=%s: one line naming the setting, exit 1, nothing started", (name, value) => {
    expect(existsSync(main), `${main} is missing: build first`).toBe(true);
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env["PATH"] ?? "", [name]: value, DATABASE_PATH: "/nonexistent/never-created.sqlite" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Countersign cannot start: .*${name}`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync("/nonexistent/never-created.sqlite")).toBe(false);
  });
});
