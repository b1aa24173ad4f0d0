import { describe, expect, it } from "vitest";
import { illFormedTextPath, refuseIllFormedText } from "./well-formed-text.js";

describe("well-formed text", () => {
  it("passes text in any script, and names the field of an unpaired surrogate", () => {
    expect(illFormedTextPath({ body: "关于 مرحبا 👩‍👩‍👧‍👦 𠀀 \u0001\t", list: ["e\u0301"] })).toBeNull();
    expect(illFormedTextPath({ id: 1, body: "x\ud800y" })).toEqual({ path: "body", codeUnit: 0xd800 });
    expect(illFormedTextPath({ a: [{ b: "ok" }, { b: "\udc00" }] })).toEqual({ path: "a[1].b", codeUnit: 0xdc00 });
    expect(illFormedTextPath("\udfff\ud800")).toEqual({ path: "(input)", codeUnit: 0xdfff });
    expect(() => refuseIllFormedText({ note: "\ud83d" })).toThrow(/note: the text is not valid Unicode/);
  });

  it("names the field of a NUL (U+0000): PostgreSQL's text cannot hold one, so neither engine keeps it", () => {
    expect(illFormedTextPath({ id: 1, body: "tab\there\u0000nul" })).toEqual({ path: "body", codeUnit: 0 });
    expect(() => refuseIllFormedText({ summary: "a\u0000b" })).toThrow(/summary: the text holds a NUL character \(U\+0000\)/);
    // At an end it is trimmed like any control character (the domain's normaliseText), so it is never stored.
    expect(illFormedTextPath({ body: "\u200b 已收悉 \u0000" })).toBeNull();
  });

  it("walks a body nested a hundred thousand deep without overflowing the stack", () => {
    let deep: unknown = "\ud800";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(illFormedTextPath(deep)?.codeUnit).toBe(0xd800);
  });
});
