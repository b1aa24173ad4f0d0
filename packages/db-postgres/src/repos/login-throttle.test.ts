// The sign-in limiter's counts (login_throttle) on both engines: each failure added in one atomic statement, so
// failures counted at once through two stores on one PostgreSQL database are all counted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteStore, openDatabase } from "@countersign/db";
import type { AnyStore } from "@countersign/db";
import { connectPostgres } from "../connect.js";
import { createPostgresStore } from "../store.js";
import { migratedDatabase } from "../test-support/databases.js";

interface TwoInstances {
  a: AnyStore;
  b: AnyStore;
  dispose(): Promise<void>;
}

const engines = [
  {
    engine: "sqlite",
    make: async (): Promise<TwoInstances> => {
      const dir = mkdtempSync(join(tmpdir(), "countersign-throttle-"));
      const opened = openDatabase(join(dir, "db.sqlite"));
      const a = createSqliteStore(opened);
      const b = createSqliteStore(opened);
      return {
        a,
        b,
        dispose: async () => {
          await a.close();
          await b.close();
          opened.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    engine: "postgres",
    make: async (): Promise<TwoInstances> => {
      const { connection, url, dispose } = await migratedDatabase();
      const second = connectPostgres(url);
      const a = createPostgresStore(connection);
      const b = createPostgresStore(second);
      return {
        a,
        b,
        dispose: async () => {
          await a.close();
          await b.close();
          await second.close();
          await dispose();
        },
      };
    },
  },
] as const;

describe.each(engines)("login_throttle on $engine", ({ make }) => {
  let two: TwoInstances | null = null;
  afterEach(async () => {
    await two?.dispose();
    two = null;
  });

  it("counts every failure added at once through two stores on one database", async () => {
    two = await make();
    const { a, b } = two;
    const at = "2026-03-02T02:00:00.000Z";
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).transaction((tx) => tx.repos.loginThrottle.addFailure("account:mof", at))),
    );
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await b.read((repos) => repos.loginThrottle.counts(["account:mof", "account:nobody"]))).toEqual([
      { key: "account:mof", failures: 20, lastFailureAt: at },
    ]);
  });

  it("takes a failure back never below 0, clears a key with its count, and forgets old keys but the kept prefix", async () => {
    two = await make();
    const { a } = two;
    await a.transaction(async (tx) => {
      const t = tx.repos.loginThrottle;
      await t.addFailure("address:10.0.0.1", "2026-03-02T01:00:00.000Z");
      await t.takeBackFailure("address:10.0.0.1");
      await t.takeBackFailure("address:10.0.0.1");
      await t.addFailure("notice:7", "2026-03-02T01:00:00.000Z");
      await t.addFailure("notice:7", "2026-03-02T01:00:00.000Z");
      await t.addFailure("account:old", "2026-03-02T01:00:00.000Z");
      await t.addFailure("account:new", "2026-03-02T03:00:00.000Z");
    });
    expect((await a.read((repos) => repos.loginThrottle.counts(["address:10.0.0.1"])))[0]?.failures).toBe(0);
    await a.transaction((tx) => tx.repos.loginThrottle.forgetBefore("2026-03-02T02:00:00.000Z", "notice:"));
    const left = await a.read((repos) => repos.loginThrottle.counts(["address:10.0.0.1", "notice:7", "account:old", "account:new"]));
    expect(left.map((r) => r.key).sort()).toEqual(["account:new", "notice:7"]);
    expect(await a.transaction((tx) => tx.repos.loginThrottle.clear("notice:7"))).toBe(2);
    expect(await a.transaction((tx) => tx.repos.loginThrottle.clear("notice:7"))).toBe(0);
  });
});
