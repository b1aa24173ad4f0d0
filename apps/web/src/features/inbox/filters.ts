import type { AssignmentStatus } from "@countersign/domain";

export const inboxFilters = ["to_acknowledge", "in_progress", "declined", "signed_off", "all"] as const;
export type InboxFilter = (typeof inboxFilters)[number];

/** Which assignment states each inbox filter gathers (a liaison thinks "in progress" for accepted too). */
const filterStatuses: Record<Exclude<InboxFilter, "all">, readonly AssignmentStatus[]> = {
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


/** The tab an inbox opens on: what the department owes first (to acknowledge, else in progress), else everything. */
export function defaultFilter(counts: Readonly<Record<InboxFilter, number>>): InboxFilter {
  if (counts.to_acknowledge > 0) return "to_acknowledge";
  if (counts.in_progress > 0) return "in_progress";
  return "all";
}
