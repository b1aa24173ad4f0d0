import { DivisionTableError, buildNameIndex, departmentLexicon, parseDivisionTable, parsePolicyDocument, proposeDivision } from "@countersign/domain";
import type { DivisionProposal, DraftPlan, DraftWarningKind, RegisterEntry } from "@countersign/domain";
import { extractFile, type FileKind, ImportFileError } from "./import-file.js";
import { toSimplified } from "./script.js";

/*
 * The CPU-heavy part of `plan.import`: from a document's text to a draft and its division. Pure (no database, no
 * I/O), so that it runs alike in a worker thread (the server) and in-process (the CLI, tests).
 */

export type ImportJob = {
  /** The ministry that leads measures binding all member units. */
  leadMinistry: string;
  /** The plan's member departments by default (the database's departments, in order of signature). */
  members: string[];
  /**
   * The register to read the document's unit names against, instead of the built-in central one: a local
   * organisation's member departments (`localRegisterEntries`, issue 16), so 自治区财政厅 is read as 450000-MOF.
   */
  register?: RegisterEntry[];
} & ({ text: string } | { file: { name: string; bytes: Uint8Array } } | { file: { name: string; base64: string } });

export interface ImportJobResult {
  draft: DraftPlan;
  division: DivisionProposal;
  language: "zh" | "en";
  /** Warnings left out of `draft.warnings` past `maxWarningsPerKind`, by kind (unassigned text is never left out). */
  omittedWarnings: Partial<Record<DraftWarningKind, number>>;
  /** What was read: pasted text, or a file of this kind. */
  source: { kind: FileKind | "pasted"; name: string | null };
  /** For a file: the text every span points into (a table rendered as text); null for pasted text (the text sent). */
  sourceText: string | null;
}

/**
 * Bounds on the answer, so that its size (and the main thread's work to send it) stays proportional to a real
 * plan whatever the text: a plan holds at most 2,000 measures and 500 sections (the schema of plan.create); each
 * kind of warning is listed at most 200 times; a measure lists at most 20 notes and 200 lexicon matches.
 */
export const importBounds = { maxMeasures: 2000, maxSections: 500, maxWarningsPerKind: 200, maxNotesPerMeasure: 20, maxMatchesPerMeasure: 200 };

/** An input that cannot become a plan (a bad file, too many measures): the message says why. */
export class ImportRefusal extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly code: "invalid_input" | "unsupported_content_type" | "payload_too_large" = "invalid_input",
  ) {
    super(message);
    this.name = "ImportRefusal";
  }
}

const base64Alphabet = /^[A-Za-z0-9+/]*={0,2}$/;

/** A file sent as base64, decoded in the worker (a large file costs the event loop nothing). */
function decodeBase64(base64: string): Uint8Array {
  if (!base64Alphabet.test(base64)) throw new ImportRefusal("The file's content is not base64.", "file.contentBase64");
  return new Uint8Array(Buffer.from(base64, "base64"));
}

/** "zh" when at least a third of the letters are Han characters. Counted in one pass. */
export function languageOf(text: string): "zh" | "en" {
  let han = 0;
  let letters = 0;
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) {
      letters++;
      if (/\p{Script=Han}/u.test(ch)) han++;
    }
  }
  return han > 0 && han * 2 >= letters ? "zh" : "en";
}

/** Reads a file (or takes the text), parses and divides; throws `ImportRefusal` for what cannot become a plan. */
export async function runImportJob(job: ImportJob): Promise<ImportJobResult> {
  let draft: DraftPlan;
  let sourceText: string | null = null;
  let text: string;
  let source: ImportJobResult["source"] = { kind: "pasted", name: null };
  const register = job.register === undefined ? undefined : buildNameIndex(job.register);
  const tableRegister = job.register === undefined ? undefined : buildNameIndex(job.register, { english: true });
  if ("text" in job) {
    text = job.text;
    draft = parsePolicyDocument(text, { toSimplified, register });
  } else {
    let extracted: Awaited<ReturnType<typeof extractFile>>;
    const bytes = "bytes" in job.file ? job.file.bytes : decodeBase64(job.file.base64);
    try {
      extracted = await extractFile(job.file.name, bytes);
    } catch (error) {
      if (error instanceof ImportFileError) {
        const code = error.code === "unsupported_type" ? "unsupported_content_type" : error.code === "too_long" ? "payload_too_large" : "invalid_input";
        throw new ImportRefusal(error.message, "file", code);
      }
      // Anything else a format library throws is the file's fault (a malformed part), never the server's.
      throw new ImportRefusal(
        `${job.file.name} cannot be read (${error instanceof Error ? error.message.slice(0, 120) : "damaged"}): check that it opens in Word or Excel, or save it again.`,
        "file",
      );
    }
    source = { kind: extracted.kind, name: job.file.name };
    if ("rows" in extracted) {
      try {
        const table = parseDivisionTable(extracted.rows, { toSimplified, register: tableRegister });
        draft = table.draft;
        sourceText = table.sourceText;
      } catch (error) {
        if (error instanceof DivisionTableError) throw new ImportRefusal(error.message, "file");
        throw error;
      }
    } else {
      sourceText = extracted.text;
      draft = parsePolicyDocument(extracted.text, { toSimplified, register });
    }
    text = sourceText;
    if (draft.measures.length === 0) {
      throw new ImportRefusal(`No measure or task was found in ${job.file.name}: is it a policy document or a task-division table?`, "file");
    }
  }
  if (draft.measures.length > importBounds.maxMeasures) {
    throw new ImportRefusal(
      `The text reads as ${draft.measures.length} measures; a plan holds at most ${importBounds.maxMeasures}. Check that it is one policy document.`,
      "text",
    );
  }
  if (draft.sections.length > importBounds.maxSections) {
    throw new ImportRefusal(`The text reads as ${draft.sections.length} sections; a plan holds at most ${importBounds.maxSections}.`, "text");
  }
  // The division reads every note before the lists are shortened.
  const division = proposeDivision(draft, departmentLexicon, { leadMinistry: job.leadMinistry, members: job.members });
  for (const m of division.measures) m.matches = m.matches.slice(0, importBounds.maxMatchesPerMeasure);
  for (const m of draft.measures) m.notes = m.notes.slice(0, importBounds.maxNotesPerMeasure);
  const omittedWarnings: Partial<Record<DraftWarningKind, number>> = {};
  const listed = new Map<DraftWarningKind, number>();
  draft.warnings = draft.warnings.filter((w) => {
    if (w.kind === "unassigned_text") return true;
    const n = (listed.get(w.kind) ?? 0) + 1;
    listed.set(w.kind, n);
    if (n <= importBounds.maxWarningsPerKind) return true;
    omittedWarnings[w.kind] = (omittedWarnings[w.kind] ?? 0) + 1;
    return false;
  });
  return { draft, division, language: languageOf(text), omittedWarnings, source, sourceText };
}
