import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./command.js";
import { openCommandStore } from "./command-store.js";

function streams(env: NodeJS.ProcessEnv): { io: CliIo; err: () => string } {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  return { io: { stdin: Readable.from([]), stdout: new PassThrough(), stderr, env }, err: () => err };
}

describe("the database a command works on", () => {
  it("refuses a DATABASE_URL that is not postgres:// (SQLite is chosen with DATABASE_PATH)", async () => {
    await expect(openCommandStore(streams({ DATABASE_URL: "sqlite:///tmp/x.sqlite" }).io)).rejects.toThrow("DATABASE_URL must be a postgres://");
  });
});
