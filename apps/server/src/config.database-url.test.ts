import { describe, expect, it } from "vitest";
import { readConfig, shownDatabaseUrl } from "./config.js";

describe("DATABASE_URL selects the engine", () => {
  it("is SQLite at DATABASE_PATH when unset or empty, PostgreSQL for postgres:// and postgresql://", () => {
    expect(readConfig([], { DATABASE_PATH: "/tmp/x.sqlite" })).toMatchObject({ databaseUrl: null, databasePath: "/tmp/x.sqlite", readyTimeoutMs: 200 });
    expect(readConfig([], { DATABASE_URL: " " }).databaseUrl).toBeNull();
    expect(readConfig([], { DATABASE_URL: "postgres://cs@db/countersign" })).toMatchObject({ databaseUrl: "postgres://cs@db/countersign", readyTimeoutMs: 2000 });
    expect(readConfig([], { DATABASE_URL: "postgresql://cs@db/countersign", READY_DATABASE_TIMEOUT_MS: "500" })).toMatchObject({ readyTimeoutMs: 500 });
  });

  it("refuses any other scheme instead of quietly running on SQLite", () => {
    expect(() => readConfig([], { DATABASE_URL: "mysql://db/countersign" })).toThrow(/postgres:\/\//);
    expect(() => readConfig([], { DATABASE_URL: "./data/countersign.sqlite" })).toThrow(/DATABASE_PATH/);
  });

  it("never shows the password", () => {
    expect(shownDatabaseUrl("postgres://cs:s3cret@db.example:5432/countersign")).toBe("postgres://cs:***@db.example:5432/countersign");
    expect(shownDatabaseUrl("postgres://cs@db.example/countersign")).toBe("postgres://cs@db.example/countersign");
    expect(shownDatabaseUrl("postgres://cs:s3cret@[bad")).not.toContain("s3cret");
  });
});
