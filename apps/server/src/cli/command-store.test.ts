import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./command.js";
import { openCommandStore, refusedOnPostgres } from "./command-store.js";

function streams(env: NodeJS.ProcessEnv): { io: CliIo; err: () => string } {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  return { io: { stdin: Readable.from([]), stdout: new PassThrough(), stderr, env }, err: () => err };
}

describe("the database a command works on", () => {
  it("refuses a SQLite-only command when DATABASE_URL selects PostgreSQL, naming the command; lets it run on SQLite", () => {
    const onSqlite = streams({ DATABASE_PATH: "/tmp/x.sqlite" });
    expect(refusedOnPostgres("rounds", onSqlite.io)).toBe(false);
    expect(onSqlite.err()).toBe("");
    const onPostgres = streams({ DATABASE_URL: "postgres://countersign@db.example.gov.cn/countersign" });
    expect(refusedOnPostgres("rounds", onPostgres.io)).toBe(true);
    expect(onPostgres.err()).toMatch(/^cli rounds works on the SQLite database \(DATABASE_PATH\) only so far, and DATABASE_URL selects PostgreSQL/);
  });

  it("refuses a DATABASE_URL that is not postgres:// (SQLite is chosen with DATABASE_PATH)", async () => {
    await expect(openCommandStore(streams({ DATABASE_URL: "sqlite:///tmp/x.sqlite" }).io)).rejects.toThrow("DATABASE_URL must be a postgres://");
  });
});
