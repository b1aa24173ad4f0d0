import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writesOptions, writesUsage } from "./bench-writes-options.js";

const dir = mkdtempSync(join(tmpdir(), "bench-writes-options-"));
writeFileSync(join(dir, "scale.sqlite"), "");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bench:writes's command line", () => {
  it("says in one line that the database file does not exist, and how to make one (was better-sqlite3's stack trace)", () => {
    expect(() => writesOptions(["--", "--database", "missing.sqlite"], dir)).toThrow(
      `${join(dir, "missing.sqlite")} does not exist: generate one with npx -y pnpm@12.4.2 --silent cli seed:scale --assignments N --out ${join(dir, "missing.sqlite")}`,
    );
  });

  it("takes a relative path from the directory the command was typed in, and reads rounds, seconds and --env", () => {
    const options = writesOptions(["--", "--database", "scale.sqlite", "--rounds", "1", "--seconds", "3", "--env", "GROUP_COMMIT_SYNC=commit"], dir);
    expect(options.dbPath).toBe(join(dir, "scale.sqlite"));
    expect(options.rounds).toBe(1);
    expect(options.seconds).toBe(3);
    expect(options.serverEnv["GROUP_COMMIT_SYNC"]).toBe("commit");
    expect(options.serverEnv["DATABASE_PATH"]).toBe(join(dir, "scale.sqlite"));
    expect(options.raw).toBe(true);
  });

  it("refuses bad values with what is wrong, and explains each option it accepts", () => {
    const db = ["--database", "scale.sqlite"];
    expect(() => writesOptions([], dir)).toThrow("give --database FILE");
    expect(() => writesOptions([...db, "--rounds", "0"], dir)).toThrow("--rounds must be a whole number ≥ 1");
    expect(() => writesOptions([...db, "--seconds", "0"], dir)).toThrow("--seconds must be > 0");
    expect(() => writesOptions([...db, "--env", "GROUP_COMMIT_SYNC"], dir)).toThrow("--env GROUP_COMMIT_SYNC: write NAME=VALUE");
    expect(() => writesOptions([...db, "--sekonds", "3"], dir)).toThrow(/Unknown option '--sekonds'/);
    for (const name of ["--database ", "--rounds ", "--seconds ", "--env ", "--no-raw ", "--help"]) expect(writesUsage).toContain(name);
  });
});
