/**
 * Errors are mapped once, here: every stable code the server answers with (the domain's refusal codes and the
 * server's own) → one tRPC code. Services throw `ServiceError`; the base procedure turns it into a TRPCError and
 * the error formatter adds `data.refusalCode`, `data.field`, `data.issues` and, on a conflict, `data.current`.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { AccountRefusalCode, AssignmentStatus, CascadeRefusalCode, Refusal, RefusalCode } from "@countersign/domain";

export type ServerErrorCode =
  | "unauthenticated" // no valid session
  | "invalid_credentials" // wrong username or password (never says which)
  | "forbidden_role" // the caller's role may not call this procedure
  | "not_found" // no such plan, measure or assignment
  | "stale_version" // expectedVersion is not the current version: reload and retry
  | "invalid_input" // the input does not match the procedure's schema
  | "unknown_department" // a department code that does not exist
  | "plan_not_draft" // the division of work can be edited and issued only while the plan is a draft
  | "plan_not_issued" // the plan has not been issued yet
  | "measure_without_lead" // every measure needs exactly one lead before the plan is issued
  | "cross_origin" // a mutation from another origin
  | "unsupported_content_type" // a mutation that is not application/json
  | "payload_too_large" // a request body over the limit
  | "too_many_attempts" // too many failed sign-ins for this account name or from this address
  | "idempotency_key_reused" // an Idempotency-Key already used for a different request
  | "batch_too_large" // more calls in one batch than the server runs (security/work-bounds.ts)
  | "too_many_exports" // the account already runs as many exports as it may at once
  | "too_many_streams" // the account already holds as many live streams as it may
  | "weak_password" // a new password breaks the password rules (too short, common or breached, the user name)
  | "wrong_password" // the current password given to change one's own password is not it
  | "reset_code_invalid" // a password-reset code that is unknown, used, voided or expired (never says which)
  | "password_sign_in_off" // this deployment signs in through single sign-on only (PASSWORD_SIGN_IN=off)
  | "database_busy" // another process held the database's write lock past the wait: nothing changed, retry (503, Retry-After)
  | "shutting_down" // the server is draining for a shutdown: nothing ran, send it again (503, Retry-After; another instance answers)
  | "import_timeout" // reading an imported document ran past its time budget and was stopped
  | "import_busy" // too many documents are being imported at once
  // Reporting rounds and attachments (issue 14).
  | "round_closed" // the round no longer takes reports or changes
  | "past_due" // a submitted round report can be revised only until the due date
  | "heading_required" // a round report's submission needs text under each heading
  | "text_too_long" // a text over its limit
  | "bad_file_name" // a file name that is empty, too long, a path or has control characters
  | "attachment_too_large" // a file, or one act's files, over the size limit
  | "too_many_attachments" // more files on one act than allowed
  | "attachment_type_not_allowed" // the file's content is of no allowed type
  | "attachment_type_mismatch" // the declared type or the name's extension disagrees with the content
  | "not_your_organisation" // a level report's act by a person of another organisation than the one whose act it is (issue 16)
  | "not_on_this_engine" // a function not yet moved onto the store seam, called on PostgreSQL (501): use SQLite for it
  | "internal"; // a fault of the server, logged

export type ErrorCode = RefusalCode | AccountRefusalCode | CascadeRefusalCode | ServerErrorCode;

export const trpcCodeOf = {
  // The domain's refusals.
  read_only: "FORBIDDEN",
  wrong_role: "FORBIDDEN",
  not_your_department: "FORBIDDEN",
  invalid_state: "PRECONDITION_FAILED",
  reason_required: "BAD_REQUEST",
  supporting_not_signed_off: "PRECONDITION_FAILED",
  measure_closed: "PRECONDITION_FAILED",
  extension_pending: "PRECONDITION_FAILED",
  no_extension_pending: "PRECONDITION_FAILED",
  invalid_extension: "BAD_REQUEST",
  already_responsible: "BAD_REQUEST",
  not_countersigned: "PRECONDITION_FAILED",
  not_closed: "PRECONDITION_FAILED",
  // The domain's refusals of account administration (admin-policy.ts).
  admin_only: "FORBIDDEN",
  own_account: "PRECONDITION_FAILED",
  last_admin: "PRECONDITION_FAILED",
  department_required: "BAD_REQUEST",
  display_name_required: "BAD_REQUEST",
  display_name_mixed: "BAD_REQUEST",
  deadline_in_past: "BAD_REQUEST",
  invalid_deadline: "BAD_REQUEST",
  plan_withdrawn: "PRECONDITION_FAILED",
  not_responsible: "BAD_REQUEST",
  lead_cannot_be_removed: "PRECONDITION_FAILED",
  // Inside a department (issue 15, point 2).
  not_your_assignment: "FORBIDDEN",
  approval_pending: "PRECONDITION_FAILED",
  no_approval_pending: "PRECONDITION_FAILED",
  invalid_handler: "BAD_REQUEST",
  no_handler: "PRECONDITION_FAILED",
  department_role_not_allowed: "BAD_REQUEST",
  division_required: "BAD_REQUEST",
  division_mismatch: "BAD_REQUEST",
  // Down the levels (issue 16): the cascade domain's refusals (plan_not_issued, invalid_deadline, unknown_department
  // are shared with the server's own below).
  not_coordinator: "FORBIDDEN",
  not_draft: "PRECONDITION_FAILED",
  no_targets: "BAD_REQUEST",
  not_a_child: "BAD_REQUEST",
  no_measures: "BAD_REQUEST",
  unknown_measure: "BAD_REQUEST",
  already_forwarded: "PRECONDITION_FAILED",
  deadline_after_parent: "BAD_REQUEST",
  not_forwarded_here: "FORBIDDEN",
  division_shape: "BAD_REQUEST",
  measure_not_implemented: "PRECONDITION_FAILED",
  missing_lead: "PRECONDITION_FAILED",
  text_required: "BAD_REQUEST",
  document_without_measures: "BAD_REQUEST",
  unknown_department_choice: "BAD_REQUEST",
  undecided_departments: "PRECONDITION_FAILED",
  not_visible: "FORBIDDEN",
  // The server's own.
  unauthenticated: "UNAUTHORIZED",
  invalid_credentials: "UNAUTHORIZED",
  forbidden_role: "FORBIDDEN",
  not_found: "NOT_FOUND",
  stale_version: "CONFLICT",
  invalid_input: "BAD_REQUEST",
  unknown_department: "BAD_REQUEST",
  plan_not_draft: "PRECONDITION_FAILED",
  plan_not_issued: "PRECONDITION_FAILED",
  measure_without_lead: "PRECONDITION_FAILED",
  cross_origin: "FORBIDDEN",
  unsupported_content_type: "UNSUPPORTED_MEDIA_TYPE",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  too_many_attempts: "TOO_MANY_REQUESTS",
  idempotency_key_reused: "UNPROCESSABLE_CONTENT",
  batch_too_large: "BAD_REQUEST",
  too_many_exports: "TOO_MANY_REQUESTS",
  too_many_streams: "TOO_MANY_REQUESTS",
  weak_password: "BAD_REQUEST",
  wrong_password: "BAD_REQUEST",
  reset_code_invalid: "BAD_REQUEST",
  password_sign_in_off: "FORBIDDEN",
  database_busy: "SERVICE_UNAVAILABLE",
  shutting_down: "SERVICE_UNAVAILABLE",
  not_on_this_engine: "NOT_IMPLEMENTED",
  import_timeout: "TIMEOUT",
  import_busy: "TOO_MANY_REQUESTS",
  round_closed: "PRECONDITION_FAILED",
  not_your_organisation: "FORBIDDEN",
  past_due: "PRECONDITION_FAILED",
  heading_required: "BAD_REQUEST",
  text_too_long: "BAD_REQUEST",
  bad_file_name: "BAD_REQUEST",
  attachment_too_large: "PAYLOAD_TOO_LARGE",
  too_many_attachments: "BAD_REQUEST",
  attachment_type_not_allowed: "UNSUPPORTED_MEDIA_TYPE",
  attachment_type_mismatch: "UNSUPPORTED_MEDIA_TYPE",
  internal: "INTERNAL_SERVER_ERROR",
} as const satisfies Record<ErrorCode, TRPC_ERROR_CODE_KEY>;

/** What a CONFLICT carries: the assignment (or measure) as it is now, so the client can show it and retry. */
export interface CurrentState {
  version: number;
  status: AssignmentStatus | "open" | "closed";
}

