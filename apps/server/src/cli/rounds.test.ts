import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommand } from "../test-support/cli-run.js";
import { createHarness, harnessEngines } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { roundsCommand } from "./rounds.js";

let h: Harness | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tick(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return runCommand(roundsCommand, ["tick", ...args], env);
}

describe.each(harnessEngines)("cli rounds tick on %s", (engine) => {
  it("rolls a repeating round over once through the store seam, on the server's database; a second tick does nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-cli-rounds-"));
    dirs.push(dir);
    const path = join(dir, "db.sqlite");
    h = await createHarness({ engine, path, now: new Date("2026-01-02T02:00:00Z") });
    await h.as("miit").plan.issue({ planId: h.planId, dueDate: "2026-06-30" });
    const opened = await h.as("miit").round.open({
      planId: h.planId,
      title: "一季度调度",
      periodStart: "2026-01-01",
      periodEnd: "2026-03-31",
      dueDate: "2026-04-10",
      measureNumbers: [7],
      departments: [],
      recurrence: "quarterly",
    });
    // The server's database: the file on SQLite, the PostgreSQL database (DATABASE_URL) the callers' store is on.
    const env = h.commandEnv;
    expect(await tick(["--at", "nonsense"], env)).toMatchObject({ code: 2, err: expect.stringContaining("--at must be an ISO time") });
    const first = await tick(["--at", "2026-07-01T02:00:00Z"], env);
    expect(first).toMatchObject({ code: 0, err: "" });
    const next = await h.store.read((repos) => repos.rounds.roundsOfPlan(h?.planId ?? 0));
    const nextId = next.find((r) => r.previousRoundId === opened.id)?.id;
    expect(first.out).toBe(`rolled over: ${opened.id} → ${nextId}; due-soon notices: none\n`);
    expect(next.find((r) => r.id === opened.id)?.status).toBe("closed");
    expect((await tick(["--at", "2026-07-01T03:00:00Z"], env)).out).toBe("rolled over: none; due-soon notices: none\n");
  });
});
