/**
 * The parameters of an export: one zod schema, in the API's field names and built from the API's own field schemas
 * (planIdSchema, departmentCodeSchema, isoDateSchema, withStatus as in `matrix.get`), validated by the download
 * procedures (download-router.ts) and by the command line alike. `exportInputOfQuery` only carries a URL's text into
 * JSON types (it validates nothing).
 */
import { z } from "zod";
import { defaultPlan, departmentCodeSchema, isoDateSchema } from "@countersign/domain";
import type { Repositories } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { planIdSchema } from "../routers/catalog.js";

export const languageSchema = z.enum(["zh", "en"]);

export const exportInputSchema = z.object({
  /** Absent: the default plan, else the first one (`planIdOrDefault`). */
  planId: planIdSchema.optional(),
  department: departmentCodeSchema.optional(),
  lang: languageSchema.default("zh"),
  withStatus: z.boolean().default(false),
  asOf: isoDateSchema.optional(),
});
export type ExportInput = z.infer<typeof exportInputSchema>;

const flags: Record<string, boolean> = { "1": true, true: true, yes: true, "0": false, false: false, no: false };

/**
 * A download URL's query (`plan`, `department`, `lang`, `status`, `asOf`; the command line's options likewise) as the
 * procedure's input: empty values mean "not given" (as a form sends them), a number is a number, a flag a boolean,
 * and a department code is read in capitals; anything else is passed on as text for the schema to refuse.
 */
export function exportInputOfQuery(query: Record<string, unknown>): Record<string, unknown> {
  const given = (key: string): unknown => {
    const value = query[key];
    return value === "" || value === undefined ? undefined : value;
  };
  const plan = given("plan");
  const status = given("status");
  const department = given("department");
  const input: Record<string, unknown> = {
    planId: typeof plan === "string" && /^-?\d{1,15}(\.\d{1,15})?$/.test(plan) ? Number(plan) : plan,
    department: typeof department === "string" ? department.toUpperCase() : department,
    lang: given("lang"),
    withStatus: typeof status === "string" && Object.hasOwn(flags, status) ? flags[status] : status,
    asOf: given("asOf"),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/**
 * The plan asked for, else the default plan, else the first one (the lowest id), read through the store (either
 * engine). Whether the caller may export it is checked after (`assertWithinOrganisation`, `readExportSource`).
 *
 * @throws ServiceError `not_found` (field plan) when no plan is asked for and none is stored
 */
export async function planIdOrDefault(repos: Repositories, plan: number | undefined): Promise<number> {
  if (plan !== undefined) return plan;
  const id = (await repos.catalog.planIdByKey(defaultPlan.key)) ?? (await repos.catalog.firstPlanId());
  if (id === undefined) throw new ServiceError("not_found", "There is no plan to export yet.", { field: "plan" });
  return id;
}
