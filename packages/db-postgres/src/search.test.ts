// The measures' search on a real PostgreSQL (migration 0015): pg_trgm GIN indexes on the folded title and text find
// a Chinese substring, through the index, with the same answers as the SQLite FTS5 table gives.
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSearchQuery, searchableText } from "@countersign/domain";
import type { PostgresConnection } from "./connect.js";
import { departmentsTable, measuresTable, plansTable } from "./schema/index.js";
import { containsText, measureSearchModeOf, measureTextSearch } from "./search.js";
import { migratedDatabase } from "./test-support/databases.js";

let connection: PostgresConnection;
let dispose: () => Promise<void>;
beforeEach(async () => {
  ({ connection, dispose } = await migratedDatabase());
});
afterEach(async () => {
  await dispose();
});

const measures = [
  { number: 1, title: "完善支持中小企业发展的基础性制度", text: "坚持和完善中小企业财税支持制度，落实（７）项税费优惠。" },
  { number: 2, title: "坚持和完善中小企业融资促进制度", text: "健全融资担保体系，发展ＦＩＮＡＮＣＩＮＧ服务，降低融资成本。" },
  { number: 3, title: "建立和健全中小企业创新发展制度", text: '他说"创新"不是 NEAR(口号) - 而是*行动*，100%_落实\\到位。' },
  { number: 4, title: "完善和优化中小企业服务体系", text: "推进第１２批服务平台建设 Tax  Burden。" },
];

async function load(): Promise<void> {
  await connection.db.insert(departmentsTable).values({ code: "MIIT", nameEn: "MIIT", nameZh: "工业和信息化部", shortEn: "MIIT", shortZh: "工信部", signatureOrder: 1 });
  const [plan] = await connection.db
    .insert(plansTable)
    .values({ key: "p", titleEn: "p", titleZh: "方案", documentNumber: "1", issuedOn: "2020-07-03", publishedOn: "2020-07-24", leadDepartment: "MIIT", createdAt: "2026-01-01T00:00:00.000Z" })
    .returning({ id: plansTable.id });
  if (plan === undefined) throw new Error("no plan");
  await connection.db.insert(measuresTable).values(measures.map((m) => ({ ...m, planId: plan.id, sectionNumber: 1, textCut: false })));
}

async function search(query: string): Promise<number[]> {
  const needle = parseSearchQuery(query).text;
  const rows = await connection.db
    .select({ number: measuresTable.number })
    .from(measuresTable)
    .where(measureTextSearch(measuresTable.id, needle, measureSearchModeOf(needle)))
    .orderBy(asc(measuresTable.number));
  return rows.map((r) => r.number);
}

function expected(query: string): number[] {
  const needle = parseSearchQuery(query).text;
  return measures.filter((m) => searchableText(m.title).includes(needle) || searchableText(m.text).includes(needle)).map((m) => m.number);
}

describe("the measures' search on PostgreSQL (pg_trgm)", () => {
  it("finds Chinese substrings, width-folded text, and literal LIKE characters, as the domain's folding says", async () => {
    await load();
    for (const query of ["融资", "税", "中小企业融资", "降低融资成本。", "（７）", "(7)项", "financing", "tax burden", "１２", "100%_", "%", "_", "\\", '"创新"', "NEAR(口号)", "*行动*", "中小*", "很".repeat(200)]) {
      expect(await search(query), query).toEqual(expected(query));
    }
    expect(await search("中小企业融资")).toEqual([2]);
    expect(await search("（７）")).toEqual([1]);
  });

  it("reads a Chinese substring of 3 or more characters through the trigram index", async () => {
    await load();
    const client = await connection.pool.connect();
    try {
      // Four rows: without this the planner would rightly read the table; the question is whether the index can answer.
      await client.query("set enable_seqscan = off");
      const needle = parseSearchQuery("企业融资").text;
      // The very statement measureTextSearch gives the services.
      const query = connection.db
        .select({ number: measuresTable.number })
        .from(measuresTable)
        .where(measureTextSearch(measuresTable.id, needle, measureSearchModeOf(needle)))
        .orderBy(asc(measuresTable.number))
        .toSQL();
      const plan = await client.query<{ "QUERY PLAN": string }>(`explain ${query.sql}`, query.params);
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Bitmap Index Scan on measures_(title|text)_trgm_idx/);
      const found = await client.query<{ number: number }>(query.sql, query.params);
      expect(found.rows.map((r) => r.number)).toEqual([2]);
    } finally {
      await client.query("reset enable_seqscan");
      client.release();
    }
  });

  it("folds a plan title's ASCII case, as the catalogue's search does on SQLite", async () => {
    await load();
    const rows = await connection.db.select({ id: plansTable.id }).from(plansTable).where(containsText(plansTable.key, "P"));
    expect(rows).toEqual([]);
    const found = await connection.db.select({ key: plansTable.key }).from(plansTable).where(containsText(plansTable.titleZh, "方案"));
    expect(found).toEqual([{ key: "p" }]);
    expect(await connection.db.select({ n: measuresTable.number }).from(measuresTable).where(eq(measuresTable.number, 4))).toHaveLength(1);
  });
});
