import type { CascadeRefusal, CascadeResult } from "@countersign/domain";
import { ServiceError } from "../../errors.js";

/** The domain's cascade refusal as the server's error (its code and English message; `subjects` named in it). */
export function cascadeError(refusal: CascadeRefusal): ServiceError {
  return new ServiceError(refusal.code, refusal.message);
}

/** The value of a cascade result, or its refusal thrown. */
export function valueOrRefuse<T>(result: CascadeResult<T>): T {
  if (!result.ok) throw cascadeError(result.refusal);
  return result.value;
}
