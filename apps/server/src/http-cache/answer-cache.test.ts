import { describe, expect, it } from "vitest";
import { AnswerCache } from "./answer-cache.js";
import { cacheableCall } from "./cacheable.js";
import { entityTag, ifNoneMatchMatches } from "./validators.js";

const answer = (bytes: number) => ({ etag: '"t"', contentType: "application/json", body: Buffer.alloc(bytes, 120) });

describe("AnswerCache", () => {
  it("stays within its entries and bytes, least recently used out first, and never keeps an oversized answer", () => {
    const cache = new AnswerCache({ maxEntries: 50, maxBytes: 10_000, maxEntryBytes: 3_000 });
    cache.advance("v1");
    for (let i = 0; i < 200; i += 1) {
      cache.set(`k${i}`, answer(1_000 + (i % 7) * 200), "v1");
      const { entries, bytes } = cache.size();
      expect(entries).toBeLessThanOrEqual(50);
      expect(bytes).toBeLessThanOrEqual(10_000);
    }
    expect(cache.get("k199")).toBeDefined();
    expect(cache.get("k0")).toBeUndefined();
    cache.set("big", answer(5_000), "v1");
    expect(cache.get("big")).toBeUndefined();

    const many = new AnswerCache({ maxEntries: 3, maxBytes: 1_000_000, maxEntryBytes: 1_000_000 });
    many.advance("v1");
    for (let i = 0; i < 10; i += 1) many.set(`k${i}`, answer(10), "v1");
    expect(many.size().entries).toBe(3);
  });

  it("drops everything when the version moves, and keeps nothing built at an older version", () => {
    const cache = new AnswerCache();
    cache.advance("v1");
    cache.set("a", answer(10), "v1");
    cache.advance("v2");
    expect(cache.size()).toEqual({ entries: 0, bytes: 0 });
    cache.set("b", answer(10), "v1");
    expect(cache.get("b")).toBeUndefined();
  });
});

describe("validators", () => {
  it("matches If-None-Match by weak comparison, in a list, and *", () => {
    const tag = entityTag("key");
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(entityTag("key")).toBe(tag);
    expect(entityTag("key2")).not.toBe(tag);
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches(`W/${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches(`"a", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches("*", tag)).toBe(true);
    expect(ifNoneMatchMatches('"a"', tag)).toBe(false);
    expect(ifNoneMatchMatches("", tag)).toBe(false);
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  });

  it("takes a call only when every procedure of it is cacheable", () => {
    expect(cacheableCall("/trpc/inbox.list")).toBe(true);
    expect(cacheableCall("/trpc/inbox.list,inbox.plans")).toBe(true);
    expect(cacheableCall("/trpc/inbox.list,auth.me")).toBe(false);
    expect(cacheableCall("/trpc/inbox.list%2Cinbox.plans")).toBe(true);
    expect(cacheableCall("/trpc/inbox.list%2cauth.me")).toBe(false);
    expect(cacheableCall("/trpc/live.changes")).toBe(false);
    expect(cacheableCall("/trpc/")).toBe(false);
    expect(cacheableCall("/export/matrix")).toBe(false);
  });
});
