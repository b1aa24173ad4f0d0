/**
 * Typed audit events (issue 13, point 2): one zod schema per audit event type for its payload, shared by the readers
 * of the trail (history, replay, as-of, tracking) and checked against every event the server's tests write
 * (apps/server/src/test-support/audit-payloads.ts). A payload is a flat JSON object of strings, numbers, booleans and
 * nulls (`AuditPayload` in @countersign/db). The closed list of types is @countersign/db's `auditEventTypes`; it
 * must name exactly the types here (checked at compile time there).
 *
 * A payload is strict: a key not declared here is refused, so a writer that adds one must declare it, and a reader
 * can read only what some writer writes. The two families of keys written by pattern are declared by pattern:
 * an act's files (`attachments`, `attachment<n>.id|name|type|size|sha256`, by storeAttachmentsOnSeam) and what an
 * administrator changed (`<field>Before` / `<field>After` of an account, `<field>Before` / `<field>` of a department).
 */
import { z } from "zod";
import type { AssignmentEvent, AssignmentEventType, AssignmentStatus } from "./types.js";

const text = z.string();
const count = z.number().int().nonnegative();
const id = z.number().int().positive();
const flag = z.boolean();
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The keys an act's files add to its event (storeAttachmentsOnSeam): their count, then each file's record. */
const fileKey = /^attachment[1-9]\d*\.(id|name|type|size|sha256)$/;

/** A payload of exactly these keys, and also keys matching `pattern` (any scalar value) where one is given. */
function payload<S extends z.ZodRawShape>(shape: S, pattern?: RegExp) {
  if (pattern === undefined) return z.strictObject(shape);
  const declared = new Set(Object.keys(shape));
  return z
    .object(shape)
    .catchall(scalar)
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!declared.has(key) && !pattern.test(key)) ctx.addIssue({ code: "custom", message: `Unknown payload key ${key}.`, path: [key] });
      }
    });
}

/** An act's payload, with the files attached to it (佐证材料), if any. */
function withFiles<S extends z.ZodRawShape>(shape: S) {
  return payload({ ...shape, attachments: count.optional() }, fileKey);
}

/** The leader's approval (审核/签发) carried by a sign-off or extension request that waited for it. */
const approvedByLeader = { approvedByLeader: z.literal(true).optional(), approvalNote: text.optional() };

