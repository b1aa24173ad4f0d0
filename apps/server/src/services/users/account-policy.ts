import { mayDoAccountAct } from "@countersign/domain";
import type { AccountDecision, AdminAct, OwnAccountAct } from "@countersign/domain";
import { ServiceError } from "../../errors.js";
import type { ActingUser } from "../shared/acting-user.js";

/** Throws the domain's refusal (admin_only → FORBIDDEN, recorded in the trail) unless the user may do the act. */
export function requireAccountAct(user: ActingUser, act: AdminAct | OwnAccountAct): void {
  refuseUnless(mayDoAccountAct(user.role, act));
}

/** Turns a refused domain decision into the service error the API answers with. */
export function refuseUnless(decision: AccountDecision & { field?: string }): void {
  if (!decision.ok) throw new ServiceError(decision.code, decision.message, decision.field === undefined ? {} : { field: decision.field });
}
