/**
 * zod schemas shared by the server's procedure inputs and the web client's forms, so both validate alike.
 */
import { z } from "zod";
import { isIsoDate } from "./dates.js";
import { normaliseText } from "./text.js";

/** Generous but bounded: a reason is a paragraph, not a document. */
export const maxTextLength = 4000;

export const departmentCodeSchema = z
  .string()
  // A local government's member department (issue 16) is its organisation's division code and the central line: 450000-MOF.
  .regex(/^(?:\d{6}-)?[A-Z][A-Z0-9_]{1,15}$/, "A department code is 2–16 capital letters, digits or underscores, e.g. MOF (450000-MOF locally).");

export const isoDateSchema = z.string().refine(isIsoDate, "Expected a calendar date written YYYY-MM-DD.");

export const dueDateSchema = z.union([z.literal("ongoing"), isoDateSchema], {
  error: 'Expected "ongoing" or a calendar date written YYYY-MM-DD.',
});

/**
 * Free text a person writes, normalised by `normaliseText` (invisible and control characters at the ends removed,
 * stray control characters dropped), then non-empty and bounded: text that shows nothing is refused as missing.
 */
export const requiredTextSchema = z
  .string()
  .overwrite(normaliseText)
  .min(1, "This text is required.")
  .max(maxTextLength, `At most ${maxTextLength} characters.`);
/** Like `requiredTextSchema`, but may be empty; text that shows nothing becomes "". */
export const optionalTextSchema = z.string().overwrite(normaliseText).max(maxTextLength, `At most ${maxTextLength} characters.`);

export const assignmentRefSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: z.number().int().nonnegative(),
});

/** `backdated: true` confirms a deadline before today on purpose (recording work already late). */
const backdatedSchema = z.boolean().default(false);

/** Changes of a plan after issue (see plan-change.ts); each names the measure by its number in the plan. */
export const measureRefSchema = z.object({ planId: z.number().int().positive(), measureNumber: z.number().int().positive() });
export const changeDeadlineInputSchema = measureRefSchema.extend({
  dueDate: dueDateSchema,
  note: optionalTextSchema.default(""),
  backdated: backdatedSchema,
});
export const addSupportingInputSchema = measureRefSchema.extend({
  department: departmentCodeSchema,
  dueDate: dueDateSchema.optional(),
  note: optionalTextSchema.default(""),
});
export const removeSupportingInputSchema = measureRefSchema.extend({ department: departmentCodeSchema, reason: requiredTextSchema });
export const changeLeadInputSchema = measureRefSchema.extend({
  department: departmentCodeSchema,
  reason: requiredTextSchema,
  dueDate: dueDateSchema.optional(),
});
export const withdrawPlanInputSchema = z.object({ planId: z.number().int().positive(), reason: requiredTextSchema });
