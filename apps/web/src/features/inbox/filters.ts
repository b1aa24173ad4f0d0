import type { AssignmentStatus } from "@countersign/domain";

export const inboxFilters = ["open", "to_acknowledge", "in_progress", "declined", "signed_off", "all"] as const;
export type InboxFilter = (typeof inboxFilters)[number];

/** Which assignment states each inbox filter gathers (a liaison thinks "in progress" for accepted too). */
const filterStatuses: Record<Exclude<InboxFilter, "all">, readonly AssignmentStatus[]> = {
  // Everything the department still owes, in every plan, most urgent first: where a liaison lands.
  open: ["assigned", "accepted", "in_progress"],
  to_acknowledge: ["assigned"],
  in_progress: ["accepted", "in_progress"],
  declined: ["declined"],
  signed_off: ["signed_off"],
};

export function matchesFilter(filter: InboxFilter, status: AssignmentStatus): boolean {
  return filter === "all" || filterStatuses[filter].includes(status);
}

export function isFilter(value: string | null): value is InboxFilter {
  return inboxFilters.some((f) => f === value);
}

/** "ongoing" sorts after every date: it has no deadline. */
export function dueKey(due: string): string {
  return due === "ongoing" ? "9999-99-99" : due;
}


/**
 * The tab an inbox opens on: all the open work (to acknowledge and in progress, ordered by deadline, so overdue work
 * of an older plan is not pushed aside by a newer plan's fresh assignments), else everything.
 */
export function defaultFilter(counts: Readonly<Record<InboxFilter, number>>): InboxFilter {
  return counts.open > 0 ? "open" : "all";
}
