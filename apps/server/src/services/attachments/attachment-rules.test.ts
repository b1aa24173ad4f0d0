import { describe, expect, it } from "vitest";
import { ServiceError } from "../../errors.js";
import { checkActFiles, checkUpload, maxAttachmentBytes, maxAttachmentNameLength, sanitiseFileName } from "./attachment-rules.js";

const pdf = Buffer.from("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n", "latin1");
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    throw error;
  }
  return "ok";
}

async function uploadCode(name: string, type: string, bytes: Buffer): Promise<string> {
  try {
    await checkUpload(name, type, bytes);
    return "ok";
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    throw error;
  }
}

describe("file names", () => {
  it("keeps an ordinary name, NFC and trimmed", () => {
    expect(sanitiseFileName("  关于印发实施细则的通知.pdf ")).toBe("关于印发实施细则的通知.pdf");
    // "é" written as e + combining accent becomes one character.
    expect(sanitiseFileName("re\u0301sume\u0301.pdf")).toBe("résumé.pdf");
    expect(sanitiseFileName(".hidden.pdf")).toBe(".hidden.pdf");
  });
  it("refuses paths, control characters, empty, dot-only and over-long names", () => {
    for (const name of ["../a.pdf", "a/b.pdf", "a\\b.pdf", "C:a.pdf", "/etc/passwd", "a\u0000.pdf", "a\n.pdf", "", "   ", ".", "..", "x".repeat(maxAttachmentNameLength + 1)]) {
      expect(codeOf(() => sanitiseFileName(name)), JSON.stringify(name)).toBe("bad_file_name");
    }
    expect(codeOf(() => sanitiseFileName("x".repeat(maxAttachmentNameLength)))).toBe("ok");
  });
});

describe("checkUpload", () => {
  it("accepts a PDF and an image by their bytes, with or without a declared type", async () => {
    expect(await uploadCode("a.pdf", "application/pdf", pdf)).toBe("ok");
    expect(await uploadCode("a", "", pdf)).toBe("ok");
    expect(await uploadCode("a.png", "application/octet-stream", png)).toBe("ok");
    const file = await checkUpload("通知.PDF", "application/pdf; charset=binary", pdf);
    expect(file).toMatchObject({ name: "通知.PDF", contentType: "application/pdf", sizeBytes: pdf.length });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it("refuses a type the bytes do not show, a mismatch of declared type or extension, an empty or over-size file", async () => {
    expect(await uploadCode("a.txt", "text/plain", Buffer.from("plain text"))).toBe("attachment_type_not_allowed");
    expect(await uploadCode("a.html", "text/html", Buffer.from("<!doctype html><script>1</script>"))).toBe("attachment_type_not_allowed");
    expect(await uploadCode("a.pdf", "image/png", pdf)).toBe("attachment_type_mismatch");
    expect(await uploadCode("a.png", "application/pdf", png)).toBe("attachment_type_mismatch");
    expect(await uploadCode("a.exe", "", pdf)).toBe("attachment_type_mismatch");
    expect(await uploadCode("a.pdf", "application/pdf", Buffer.alloc(0))).toBe("attachment_type_not_allowed");
    expect(await uploadCode("a.pdf", "application/pdf", Buffer.concat([pdf, Buffer.alloc(maxAttachmentBytes)]))).toBe("attachment_too_large");
  });
  it("limits one act's files in number and total size", () => {
    expect(codeOf(() => checkActFiles(Array.from({ length: 10 }, () => ({ sizeBytes: 1 }))))).toBe("ok");
    expect(codeOf(() => checkActFiles(Array.from({ length: 11 }, () => ({ sizeBytes: 1 }))))).toBe("too_many_attachments");
    expect(codeOf(() => checkActFiles([{ sizeBytes: 10 * 1024 * 1024 }, { sizeBytes: 10 * 1024 * 1024 }, { sizeBytes: 5 * 1024 * 1024 }]))).toBe("ok");
    expect(codeOf(() => checkActFiles([{ sizeBytes: 10 * 1024 * 1024 }, { sizeBytes: 10 * 1024 * 1024 }, { sizeBytes: 5 * 1024 * 1024 + 1 }]))).toBe("attachment_too_large");
  });
});
