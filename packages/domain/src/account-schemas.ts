/** zod schemas of the administration and own-account procedures, shared by the server's inputs and the web's forms. */
import { z } from "zod";
import { passwordRules } from "./password-policy.js";
import { departmentCodeSchema, isoDateSchema, optionalTextSchema } from "./schemas.js";
import { actorRoles, departmentRoles } from "./types.js";

export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(usernamePattern, "A username is 2–32 lower-case letters, digits, dots, dashes or underscores.");

const displayNameSchema = z.string().trim().max(100, "At most 100 characters.").nullable().default(null)
  .transform((v) => (v === null || v === "" ? null : v));

/** A password as typed: bounded only so absurd inputs are refused early; the rules are `checkNewPassword`'s. */
export const newPasswordSchema = z.string().max(1024, `At most ${passwordRules.maxLength} characters.`);

const accountFields = {
  displayNameZh: displayNameSchema,
  displayNameEn: displayNameSchema,
  role: z.enum(actorRoles),
  department: departmentCodeSchema.nullable().default(null),
  /** The identity provider's value for this person (OIDC_USERNAME_CLAIM); empty: the claim must equal the username. */
  ssoIdentity: z.string().trim().toLowerCase().max(254).nullable().default(null)
    .transform((v) => (v === null || v === "" ? null : v)),
};

export const createAccountInputSchema = z.object({ username: usernameSchema, ...accountFields });
export const updateAccountInputSchema = z.object({ id: z.number().int().positive(), ...accountFields });
export const accountRefSchema = z.object({ id: z.number().int().positive() });
export const accountStatusInputSchema = accountRefSchema.extend({ reason: optionalTextSchema.default("") });
/** A session is named by a reference derived from its stored id (never the id or the cookie's token). */
export const sessionRefSchema = z.string().regex(/^[0-9a-f]{16}$/, "A session reference is 16 hexadecimal digits.");
export const endAccountSessionInputSchema = accountRefSchema.extend({ session: sessionRefSchema });
export const endOwnSessionInputSchema = z.object({ session: sessionRefSchema });
export const changeOwnPasswordInputSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(1024),
  newPassword: newPasswordSchema,
});
export const redeemPasswordResetInputSchema = z.object({
  code: z.string().trim().min(1, "Enter the reset code.").max(128),
  newPassword: newPasswordSchema,
});

/** Inside a department (issue 15, point 2): a division (处室) with its names, one language each. */
export const createDivisionInputSchema = z.object({
  department: departmentCodeSchema,
  nameZh: displayNameSchema,
  nameEn: displayNameSchema,
});
/** A department account's part in it and, for a handler, its division (null: none). */
export const setDepartmentPartInputSchema = z.object({
  id: z.number().int().positive(),
  departmentRole: z.enum(departmentRoles),
  divisionId: z.number().int().positive().nullable().default(null),
});
/** The department's rule: its sign-offs and extension requests go out only after its leader approves them. */
export const setLeaderApprovalInputSchema = z.object({ department: departmentCodeSchema, required: z.boolean() });
export const departmentPeopleInputSchema = z.object({ department: departmentCodeSchema.optional() }).default({});

export type CreateDivisionInput = z.infer<typeof createDivisionInputSchema>;
export type SetDepartmentPartInput = z.infer<typeof setDepartmentPartInputSchema>;
export type CreateAccountInput = z.infer<typeof createAccountInputSchema>;
export type UpdateAccountInput = z.infer<typeof updateAccountInputSchema>;

/** A department's name as an administrator types it: trimmed, 1–200 characters; absent or blank leaves it as it is. */
const departmentNameSchema = z
  .string()
  .trim()
  .max(200, "At most 200 characters.")
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v));

/** Adding a department: a register unit by its code alone, or one the register lacks with its Chinese and English names. */
export const addDepartmentInputSchema = z.object({
  code: z.string().trim().toUpperCase().pipe(departmentCodeSchema),
  nameZh: departmentNameSchema,
  nameEn: departmentNameSchema,
  shortZh: departmentNameSchema,
  shortEn: departmentNameSchema,
});
/** Renaming a department: any of its four names; at least one (the service refuses none). */
export const renameDepartmentInputSchema = addDepartmentInputSchema;
/** Retiring a department from a day (YYYY-MM-DD; by default today in Beijing). */
export const retireDepartmentInputSchema = z.object({ code: departmentCodeSchema, on: isoDateSchema.optional() });
/** Searching the register of departments by any name. */
export const registerSearchInputSchema = z.object({ query: z.string().max(100, "At most 100 characters.") });
