/** The parameters of an export, as the HTTP query and the command line give them. */
import { z } from "zod";
import { defaultPlan } from "@countersign/domain";
import type { Queryable } from "@countersign/db";
import { ServiceError } from "../errors.js";
import { listPlans, planIdByKey } from "../services/catalog/list-plans.js";

const flag = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes");

export const exportQuerySchema = z.object({
  plan: z.coerce.number().int().positive().optional(),
  department: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, "a department code such as MOF")
    .transform((v) => v.toUpperCase())
    .optional(),
  lang: z.enum(["zh", "en"]).default("zh"),
  status: flag.default(false),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date written YYYY-MM-DD").optional(),
});

/** The plan asked for, else the default plan, else the first one. */
export function planIdOrDefault(db: Queryable, plan: number | undefined): number {
  if (plan !== undefined) return plan;
  const id = planIdByKey(db, defaultPlan.key) ?? listPlans(db)[0]?.id ?? null;
  if (id === null) throw new ServiceError("not_found", "There is no plan to export yet.", { field: "plan" });
  return id;
}