/** Every audit event type's payload schema, by type. */
export const auditEventSchemas = {
  // The assignment workflow (workflow.ts, plan-change.ts).
  "assignment.issued": payload({
    role: z.enum(["lead", "supporting"]),
    dueDate: text,
    /** Issued after the plan: a department added, or made lead (plan-change.ts). */
    added: flag.optional(),
    formerLead: text.nullable().optional(),
    note: text.optional(),
  }),
  "assignment.accepted": payload({}),
  "assignment.declined": payload({ reason: text }),
  "assignment.progress_reported": withFiles({ note: text }),
  "assignment.signed_off": withFiles({ summary: text, ...approvedByLeader }),
  "assignment.extension_requested": withFiles({ until: text, reason: text, ...approvedByLeader }),
  "assignment.commented": withFiles({ body: text }),
  "assignment.reassigned": payload({ fromDepartment: text, toDepartment: text, note: text, dueDate: text, previousDueDate: text }),
  "assignment.reaffirmed": payload({ note: text }),
  "assignment.returned": withFiles({ reason: text }),
  "assignment.withdrawn": payload({ reason: text, removedFromMeasure: flag.optional(), planWithdrawn: flag.optional() }),
  "assignment.reminded": payload({ message: text }),
  "assignment.extension_approved": payload({ approve: flag, until: text, requested: text, note: text, previousDueDate: text.optional() }),
  "assignment.extension_refused": payload({ approve: flag, until: text, requested: text, note: text }),
  /** A returned supporting sign-off (`returnedDepartment`, `reason`) or a department added to the measure (`addedDepartment`, `note`). */
  "assignment.lead_reopened": payload({
    returnedDepartment: text.optional(),
    reason: text.optional(),
    addedDepartment: text.optional(),
    note: text.optional(),
  }),
  "assignment.handler_assigned": payload({ divisionId: text, handlerId: text, previousHandlerId: text.nullable(), note: text }),
  "assignment.approval_requested": z.union([
    payload({ kind: z.literal("signOff"), summary: text }),
    payload({ kind: z.literal("extension"), until: text, reason: text }),
  ]),
  "assignment.approval_rejected": payload({ kind: z.enum(["signOff", "extension"]), reason: text }),
  "assignment.deadline_changed": payload({ previousDueDate: text, dueDate: text, note: text, backdated: flag }),
  "assignment.role_changed": payload({
    fromRole: z.enum(["lead", "supporting"]),
    toRole: z.enum(["lead", "supporting"]),
    reason: text,
    newLead: text.optional(),
    formerLead: text.nullable().optional(),
    reopened: flag.optional(),
  }),
  "measure.closed": payload({ note: text }),
  "measure.reopened": payload({ note: text }),
  "plan.loaded": payload({ key: text, measures: count, responsibilities: count }),
  "plan.created": payload({
    key: text,
    documentNumber: text,
    titleZh: text,
    titleEn: text,
    sections: count,
    measures: count,
    responsibilities: count,
    measuresWithoutLead: count,
  }),
  "plan.responsibilities_set": payload({ lead: text.nullable(), previousLead: text.nullable(), supporting: text, previousSupporting: text }),
  "plan.issued": payload({ dueDate: text, assignments: count, measures: count, backdated: flag }),
  "plan.translation_added": payload({ language: text, measures: text, missing: text, extra: text }),
  "plan.withdrawn": payload({ reason: text, assignmentsWithdrawn: count }),
  "auth.login": payload({ ip: text.nullable() }),
  "auth.login_failed": payload({ reason: text, ip: text.nullable() }),
  "auth.logout": payload({ sessionsEnded: count }),
  "access.refused": payload({ procedure: text, code: text, message: text, ip: text.nullable() }),
  "user.created": payload({ username: text, role: text, department: text.nullable(), userId: id }),
  // From the web (with the id) or the command line (without).
  "user.disabled": payload({ username: text, userId: id.optional(), reason: text, sessionsEnded: count }),
  "user.enabled": payload({ username: text, userId: id.optional(), reason: text, sessionsEnded: count }),
  "user.updated": payload({ username: text, userId: id, changed: text, sessionsEnded: count }, /^[A-Za-z]+(Before|After)$/),
  "user.password_reset_issued": payload({ username: text, userId: id, expiresAt: text, earlierVoided: count }),
  "user.password_reset_redeemed": payload({ username: text, userId: id, sessionsEnded: count }),
  "user.password_changed": payload({ username: text, userId: id, sessionsEnded: count }),
  "user.session_ended": payload({ username: text, userId: id, session: text, byOwner: flag }),
  "auth.sso_login": payload({ claim: text, value: text, issuer: text, subject: text, ip: text.nullable() }),
  "auth.sso_refused": payload({
    reason: text,
    claim: text.optional(),
    value: text.optional(),
    issuer: text.optional(),
    subject: text.optional(),
    detail: text.optional(),
    ip: text.nullable(),
  }),
  // A local department (issue 16) also names its organisation; it joins with its organisation's first plan or account.
  "department.added": payload({
    code: text,
    source: z.enum(["register", "administrator", "cascade", "account"]),
    nameZh: text,
    nameEn: text,
    kind: text,
    organisation: text.optional(),
  }),
  "department.renamed": payload({ code: text }, /^(nameZh|nameEn|shortZh|shortEn)(Before)?$/),
  "department.retired": payload({ code: text, retiredOn: text }),
  "round.opened": payload({
    roundId: id,
    title: text,
    periodStart: text,
    periodEnd: text,
    dueDate: text,
    recurrence: text,
    departments: text,
    measureNumbers: text,
    reports: count,
    previousRoundId: id.nullable(),
    /** The round one level up it was opened under (issue 16, point 3); absent before, null for a round of its own. */
    parentRoundId: id.nullable().optional(),
  }),
  "round.closed": payload({ roundId: id, reports: count, submitted: count }),
  ...roundReportSchemas(),
  ...levelReportSchemas(),
  "attachment.superseded": payload({
    attachmentId: id,
    assignmentId: id.nullable(),
    name: text,
    sha256: text,
    byAttachmentId: id,
    byName: text,
    bySha256: text,
    reason: text,
  }),
  "division.created": payload({ divisionId: id, nameZh: text.nullable(), nameEn: text.nullable() }),
  // No writer records a renamed division yet; its shape is division.created's with what it was before.
  "division.renamed": payload({ divisionId: id, nameZh: text.nullable(), nameEn: text.nullable() }, /^(nameZh|nameEn)Before$/),
  "user.department_role_changed": payload({ username: text, userId: id, sessionsEnded: count }, /^(departmentRole|divisionId)(Before|After)$/),
  "department.leader_approval_set": payload({ required: flag }),
  // Down the levels (issue 16; apps/server/src/services/cascade): lists of numbers and ids are joined into one text.
  "cascade.forwarded": payload({ forwardingId: id, from: text, to: text, measureNumbers: text, planDeadline: text }),
  // From the office's own document (cascade.deriveFromDocument): its source ("pasted" or the file's name), how many
  // of its measures implement a forwarded one and how many are local, and the forwarded measures' numbers it left out;
  // `departmentChoices`: the coordinator's decision for each department name not recognised, "（三）南宁海关 → left out;
  // （五）人民银行南宁中心支行 → 450000-PBOC" (absent when every name was a member).
  "cascade.plan_derived": payload({
    implements: id,
    organisation: text,
    forwardings: text,
    measures: count,
    unmapped: text,
    document: text.optional(),
    matched: count.optional(),
    local: count.optional(),
    unimplemented: text.optional(),
    departmentChoices: text.optional(),
  }),
  "cascade.local_measure_added": payload({ title: text, dueDate: text.nullable() }),
};

