/**
 * The inputs of importing a policy document and saving it as a new plan: one set of zod schemas for the server's
 * `plan.import` / `plan.create` and the web client's import form, so both refuse the same things.
 */
import { z } from "zod";
import { departmentCodeSchema, dueDateSchema, isoDateSchema } from "../schemas.js";
import { isBlankText, normaliseText } from "../text.js";
import { roles } from "../types.js";

/**
 * The largest text that can be imported, in UTF-8 bytes: about 200,000 English or 68,000 Chinese characters, ten
 * times the longest joint opinions we know of, and small enough that a request carrying it stays under the server's
 * default body limit (256 KiB).
 */
export const maxImportTextBytes = 200 * 1024;

/** Bytes of the UTF-8 encoding of `text`, counted without an encoder (the same in Node and the browser). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const tooLong = `The text is over ${maxImportTextBytes / 1024} KiB; split the document or import it without annexes.`;

/** The text of a document: not blank, at most `maxImportTextBytes`. Kept exactly as given (offsets point into it). */
export const importTextSchema = z
  .string()
  .refine((text) => !isBlankText(text), "Paste or upload the text of the document.")
  .refine((text) => utf8ByteLength(text) <= maxImportTextBytes, tooLong);

/** A title, number or numeral: normalised like all written text (`normaliseText`), so a blank one is "". */
const shortText = (max: number) => z.string().overwrite(normaliseText).max(max, `At most ${max} characters.`);

/**
 * The largest file that can be imported, in bytes (.docx, .pdf, .xlsx, .csv or text): sent as base64 in JSON, the
 * request is at most about 13.4 MiB, within the body limit raised for `plan.import` alone (`importBodyLimitBytes`).
 */
export const maxImportFileBytes = 10 * 1024 * 1024;
/** The body limit of `plan.import` requests: a file at the limit in base64, with room for the JSON around it. */
export const importBodyLimitBytes = Math.ceil(maxImportFileBytes / 3) * 4 + 64 * 1024;

/** A file, its bytes in base64 (RFC 4648, padding optional). The name only helps: the type is judged by content. */
export const importFileSchema = z.object({
  name: z.string().trim().min(1, "Give the file's name.").max(255, "At most 255 characters."),
  // Only the length is checked here (in constant time); the server decodes and checks the alphabet in its import
  // worker, off the event loop.
  contentBase64: z.string().max(Math.ceil(maxImportFileBytes / 3) * 4, `The file is over ${maxImportFileBytes / 1024 / 1024} MiB.`),
});

export const importPlanInputSchema = z
  .object({
    /** The document's text; or `file`, exactly one of them. */
    text: importTextSchema.optional(),
    file: importFileSchema.optional(),
    /** Replaces the title the parser found. */
    title: shortText(1000).optional(),
    /** Replaces the document number the parser found, e.g. 工信部联企业〔2020〕108号. */
    documentNumber: shortText(200).optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.text === undefined) === (input.file === undefined)) {
      ctx.addIssue({ code: "custom", path: ["text"], message: "Paste the text of the document, or upload a file: one of them." });
    }
  });
export type ImportPlanInput = z.infer<typeof importPlanInputSchema>;

const positiveInt = z.number().int().positive();

export const createPlanSectionSchema = z.object({
  number: positiveInt,
  /** As printed: I, II … or 一, 二 …; may be empty. */
  numeral: shortText(20),
  title: shortText(2000).min(1, "A section needs a title."),
});

export const createPlanMeasureSchema = z.object({
  number: positiveInt,
  /** The number of one of the plan's sections. */
  section: positiveInt,
  title: shortText(2000).min(1, "A measure needs a short title."),
  /** Exactly as published: not trimmed, never completed. */
  text: importTextSchema,
  textCut: z.boolean(),
  /** The deadline the document states for the measure (the draft's `deadline`, see `statedDeadlineOf`); issuing uses it. */
  statedDeadline: z
    .object({ dueDate: dueDateSchema, stated: shortText(200).min(1, "Give the deadline's wording as printed.") })
    .nullable()
    .optional(),
});

export const justificationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("phrase"), phrase: z.string().min(1).max(2000) }),
  z.object({ kind: z.literal("rule"), rule: z.string().min(1).max(2000) }),
]);

export const createPlanResponsibilitySchema = z.object({
  measureNumber: positiveInt,
  department: departmentCodeSchema,
  role: z.enum(roles),
  /** Why it was proposed; null or absent for a department the coordinator chose. */
  justification: justificationSchema.nullable().optional(),
});

export const createPlanInputSchema = z.object({
  titleEn: shortText(1000),
  titleZh: shortText(1000),
  documentNumber: shortText(200).default(""),
  /** Dates of the document, when known (YYYY-MM-DD). */
  issuedOn: isoDateSchema.optional(),
  publishedOn: isoDateSchema.optional(),
  /** The ministry that coordinates the plan; by default the coordinator's own. */
  leadDepartment: departmentCodeSchema.optional(),
  /** Member departments in order of signature; by default every department. */
  departments: z.array(departmentCodeSchema).min(1).max(200).optional(),
  sections: z.array(createPlanSectionSchema).min(1, "A plan needs at least one section.").max(500),
  measures: z.array(createPlanMeasureSchema).min(1, "A plan needs at least one measure.").max(2000),
  responsibilities: z.array(createPlanResponsibilitySchema).max(20_000),
});
export type CreatePlanInput = z.input<typeof createPlanInputSchema>;
