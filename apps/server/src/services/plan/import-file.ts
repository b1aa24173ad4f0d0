import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";
import mammoth from "mammoth";
import { divisionColumns, maxImportFileBytes } from "@countersign/domain";

/*
 * Reading the files offices have: .docx (text and tables), .pdf with a text layer, .xlsx and .csv task-division
 * tables, and plain text in UTF-8, UTF-16 or GB 18030. The type is judged by the content, never by the name alone.
 * Each failure is a clear `ImportFileError`: wrong type, encrypted, damaged, a scan without a text layer, too long.
 * Libraries: mammoth (docx → HTML, tables kept), pdfjs-dist (text layer), exceljs (xlsx), csv-parse (csv).
 */

/** The largest text a file may yield (a file's text is parsed like pasted text, linear in this). */
export const maxExtractedTextChars = 1024 * 1024;
/** A sheet or table is read up to this many rows and columns. */
const maxRows = 5000;
const maxColumns = 30;

export type FileKind = "docx" | "xlsx" | "pdf" | "csv" | "text";

export type ExtractedFile = { kind: FileKind; text: string } | { kind: FileKind; rows: string[][] };

export class ImportFileError extends Error {
  constructor(
    readonly code: "unsupported_type" | "encrypted" | "damaged" | "no_text_layer" | "too_long",
    message: string,
  ) {
    super(message);
    this.name = "ImportFileError";
  }
}

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean => signature.every((b, i) => bytes[i] === b);
const zipSignature = [0x50, 0x4b, 0x03, 0x04];
const cfbSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const pdfSignature = [0x25, 0x50, 0x44, 0x46, 0x2d];

/** What a file is, from its bytes: an OOXML zip names its main part in plain ASCII (local and central headers). */
export function detectKind(name: string, bytes: Uint8Array): FileKind | "cfb" | "zip" {
  if (startsWith(bytes, pdfSignature)) return "pdf";
  if (startsWith(bytes, cfbSignature)) return "cfb";
  if (startsWith(bytes, zipSignature)) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buffer.includes("word/document.xml")) return "docx";
    if (buffer.includes("xl/workbook.xml")) return "xlsx";
    return "zip";
  }
  return /\.csv$/i.test(name) ? "csv" : "text";
}

/** The text of a text file: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB 18030 (GBK); else an error. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  if (bytes.includes(0)) {
    throw new ImportFileError("unsupported_type", "The file is neither a document (.docx, .pdf), a table (.xlsx, .csv) nor plain text.");
  }
  for (const encoding of ["utf-8", "gb18030"]) {
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      // try the next encoding
    }
  }
  throw new ImportFileError("unsupported_type", "The file is not plain text in UTF-8, UTF-16 or GB 18030, nor a .docx, .xlsx or .pdf file.");
}

function checkLength(text: string): string {
  if (text.length > maxExtractedTextChars) {
    throw new ImportFileError("too_long", `The document's text is over ${maxExtractedTextChars / 1024} KiB characters; split it or import it without annexes.`);
  }
  return text;
}

/** Reads a file into text (documents) or rows (tables). Throws `ImportFileError`. */
export async function extractFile(name: string, bytes: Uint8Array): Promise<ExtractedFile> {
  if (bytes.byteLength > maxImportFileBytes) {
    throw new ImportFileError("too_long", `The file is over ${maxImportFileBytes / 1024 / 1024} MiB.`);
  }
  const kind = detectKind(name, bytes);
  if (kind === "cfb") {
    throw new ImportFileError(
      "encrypted",
      "The file is password-protected, or an Office 97–2003 document (.doc, .xls): remove the password, or save it as .docx or .xlsx, and import it again.",
    );
  }
  if (kind === "zip") throw new ImportFileError("unsupported_type", "The file is a zip archive, but neither a Word (.docx) nor an Excel (.xlsx) file.");
  if (kind === "docx") return readDocx(bytes);
  if (kind === "xlsx") return { kind, rows: await readXlsx(bytes) };
  if (kind === "pdf") return { kind, text: checkLength(await readPdf(bytes)) };
  const text = decodeText(bytes);
  if (kind === "csv" || looksLikeCsv(text)) {
    const rows = readCsv(text);
    if (rows) return { kind: "csv", rows };
    if (kind === "csv") return { kind, rows: csvRows(text, ",") };
  }
  return { kind: "text", text: checkLength(text) };
}

