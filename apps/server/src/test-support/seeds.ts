import { defaultPlan } from "@countersign/domain";
import type { OpenedDatabase } from "@countersign/db";
import { planIdByKey } from "../services/catalog/list-plans.js";
import { issuePlan } from "../services/plan/issue-plan.js";
import type { ActingUser } from "../services/shared/acting-user.js";

/**
 * A harness seed (`createHarness({ seed })`): the 2020 plan issued by its coordinator (立项交办), every measure due
 * 2026-12-31, at the harness's default clock. Made on SQLite before any PostgreSQL copy, since plan.issue is not on
 * the store seam yet.
 */
export function issuedDefaultPlan(database: OpenedDatabase, user: (username: string) => ActingUser): void {
  const planId = planIdByKey(database.db, defaultPlan.key);
  if (planId === null) throw new Error("the default plan did not load");
  issuePlan(database.db, user("miit"), { planId, dueDate: "2026-12-31" }, new Date("2026-03-02T02:00:00Z"));
}
