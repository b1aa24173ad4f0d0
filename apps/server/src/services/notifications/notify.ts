/**
 * Notices (issue 14, point 3): one function writes, inside the act's own transaction, the in-app notices for the
 * accounts addressed and the outbound messages (webhook, email) of the durable outbox. Nothing is sent here: the
 * outbox dispatcher (outbox-dispatcher.ts) delivers after the commit, so a rolled-back act sends nothing and a
 * committed one is sent even after a crash.
 */
import { randomUUID } from "node:crypto";
import type { AnyStore, OutboxRow, Repositories } from "@countersign/db";
import { assignmentEventAudience } from "@countersign/domain";
import type { AssignmentEventType, DepartmentCode } from "@countersign/domain";

/** The kinds of notice; the client words each in both languages (i18n `notifications.kind.*`). */
export const notificationKinds = [
  "round.opened",
  "round.due_soon",
  "round_report.returned",
  "round_report.reminded",
  // Inside a department (issue 15, point 2): a report waits for the department leader (told to its leaders), the
  // leader returned it for revision (told to the department).
  "round_report.approval_requested",
  "round_report.rejected",
  // Assignment events: new assignments, reminders, returns, decisions, withdrawals, reassignments.
  "assignment.event",
  // Down the levels (issue 16): a plan forwarded (转发) to an organisation, told to its office's coordinators.
  "cascade.forwarded",
  // Round reports down the levels (issue 16, point 3): a round opened from above asks the office for its report
  // upward (told to its coordinators); the level above returned it (told to the same).
  "level_report.asked",
  "level_report.returned",
  // A level report submitted for sign-off: told to those who sign it off (the host department's leaders, or the office's coordinators).
  "level_report.awaiting_sign_off",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export type NotificationParams = Record<string, string | number | null>;

export interface Notice {
  kind: NotificationKind;
  /** Words' parameters: the round's title, a due date, a reason … */
  params: NotificationParams;
  /** The client path of the item, e.g. `/rounds/3`. */
  link: string;
  /** Departments whose enabled accounts are told. */
  departments?: readonly DepartmentCode[];
  /** Further accounts told by id (e.g. the coordinator who asked). */
  userIds?: readonly number[];
}

/** Which outbound channels write outbox rows; set once per store at start (`startOutboxDispatcher`) or in a test. */
export interface OutboundChannels {
  webhook: boolean;
  email: boolean;
  /** The addresses every notice is mailed to (an office mailbox), when email is on. */
  emailTo: readonly string[];
}

/** Both channels off: the default of a store, and what seeding (the demo, the benchmark's rounds) queues on. */
export const noOutboundChannels: OutboundChannels = { webhook: false, email: false, emailTo: [] };

const channelsByStore = new WeakMap<AnyStore, OutboundChannels>();

/** Turns the outbound channels on or off for the services on the store seam, on either engine (both off by default). */
export function configureStoreOutbound(store: AnyStore, channels: OutboundChannels): void {
  channelsByStore.set(store, channels);
}

/** The outbound channels of a request's units of work on the store seam: the store's own (`configureStoreOutbound`), else none. */
export function outboundChannelsFor(scope: { store: AnyStore }): OutboundChannels {
  return channelsByStore.get(scope.store) ?? noOutboundChannels;
}

/**
 * The outbox rows of one event on the channels that are on, each with a fresh idempotency id: a webhook row (JSON
 * body `{ id, type, at, data }`; `id` is the idempotency id a receiver uses to drop a repeat) and an email row
 * (`{ to, subject, text, eventId }`), each only when its channel is on.
 */
export function outboxRowsOf(type: string, data: NotificationParams, channels: OutboundChannels, now: Date): OutboxRow[] {
  const at = now.toISOString();
  const rows: OutboxRow[] = [];
  if (channels.webhook) {
    const eventId = randomUUID();
    const body = JSON.stringify({ id: eventId, type, at, data });
    rows.push({ channel: "webhook", eventId, type, payload: body, createdAt: at, nextAttemptAt: at });
  }
  if (channels.email && channels.emailTo.length > 0) {
    const eventId = randomUUID();
    const subject = `[Countersign] ${type}${typeof data["title"] === "string" ? `: ${data["title"]}` : ""}`;
    const text = Object.entries(data)
      .map(([k, v]) => `${k}: ${v ?? ""}`)
      .join("\n");
    const message = JSON.stringify({ to: channels.emailTo, subject, text, eventId });
    rows.push({ channel: "email", eventId, type, payload: message, createdAt: at, nextAttemptAt: at });
  }
  return rows;
}

/**
 * Writes a notice for every enabled account of the departments named and the accounts named (each once), and the
 * outbox rows of the channels that are on (`outboxRowsOf`), inside the act's unit of work whose repositories are
 * given (either engine). Returns the number of accounts told.
 */
export async function notifyOnSeam(repos: Repositories, notice: Notice, channels: OutboundChannels, now: Date): Promise<number> {
  const at = now.toISOString();
  const recipients = new Set<number>(notice.userIds ?? []);
  for (const id of await repos.notices.enabledAccountsIn(notice.departments ?? [])) recipients.add(id);
  const params = JSON.stringify(notice.params);
  await repos.notices.insertNotifications([...recipients].map((userId) => ({ userId, kind: notice.kind, params, link: notice.link, createdAt: at })));
  await repos.notices.enqueueOutbox(outboxRowsOf(notice.kind, outboundDataOf(notice), channels, now));
  return recipients.size;
}

/** What the outbox carries of a notice: its parameters, its link and the departments told. */
function outboundDataOf(notice: Notice): NotificationParams {
  return { ...notice.params, link: notice.link, departments: (notice.departments ?? []).join(",") };
}

/** An assignment event as a notice names it. */
export interface AssignmentNoticeFacts {
  type: string;
  assignmentId: number;
  planId: number;
  measureNumber: number;
  department: DepartmentCode;
  text?: string | null;
}

/** The notice of one assignment event to `audience`: its words' parameters and the assignment's page. */
export function assignmentNotice(event: AssignmentNoticeFacts, audience: readonly DepartmentCode[]): Notice {
  return {
    kind: "assignment.event",
    params: {
      event: event.type,
      assignmentId: event.assignmentId,
      planId: event.planId,
      measureNumber: event.measureNumber,
      department: event.department,
      text: event.text ?? null,
    },
    link: `/assignments/${event.assignmentId}`,
    departments: audience,
  };
}

/** The words of an act a notice may quote: its reason, note, message or comment (a reminder's may be empty). */
function wordsOf(payload: Readonly<Record<string, unknown>>): string | null {
  for (const field of ["reason", "note", "message", "body"]) {
    const value = payload[field];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return null;
}

/** One workflow event as `assignmentEventNotices` reads it. */
export interface AssignmentEventFacts {
  type: AssignmentEventType;
  assignmentId: number;
  planId: number;
  measureNumber: number;
  /** The department holding the assignment before the event; `heldAfter` after it. */
  heldBy: DepartmentCode;
  heldAfter: DepartmentCode;
  /** The acting account's department, null for the coordinator (`actorDepartmentOf`). */
  actorDepartment: DepartmentCode | null;
  payload: Readonly<Record<string, unknown>>;
}

/**
 * Who is told of one assignment event, and with which words (the ONE rule, shared by the synchronous writers and
 * the actions on the store seam): the departments the domain's `assignmentEventAudience` names (none for most of a
 * department's own acts), in one notice for those who may read the act's words, and one without them for a
 * department that lost the work by a reassignment. Pure; at most two notices.
 */
export function assignmentEventNotices(event: AssignmentEventFacts): Notice[] {
  const audience = assignmentEventAudience(event.type, event.heldBy, event.heldAfter, event.actorDepartment);
  const base = { type: event.type, assignmentId: event.assignmentId, planId: event.planId, measureNumber: event.measureNumber, department: event.heldAfter };
  const withWords = audience.filter((r) => r.withWords).map((r) => r.department);
  const without = audience.filter((r) => !r.withWords).map((r) => r.department);
  const notices: Notice[] = [];
  if (withWords.length > 0) notices.push(assignmentNotice({ ...base, text: wordsOf(event.payload) }, withWords));
  if (without.length > 0) notices.push(assignmentNotice({ ...base, text: null }, without));
  return notices;
}

/**
 * One assignment event told as `assignmentEventNotices` decides, in the act's unit of work (either engine) after its
 * audit event: one notice, and one outbox row per channel, per group told. Returns the number of accounts told.
 */
export async function noticeAssignmentEventOnSeam(repos: Repositories, event: AssignmentEventFacts, channels: OutboundChannels, now: Date): Promise<number> {
  let told = 0;
  for (const notice of assignmentEventNotices(event)) told += await notifyOnSeam(repos, notice, channels, now);
  return told;
}

/** The acting department as `assignmentEventAudience` reads it: null for the lead ministry's coordinator. */
export function actorDepartmentOf(user: { role: string; department: DepartmentCode | null }): DepartmentCode | null {
  return user.role === "coordinator" ? null : user.department;
}