/** A reporting round's report events (act-on-round-report.ts): the report and version, then what the act carries. */
function roundReportSchemas() {
  const report = { roundId: id, reportId: id, assignmentId: id, version: count };
  const written = { progress: text, problems: text, nextSteps: text };
  return {
    "round_report.draft_saved": withFiles({ ...report, ...written }),
    "round_report.submitted": withFiles({ ...report, ...written, late: flag.optional() }),
    "round_report.approval_requested": withFiles({ ...report, ...written }),
    "round_report.approved": withFiles({ ...report, late: flag }),
    "round_report.returned": payload({ ...report, reason: text }),
    "round_report.rejected": payload({ ...report, reason: text }),
    "round_report.reminded": payload({ ...report, message: text }),
  };
}

/**
 * A level report's events (issue 16 point 3, apps/server services/rounds/level-reports.ts): the report, the two
 * organisations and rounds, then what the act carries; a sign-off counts what its compilation carries up.
 */
function levelReportSchemas() {
  const report = { levelReportId: id, organisation: text, parentOrganisation: text, roundId: id, parentRoundId: id, version: count };
  const written = { progress: text, problems: text, nextSteps: text };
  return {
    "level_report.draft_saved": withFiles({ ...report, ...written }),
    "level_report.sign_off_requested": withFiles({ ...report, ...written }),
    "level_report.submitted": withFiles({ ...report, departmentReports: count, departmentReportsSubmitted: count, childReports: count, childReportsReported: count }),
    "level_report.rejected": payload({ ...report, reason: text }),
    "level_report.returned": payload({ ...report, reason: text }),
    // A file withdrawn while the report is changeable (domain: levelReportFileWithdrawal); a replacement names the new one.
    "level_report.file_removed": payload({ ...report, fileId: id, name: text, sha256: text }),
    "level_report.file_replaced": payload({ ...report, fileId: id, name: text, sha256: text, byFileId: id, byName: text, bySha256: text }),
  };
}

