import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en.js";
import { zh } from "../../i18n/zh.js";
import { searchHintOf } from "./search-hint.js";

describe("the inbox search box says which words find something (new-user trial, fault 6)", () => {
  it("tells a Chinese reader of the 2020 plan (kept in English translation) to search in English", () => {
    const key = searchHintOf("zh", ["en"]);
    expect(key).toBe("searchPlaceholderEn");
    expect(zh.inbox[key]).toMatch(/英文/);
    expect(zh.inbox[key]).toMatch(/tax/);
  });
  it("keeps the reader's own examples when the plans' text is in the reader's language", () => {
    expect(searchHintOf("zh", ["zh", "zh"])).toBe("searchPlaceholder");
    expect(searchHintOf("en", ["en"])).toBe("searchPlaceholder");
    expect(searchHintOf("en", [])).toBe("searchPlaceholder");
  });
  it("tells an English reader of a Chinese plan to search in Chinese, and names both when plans differ", () => {
    expect(searchHintOf("en", ["zh"])).toBe("searchPlaceholderZh");
    expect(en.inbox.searchPlaceholderZh).toMatch(/Chinese/);
    expect(searchHintOf("zh", ["en", "zh"])).toBe("searchPlaceholderMixed");
    expect(searchHintOf("en", ["zh", "en"])).toBe("searchPlaceholderMixed");
  });
});
