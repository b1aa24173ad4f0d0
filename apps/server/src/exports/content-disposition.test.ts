import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "./content-disposition.js";

describe("attachmentDisposition (RFC 6266)", () => {
  it("gives a UTF-8 filename* and an ASCII fallback", () => {
    expect(attachmentDisposition("责任分工矩阵_2020.xlsx", "responsibility-matrix_2020.xlsx")).toBe(
      "attachment; filename=\"responsibility-matrix_2020.xlsx\"; filename*=UTF-8''%E8%B4%A3%E4%BB%BB%E5%88%86%E5%B7%A5%E7%9F%A9%E9%98%B5_2020.xlsx",
    );
  });

  it("percent-encodes what RFC 8187 does not allow bare, and never lets a quote or line break into the header", () => {
    const header = attachmentDisposition("a'b (c)*\"d\r\n.pdf");
    expect(header).toBe("attachment; filename=\"a'b (c)*_d__.pdf\"; filename*=UTF-8''a%27b%20%28c%29%2A%22d%0D%0A.pdf");
    expect(header).not.toMatch(/[\r\n]/);
    expect(attachmentDisposition("矩阵.csv")).toBe("attachment; filename=\"__.csv\"; filename*=UTF-8''%E7%9F%A9%E9%98%B5.csv");
    expect(attachmentDisposition("", "")).toContain('filename="download"');
  });
});
