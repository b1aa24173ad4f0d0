import { afterEach, describe, expect, it } from "vitest";
import { createHarness, harnessEngines } from "./harness.js";
import type { Harness } from "./harness.js";

// The harness on each engine (issue 13): the seed arrives whole, the store is on the engine asked for, and on
// PostgreSQL the synchronous SQLite handle refuses every use (a service reaching for it would answer 501).
describe.each(harnessEngines)("the test harness on %s", (engine) => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it("puts the store on the engine asked for, with the seed's audit chain intact", async () => {
    h = await createHarness({ engine });
    expect(h.store.engine).toBe(engine);
    const verdict = await h.store.verifyAuditChain();
    expect(verdict.ok).toBe(true);
    expect(await h.store.read(async (repos) => repos.engine)).toBe(engine);
  });

  it("refuses every use of the synchronous SQLite handle on PostgreSQL with not_on_this_engine; nothing the router calls uses it", async () => {
    h = await createHarness({ engine });
    const { db } = h.context(null);
    if (engine === "sqlite") {
      expect(typeof db.select).toBe("function");
    } else {
      // A service that still reached for SQLite would answer 501, not touch a database the deployment does not use.
      expect(() => db.select()).toThrow(expect.objectContaining({ code: "not_on_this_engine" }));
    }
    // The last areas to move onto the seam answer as on SQLite (the permissions matrix calls every procedure on both).
    const miit = h.as("miit");
    await expect(miit.round.list({ planId: h.planId })).resolves.toEqual(expect.any(Array));
    await expect(miit.cascade.organisations()).resolves.toBeTruthy();
  });
});
