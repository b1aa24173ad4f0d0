import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assignmentStatuses, latenessLevels } from "@countersign/domain";
import { openDatabase, verifyAuditChain } from "@countersign/db";
import { seedScale } from "./seed-scale.js";
import type { SeedScaleProgress } from "./seed-scale.js";

const dir = mkdtempSync(join(tmpdir(), "countersign-seed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("seedScale", () => {
  const path = join(dir, "scale.sqlite");
  const progress: SeedScaleProgress[] = [];
  const now = new Date("2026-03-02T04:00:00Z");
  const result = seedScale(path, { assignments: 6000, now, passwordHash: "scrypt$test", onProgress: (p) => progress.push(p) });

  it("writes about the number of assignments asked, with about five audit events each", () => {
    expect(result.assignments).toBeGreaterThan(5800);
    expect(result.assignments).toBeLessThan(6300);
    expect(result.auditEvents / result.assignments).toBeGreaterThan(4);
    expect(result.auditEvents / result.assignments).toBeLessThan(7);
    expect(progress.at(-1)?.phase).toBe("done");
    expect(progress.some((p) => p.phase === "index")).toBe(true);
  });

  it("covers every assignment state and every lateness level", () => {
    for (const status of assignmentStatuses) expect(result.byStatus[status], status).toBeGreaterThan(0);
    for (const level of latenessLevels) expect(result.byLateness[level], level).toBeGreaterThan(0);
  });

  it("leaves a database the server accepts: chain verifies, keys hold, indexes are back, durability restored", () => {
    const opened = openDatabase(path);
    try {
      const verdict = verifyAuditChain(opened.db);
      expect(verdict).toMatchObject({ ok: true, events: result.auditEvents });
      expect(opened.sqlite.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      expect(opened.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(opened.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      const indexes = opened.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'assignments_%'").all();
      expect(indexes.length).toBeGreaterThanOrEqual(5);

      // The inbox's search keys (migration 0017): every measure has the key of its number and text, every assignment
      // its measure's, and each distinct text is stored once.
      const keys = opened.sqlite
        .prepare(
          `SELECT (SELECT count(*) FROM measures m LEFT JOIN search_keys k ON k.id = m.search_key LEFT JOIN search_texts t ON t.id = k.text_id
                   WHERE k.number IS NOT m.number OR t.digest IS NOT countersign_search_digest(m.title, m.text)) AS badMeasures,
                  (SELECT count(*) FROM assignments a JOIN measures m ON m.id = a.measure_id WHERE a.search_key IS NOT m.search_key) AS badAssignments,
                  (SELECT count(*) FROM search_texts) AS texts,
                  (SELECT count(DISTINCT title || char(31) || text) FROM measures) AS distinctTexts`,
        )
        .get();
      expect(keys).toMatchObject({ badMeasures: 0, badAssignments: 0 });
      expect((keys as { texts: number }).texts).toBe((keys as { distinctTexts: number }).distinctTexts);

      // The trail reads as the history happened: time never goes backwards along the chain.
      const backwards = opened.sqlite.prepare("SELECT count(*) AS n FROM audit_events a JOIN audit_events b ON b.seq = a.seq + 1 WHERE b.at < a.at").get() as { n: number };
      expect(backwards.n).toBe(0);
      // Nothing happens after `now`.
      const last = opened.sqlite.prepare("SELECT max(at) AS at FROM audit_events").get() as { at: string };
      expect(last.at <= now.toISOString()).toBe(true);

      // Each assignment's row agrees with its last recorded transition, and its version counts its actions.
      const disagreeing = opened.sqlite
        .prepare(
          `SELECT count(*) AS n FROM assignments a
           JOIN audit_events e ON e.id = (SELECT max(id) FROM audit_events WHERE assignment_id = a.id AND to_status IS NOT NULL)
           WHERE e.to_status <> a.status`,
        )
        .get() as { n: number };
      expect(disagreeing.n).toBe(0);
      const versions = opened.sqlite
        .prepare(
          `SELECT count(*) AS n FROM assignments a
           WHERE a.version <> (SELECT count(*) FROM audit_events WHERE assignment_id = a.id AND type NOT IN ('assignment.issued'))
                              + 1`,
        )
        .get() as { n: number };
      expect(versions.n).toBe(0);

      // The 2020 opinions are among the plans, issued, with their 17 departments; the demo accounts exist.
      const plan = opened.sqlite.prepare("SELECT id, status FROM plans WHERE key = '2020-sme-support-system'").get() as { id: number; status: string };
      expect(plan.status).toBe("issued");
      expect(opened.sqlite.prepare("SELECT count(*) AS n FROM plan_departments WHERE plan_id = ?").pluck().get(plan.id)).toBe(17);
      const users = opened.sqlite.prepare("SELECT username FROM users ORDER BY id").pluck().all();
      expect(users).toEqual(expect.arrayContaining(["miit", "miit-liaison", "mof", "observer", "admin"]));
    } finally {
      opened.close();
    }
  });

  it("gives the same database for the same seed and refuses to overwrite without being asked", () => {
    const again = seedScale(join(dir, "again.sqlite"), { assignments: 6000, now, passwordHash: "scrypt$test" });
    expect(again.byStatus).toEqual(result.byStatus);
    expect(again.auditEvents).toBe(result.auditEvents);
    expect(() => seedScale(path, { assignments: 10, now })).toThrow(/refusing to overwrite/);
  });
});
