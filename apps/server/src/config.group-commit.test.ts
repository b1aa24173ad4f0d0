import { describe, expect, it } from "vitest";
import { defaultGroupCommitOptions } from "@countersign/db";
import { readConfig } from "./config.js";

describe("GROUP_COMMIT settings", () => {
  it("are on with the default bounds, off with GROUP_COMMIT=0, and bounded by GROUP_COMMIT_MAX_BATCH and _MAX_WAIT_MS", () => {
    expect(readConfig([], {}).groupCommit).toEqual({ enabled: true, maxBatch: 64, maxWaitMs: 0 });
    expect(defaultGroupCommitOptions).toEqual({ enabled: true, maxBatch: 64, maxWaitMs: 0 });
    expect(readConfig([], { GROUP_COMMIT: "0" }).groupCommit.enabled).toBe(false);
    expect(readConfig([], { GROUP_COMMIT_MAX_BATCH: "8", GROUP_COMMIT_MAX_WAIT_MS: "2" }).groupCommit).toEqual({
      enabled: true,
      maxBatch: 8,
      maxWaitMs: 2,
    });
    // Nonsense (a batch of none, a negative wait, words) falls back to the defaults.
    expect(readConfig([], { GROUP_COMMIT_MAX_BATCH: "0" }).groupCommit.maxBatch).toBe(64);
    expect(readConfig([], { GROUP_COMMIT_MAX_BATCH: "many", GROUP_COMMIT_MAX_WAIT_MS: "-1" }).groupCommit).toEqual(defaultGroupCommitOptions);
  });

  it("sync the WAL off the event loop by default; GROUP_COMMIT_SYNC=commit syncs in each COMMIT; anything else stops the start", () => {
    expect(readConfig([], {}).groupCommitSync).toBe("background");
    expect(readConfig([], { GROUP_COMMIT_SYNC: "background" }).groupCommitSync).toBe("background");
    expect(readConfig([], { GROUP_COMMIT_SYNC: "commit" }).groupCommitSync).toBe("commit");
    // A durability setting mistyped must not run silently as the default (an operator asking for "Commit" or "full").
    for (const typo of ["sometimes", "Commit", "full", "0"]) {
      expect(() => readConfig([], { GROUP_COMMIT_SYNC: typo })).toThrow(`GROUP_COMMIT_SYNC must be "background" (the default) or "commit", not "${typo}"`);
    }
  });
});