export class ServiceError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, when there is one. */
  readonly field: string | null;
  readonly current: CurrentState | null;
  /**
   * On `too_many_attempts`, `too_many_exports` and `database_busy`: when the caller may try again (also the Retry-After
   * header of a busy refusal), for clients to say so in their own words.
   */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: ErrorCode,
    message: string,
    options: { field?: string; current?: CurrentState; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "ServiceError";
    this.code = code;
    this.field = options.field ?? null;
    this.current = options.current ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export function refusalError(refusal: Refusal): ServiceError {
  return new ServiceError(refusal.code, refusal.message);
}

export function staleVersion(kind: "assignment" | "measure", current: CurrentState): ServiceError {
  return new ServiceError(
    "stale_version",
    `This ${kind} has changed since you loaded it (now version ${current.version}, ${current.status}); reload it and try again.`,
    { current },
  );
}

export function toTRPCError(error: ServiceError): TRPCError {
  return new TRPCError({ code: trpcCodeOf[error.code], message: error.message, cause: error });
}

/** One issue of an invalid input, with its field path written `a.b[0]`. */
export interface InputIssue {
  field: string;
  message: string;
}

/** True for a validation error of zod (or any Standard Schema), which tRPC puts in the TRPCError's cause. */
export function inputIssuesOf(cause: unknown): InputIssue[] | null {
  if (cause === null || typeof cause !== "object" || !("issues" in cause) || !Array.isArray(cause.issues)) return null;
  return cause.issues.map((issue: unknown) => {
    const record = (issue ?? {}) as { path?: unknown; message?: unknown };
    const path = Array.isArray(record.path) ? record.path : [];
    return { field: fieldPath(path), message: typeof record.message === "string" ? record.message : "Invalid value." };
  });
}

function fieldPath(path: readonly unknown[]): string {
  let out = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(input)" : out;
}

/** What the API tells a client about an error beyond tRPC's own code: used by the error formatter (and tests). */
export interface ErrorDetail {
  message: string;
  refusalCode: string;
  field: string | null;
  issues: InputIssue[];
  current: CurrentState | null;
  retryAfterSeconds: number | null;
}

export function describeError(error: TRPCError): ErrorDetail {
  const service = error.cause instanceof ServiceError ? error.cause : null;
  const issues = service === null && error.code === "BAD_REQUEST" ? inputIssuesOf(error.cause) : null;
  const message =
    issues !== null
      ? issues.map((i) => `${i.field}: ${i.message}`).join("; ")
      : error.code === "INTERNAL_SERVER_ERROR"
        ? "Internal server error."
        : error.message;
  return {
    message,
    refusalCode: service?.code ?? (issues !== null ? "invalid_input" : error.code.toLowerCase()),
    field: service?.field ?? issues?.[0]?.field ?? null,
    issues: issues ?? [],
    current: service?.current ?? null,
    retryAfterSeconds: service?.retryAfterSeconds ?? null,
  };
}
