import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "./migrate.js";

/** The data step of migration 0007: each display name written before it, split by language. */
describe("migration 0007 (people): display names by language", () => {
  it("puts English, Chinese and '中文 (English)' names in their columns, and never a mixed name in the English one", () => {
    const sqlite = new Database(":memory:");
    sqlite.exec("create table users (display_name text not null, display_name_zh text, display_name_en text)");
    const names = ["Observer", "张伟", "财政部联络员 (MOF liaison)", "Observer 观察员", "领导小组办公室 (MIIT coordinator)"];
    for (const n of names) sqlite.prepare("insert into users (display_name) values (?)").run(n);
    const statements = readFileSync(join(migrationsFolder, "0007_people.sql"), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter((s) => s.startsWith("UPDATE"));
    expect(statements).toHaveLength(4);
    for (const s of statements) sqlite.exec(s);
    const rows = sqlite.prepare("select display_name as n, display_name_zh as zh, display_name_en as en from users").all();
    expect(rows).toEqual([
      { n: "Observer", zh: null, en: "Observer" },
      { n: "张伟", zh: "张伟", en: null },
      { n: "财政部联络员 (MOF liaison)", zh: "财政部联络员", en: "MOF liaison" },
      { n: "Observer 观察员", zh: "Observer 观察员", en: null },
      { n: "领导小组办公室 (MIIT coordinator)", zh: "领导小组办公室", en: "MIIT coordinator" },
    ]);
    sqlite.close();
  });
});