function looksLikeCsv(text: string): boolean {
  const firstLine = text.slice(0, 2000).split(/\r?\n/, 1)[0] ?? "";
  return /[,\t;]/.test(firstLine) && !/[。！？]/.test(firstLine);
}

function csvRows(text: string, delimiter: string): string[][] {
  const rows = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: false, to: maxRows }) as string[][];
  return rows.map((r) => r.slice(0, maxColumns));
}

/** The rows of a CSV whose header (within the first 20 rows) is a division header, trying the usual delimiters. */
function readCsv(text: string): string[][] | null {
  for (const delimiter of [",", "\t", ";"]) {
    let rows: string[][];
    try {
      rows = csvRows(text, delimiter);
    } catch {
      continue;
    }
    if (rows.slice(0, 20).some((r) => divisionColumns(r) !== null)) return rows;
  }
  return null;
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw new ImportFileError("damaged", `The Excel file cannot be read (${error instanceof Error ? error.message.slice(0, 120) : "damaged"}).`);
  }
  let first: string[][] | null = null;
  for (const sheet of workbook.worksheets) {
    const rows: string[][] = [];
    const rowCount = Math.min(sheet.rowCount, maxRows);
    const columnCount = Math.min(sheet.columnCount, maxColumns);
    for (let r = 1; r <= rowCount; r++) {
      const row: string[] = [];
      for (let c = 1; c <= columnCount; c++) row.push(cellText(sheet.getCell(r, c)));
      rows.push(row);
    }
    first ??= rows;
    // The division sheet: the first whose header names a task and a lead (a workbook may hold a matrix first).
    if (rows.slice(0, 20).some((r) => divisionColumns(r) !== null)) return rows;
  }
  return first ?? [];
}

function cellText(cell: ExcelJS.Cell): string {
  try {
    return cell.text ?? "";
  } catch {
    return String(cell.value ?? "");
  }
}

/** Elements of mammoth's HTML, in order: paragraphs and headings as text, tables as rows of cells. */
type Block = { kind: "text"; text: string } | { kind: "table"; rows: string[][] };

const entities: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: "\u00a0" };
const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6}|#39);/gi, (m, e: string) => {
    if (e.startsWith("#x") || e.startsWith("#X")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#") && e !== "#39") return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return entities[e.toLowerCase()] ?? m;
  });

/**
 * Walks mammoth's HTML (well-formed, generated, its text escaped) in one pass: a tag or a run of text at a time.
 * Cells of nested tables become text of the outer cell.
 */
export function htmlBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let text = "";
  let tables = 0;
  let rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  const token = /<(\/?)([a-zA-Z0-9]+)[^>]*>|([^<]+)/g;
  for (const m of html.matchAll(token)) {
    const [, closing, tagName, run] = m;
    if (run !== undefined) {
      if (tables > 0) cell += decode(run);
      else text += decode(run);
      continue;
    }
    const tag = (tagName ?? "").toLowerCase();
    const block = tag === "p" || /^h[1-6]$/.test(tag) || tag === "li";
    if (tag === "table") {
      if (!closing) {
        if (tables === 0 && text.trim() !== "") blocks.push({ kind: "text", text });
        if (tables === 0) text = "";
        tables++;
        if (tables === 1) rows = [];
      } else {
        tables = Math.max(0, tables - 1);
        if (tables === 0) blocks.push({ kind: "table", rows });
      }
    } else if (tables === 1 && tag === "tr" && closing) {
      rows.push(row.slice(0, maxColumns));
      row = [];
    } else if (tables === 1 && (tag === "td" || tag === "th") && closing) {
      row.push(cell.trim());
      cell = "";
    } else if (tables > 0 && block && closing) {
      cell += "\n";
    } else if (tables === 0 && block && closing) {
      blocks.push({ kind: "text", text });
      text = "";
    } else if (tag === "br") {
      if (tables > 0) cell += "\n";
      else text += "\n";
    }
  }
  if (text.trim() !== "") blocks.push({ kind: "text", text });
  return blocks;
}

