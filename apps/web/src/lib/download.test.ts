import { describe, expect, it } from "vitest";
import { fileNameFromDisposition } from "./download.js";

describe("fileNameFromDisposition", () => {
  it("reads the UTF-8 name the server sends for Chinese file names", () => {
    const header =
      "attachment; filename=\"responsibility-matrix_2020.xlsx\"; filename*=UTF-8''%E8%B4%A3%E4%BB%BB%E5%88%86%E5%B7%A5%E7%9F%A9%E9%98%B5_2020.xlsx";
    expect(fileNameFromDisposition(header)).toBe("责任分工矩阵_2020.xlsx");
  });

  it("falls back to the plain name, quoted or not", () => {
    expect(fileNameFromDisposition('attachment; filename="matrix.pdf"')).toBe("matrix.pdf");
    expect(fileNameFromDisposition("attachment; filename=matrix.csv")).toBe("matrix.csv");
    expect(fileNameFromDisposition("attachment; filename=\"a.pdf\"; filename*=UTF-8''%E0%A4")).toBe("a.pdf");
  });

  it("keeps only the last path segment, and gives null when no name is given", () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/x.pdf"')).toBe("x.pdf");
    expect(fileNameFromDisposition("attachment")).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});