export type AuditEventSchemaType = keyof typeof auditEventSchemas;

/** The payload of an audit event of type T, as its schema reads it. */
export type AuditPayloadOf<T extends AuditEventSchemaType> = z.output<(typeof auditEventSchemas)[T]>;

/** The payload a writer gives for an audit event of type T (optional keys may be left out). */
export type AuditPayloadInput<T extends AuditEventSchemaType> = z.input<(typeof auditEventSchemas)[T]>;

/** Whether `type` is an audit event type with a schema. */
export function isAuditEventType(type: string): type is AuditEventSchemaType {
  return Object.hasOwn(auditEventSchemas, type);
}

/**
 * The payload of a stored event read through its type's schema: the typed payload, or null when the type is unknown
 * or the payload is not what its writers write (a reader then shows nothing of it; the audit check names edited rows).
 */
export function readAuditPayload<T extends AuditEventSchemaType>(type: T, payload: unknown): AuditPayloadOf<T> | null {
  const parsed = auditEventSchemas[type].safeParse(payload);
  return parsed.success ? (parsed.data as AuditPayloadOf<T>) : null;
}

/** Checks one written payload against its type's schema: the issues, or an empty list when it fits. */
export function auditPayloadIssues(type: string, payload: unknown): string[] {
  if (!isAuditEventType(type)) return [`No schema for the audit event type ${type}.`];
  const parsed = auditEventSchemas[type].safeParse(payload);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${type} ${i.path.join(".")}: ${i.message}`);
}

/** Every key of a payload type, over each member of a union (an approval request's kinds). */
type KeysOf<T> = T extends unknown ? keyof T & string : never;
/** The value of key K in payload type T, over each member of a union that has it. */
type ValueOf<T, K extends string> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/** The zod schema of one key of a type's payload (in any member of a union), or undefined. */
function fieldSchema(type: AuditEventSchemaType, key: string): z.ZodType | undefined {
  const schema: z.ZodType = auditEventSchemas[type];
  const shapes = schema instanceof z.ZodUnion ? schema.options : [schema];
  for (const s of shapes) {
    if (s instanceof z.ZodObject) {
      const field: unknown = s.shape[key];
      if (field instanceof z.ZodType) return field;
    }
  }
  return undefined;
}

/**
 * One key of a stored event's payload, read as its type's schema declares it: the key must be one its writers write
 * (checked at compile time), and the value is returned only when it has the declared type, else null. Lenient on the
 * rest of the payload, so that a reader still reads what it needs from an event written before a key was added.
 * E.g. `auditField("assignment.reassigned", e.payload, "toDepartment")` → "NDRC" | null.
 */
export function auditField<T extends AuditEventSchemaType, K extends KeysOf<AuditPayloadOf<T>>>(
  type: T,
  payload: Readonly<Record<string, unknown>>,
  key: K,
): Exclude<ValueOf<AuditPayloadOf<T>, K>, undefined> | null {
  const schema = fieldSchema(type, key);
  const value = payload[key];
  if (schema === undefined || value === undefined) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? (parsed.data as Exclude<ValueOf<AuditPayloadOf<T>, K>, undefined>) : null;
}

/**
 * An assignment's event to record, `{ type, from, to, payload }`; its payload is checked at compile time against its
 * type's schema above. Used by the workflow's transitions and by the changes after issue (plan-change.ts).
 */
export function assignmentEvent<T extends AssignmentEventType>(
  type: T,
  from: AssignmentStatus,
  to: AssignmentStatus,
  payload: AuditPayloadInput<T>,
): AssignmentEvent {
  // Every schema is a flat object of strings, booleans and nulls (and numbers for files, added by the server).
  return { type, from, to, payload: payload as AssignmentEvent["payload"] };
}
