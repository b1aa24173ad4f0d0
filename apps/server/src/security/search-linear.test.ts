/**
 * Issue 18, kind 2, for the inbox search: the search text (at most 200 characters, schema of inbox.list) is matched
 * against measure texts with indexOf/instr, whose cost is bounded by text length × search length. Adversarial pairs
 * at the import size limit finish well within a generous budget.
 */
import { describe, expect, it } from "vitest";
import { maxImportTextBytes } from "@countersign/domain";
import { measureExcerpt } from "../services/inbox/list-inbox.js";

const shapes: Array<[string, string, string]> = [
  ["a run of letters, a near-miss needle", "a".repeat(maxImportTextBytes), `${"a".repeat(199)}b`],
  ["a run of Chinese, a near-miss needle", "中".repeat(maxImportTextBytes / 3), `${"中".repeat(199)}国`],
  ["whitespace", " ".repeat(maxImportTextBytes), `${" ".repeat(199)}x`],
  ["line breaks", "\n".repeat(maxImportTextBytes), `\n${"\r".repeat(199)}`],
  ["surrogates", "😀".repeat(maxImportTextBytes / 4), "😀😀x"],
  ["brackets", "（(".repeat(maxImportTextBytes / 4), "（(（(（(）"],
];

describe("inbox search runs in linear time", () => {
  for (const [name, text, needle] of shapes) {
    it(`finds the excerpt in ${name} within 3 s`, () => {
      const started = performance.now();
      const excerpt = measureExcerpt(text, needle);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(excerpt.length).toBeGreaterThan(0);
    });
  }
});
