import { describe, expect, it } from "vitest";
import { readConfig } from "../config.js";
import { defaultAnswerCacheBounds } from "./answer-cache.js";

describe("HTTP_CACHE settings", () => {
  it("are on with the default bounds, off with HTTP_CACHE=0, and bounded by HTTP_CACHE_MAX_ENTRIES and _MAX_MIB", () => {
    expect(readConfig([], {}).httpCache).toEqual({ enabled: true, bounds: defaultAnswerCacheBounds });
    expect(readConfig([], { HTTP_CACHE: "0" }).httpCache.enabled).toBe(false);
    expect(readConfig([], { HTTP_CACHE_MAX_ENTRIES: "50", HTTP_CACHE_MAX_MIB: "4" }).httpCache.bounds).toEqual({
      maxEntries: 50,
      maxBytes: 4 * 1024 * 1024,
      maxEntryBytes: 1024 * 1024,
    });
    // Nonsense falls back to the defaults.
    expect(readConfig([], { HTTP_CACHE_MAX_ENTRIES: "-3", HTTP_CACHE_MAX_MIB: "lots" }).httpCache.bounds).toEqual(defaultAnswerCacheBounds);
  });
});
