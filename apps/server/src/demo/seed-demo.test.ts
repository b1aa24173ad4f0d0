/**
 * The demo is a Chinese ministry's office: every word its people write (reasons, notes, reminders, summaries,
 * comments) is in Chinese, as the Chinese interface shows it (new-user trial, fault 5). The plan's English
 * translation is the only English the demo keeps.
 */
import { describe, expect, it } from "vitest";
import { auditEventsTable } from "@countersign/db/schema";
import { createHarness } from "../test-support/harness.js";
import { seedDemo } from "./seed-demo.js";

const wordFields = ["reason", "note", "message", "summary", "body"] as const;

describe("the demo's words", () => {
  it("writes every reason, note, reminder, summary and comment in Chinese", async () => {
    const fresh = await createHarness();
    try {
      fresh.database.sqlite.exec("delete from users");
      await seedDemo(fresh.database.db, new Date("2026-03-02T02:00:00Z"));
      const words = fresh.database.db
        .select({ type: auditEventsTable.type, payload: auditEventsTable.payload })
        .from(auditEventsTable)
        .all()
        .flatMap((e) => {
          const payload = (typeof e.payload === "string" ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>;
          return wordFields.map((f) => payload[f]).filter((v): v is string => typeof v === "string" && v.trim() !== "").map((text) => ({ type: e.type, text }));
        });
      expect(words.length).toBeGreaterThan(25);
      // Chinese, with no English word in it (document numbers and figures are fine).
      const english = words.filter((w) => !/\p{Script=Han}/u.test(w.text) || /[A-Za-z]{3,}/.test(w.text));
      expect(english).toEqual([]);
    } finally {
      fresh.close();
    }
  });
});
