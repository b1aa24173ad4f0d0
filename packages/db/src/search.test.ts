import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./client.js";
import type { OpenedDatabase } from "./client.js";
import { loadDefaultPlan } from "./load-plan.js";
import { migrationsFolder } from "./migrate.js";
import { measuresTable } from "./schema/measures.js";
import { measureSearchModeOf, measureTextSearch } from "./search.js";

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

function planned(): OpenedDatabase {
  const o = openDatabase(":memory:");
  opened.push(o);
  loadDefaultPlan(o.db, "2026-01-01T00:00:00.000Z");
  return o;
}

/** The measure numbers whose title or text holds `needle` (already folded), through the index or the scan. */
function search(o: OpenedDatabase, needle: string): number[] {
  return o.db
    .select({ number: measuresTable.number })
    .from(measuresTable)
    .where(measureTextSearch(measuresTable.id, needle, measureSearchModeOf(needle)))
    .orderBy(measuresTable.number)
    .all()
    .map((r) => r.number);
}

describe("the measures' search index (migration 0014)", () => {
  it("holds every measure's title and text in the folded form, kept by triggers on insert, update and delete", () => {
    const o = planned();
    const counts = o.sqlite.prepare("select (select count(*) from measures) m, (select count(*) from measure_search) s").get();
    expect(counts).toEqual({ m: 25, s: 25 });
    const seven = o.db.select().from(measuresTable).where(eq(measuresTable.number, 7)).get();
    if (seven === undefined) throw new Error("no measure 7");
    o.db.update(measuresTable).set({ text: "加强ＦＩＮＡＮＣＩＮＧ和（７）项服务\u3000\u3000保障" }).where(eq(measuresTable.id, seven.id)).run();
    expect(o.sqlite.prepare("select text from measure_search where rowid = ?").get(seven.id)).toEqual({ text: "加强financing和(7)项服务 保障" });
    expect(search(o, "(7)项服务 保")).toEqual([7]);
    expect(search(o, "和(")).toEqual([7]);
    // Nothing deletes a measure today (its responsibilities hold it): the trigger is for when something does.
    o.sqlite.pragma("foreign_keys = OFF");
    o.db.run(sql`delete from measures where id = ${seven.id}`);
    expect(o.sqlite.prepare("select count(*) n from measure_search where rowid = ?").get(seven.id)).toEqual({ n: 0 });
    expect(search(o, "(7)项服务")).toEqual([]);
  });

  it("matches the substring exactly, as instr() on the folded text would, through the index and by the scan", () => {
    const o = planned();
    const rows = o.db.select({ number: measuresTable.number, title: measuresTable.title, text: measuresTable.text }).from(measuresTable).all();
    for (const needle of ["financing", "tax burden", "small and medium", "credit", "of", "ta", "e", "zzz", '"', "x*", "near"]) {
      const naive = rows
        .filter((r) => r.title.toLowerCase().includes(needle) || r.text.toLowerCase().includes(needle))
        .map((r) => r.number)
        .sort((a, b) => a - b);
      expect(search(o, needle), needle).toEqual(naive);
    }
  });

  it("fills the index from the measures already there when the migration runs", () => {
    const o = planned();
    // Undo 0014 as if the database predated it, then run its statements again (later migrations stay applied): the
    // backfill indexes the 25 measures.
    o.sqlite.exec(
      "drop trigger measure_search_insert; drop trigger measure_search_update; drop trigger measure_search_delete; drop table measure_search",
    );
    const migration = readFileSync(join(migrationsFolder, "0014_measure_search.sql"), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) if (statement.trim() !== "") o.sqlite.exec(statement);
    expect(o.sqlite.prepare("select count(*) n from measure_search").get()).toEqual({ n: 25 });
    expect(search(o, "financing").length).toBeGreaterThan(0);
  });

  it("refuses to write measures on a connection without the folding function, rather than let the index go stale", () => {
    const o = planned();
    o.close();
    const raw = new Database(":memory:");
    try {
      raw.exec("create table measures (id integer primary key, title text, text text)");
      raw.exec("create virtual table measure_search using fts5(title, text, tokenize = 'trigram case_sensitive 1')");
      raw.exec(
        "create trigger measure_search_insert after insert on measures begin insert into measure_search (rowid, title, text) values (new.id, countersign_search_text(new.title), countersign_search_text(new.text)); end",
      );
      expect(() => raw.prepare("insert into measures (title, text) values ('a', 'b')").run()).toThrow(/countersign_search_text/);
    } finally {
      raw.close();
    }
  });
});
