import type { DepartmentCode } from "@countersign/domain";

/** What the `live.changes` subscription tells a client after a committed change: enough to refetch, no content. */
export interface LiveChange {
  planId: number;
  assignmentIds: number[];
  measureNumbers: number[];
  /** The departments whose assignments changed. */
  departments: DepartmentCode[];
  /** UTC ISO time of the change. */
  at: string;
}

/**
 * A message of the `live.changes` stream: a change, or `resync` when the changes since the client's last event id
 * are no longer known (the server restarted, or it was away too long): refetch everything shown.
 */
export type LiveMessage = ({ type: "change" } & LiveChange) | { type: "resync" };

/** A change and who may hear of it: the departments responsible on the touched measures (they see each other's states). */
export interface LiveEnvelope {
  change: LiveChange;
  audience: DepartmentCode[];
}

/** A service's answer together with the change to announce once its transaction has committed. */
export interface Outcome<T> {
  value: T;
  change: LiveEnvelope | null;
}

export function envelope(change: LiveChange, audience: Iterable<DepartmentCode>): LiveEnvelope {
  return { change, audience: [...new Set([...change.departments, ...audience])] };
}