async function readDocx(bytes: Uint8Array): Promise<ExtractedFile> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
  } catch (error) {
    throw new ImportFileError("damaged", `The Word file cannot be read (${error instanceof Error ? error.message.slice(0, 120) : "damaged"}).`);
  }
  const blocks = htmlBlocks(html);
  // A task-division table in the document: import the table, with the paragraphs before it as its title rows.
  const tableAt = blocks.findIndex((b) => b.kind === "table" && b.rows.slice(0, 20).some((r) => divisionColumns(r) !== null));
  const table = blocks[tableAt];
  if (table && table.kind === "table") {
    const before = blocks.slice(0, tableAt).flatMap((b) => (b.kind === "text" && b.text.trim() !== "" ? [[b.text.trim()]] : []));
    return { kind: "docx", rows: [...before.slice(-3), ...table.rows.slice(0, maxRows)] };
  }
  const lines = blocks.flatMap((b) => (b.kind === "text" ? [b.text] : b.rows.map((r) => r.join("\t"))));
  return { kind: "docx", text: checkLength(lines.join("\n")) };
}

/**
 * CJK Radicals Supplement characters that PDF fonts commonly map glyphs to, with the ideographs they stand for (NFKC
 * leaves these alone; it does map the Kangxi radicals ⼀⼩⼯ → 一小工).
 */
const radicalSupplement: Readonly<Record<string, string>> = {
  "⺠": "民", "⻓": "长", "⻔": "门", "⻅": "见", "⻛": "风", "⻜": "飞", "⻩": "黄", "⻢": "马", "⻬": "齐", "⻰": "龙",
  "⻳": "龟", "⻚": "页", "⻝": "食", "⻋": "车", "⻉": "贝", "⻈": "讠", "⻘": "青", "⻙": "韦",
  "⻥": "鱼", "⻦": "鸟", "⻨": "麦", "⻮": "齿", "⻌": "辶", "⻊": "足", "⺟": "母", "⺢": "水", "⺫": "目", "⺮": "竹",
};

/**
 * Text from a PDF's text layer uses radical and compatibility code points for common ideographs (⼀ U+2F00 for 一,
 * ⺠ U+2EA0 for 民): mapped one character to one, so that names and numbering are recognised. Linear.
 */
export function normaliseCjkCompatibility(text: string): string {
  return text.replace(/[\u2e80-\u2fdf\uf900-\ufaff]/g, (ch) => radicalSupplement[ch] ?? (ch.normalize("NFKC").length === 1 ? ch.normalize("NFKC") : ch));
}

async function readPdf(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let doc: Awaited<ReturnType<typeof pdfjs.getDocument>["promise"]>;
  try {
    doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "PasswordException") throw new ImportFileError("encrypted", "The PDF is password-protected: remove the password and import it again.");
    throw new ImportFileError("damaged", `The PDF cannot be read (${error instanceof Error ? error.message.slice(0, 120) : "damaged"}).`);
  }
  try {
    let text = "";
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += "\n";
      }
      text += "\n";
      if (text.length > maxExtractedTextChars) break;
    }
    if (text.trim() === "") {
      throw new ImportFileError(
        "no_text_layer",
        "The PDF has no text layer (it looks like a scan): run it through text recognition (OCR), or import the document's Word or text version.",
      );
    }
    return normaliseCjkCompatibility(text);
  } finally {
    await doc.destroy();
  }
}
