/**
 * Attachments over plain HTTP (multipart uploads do not fit tRPC's JSON; downloads are links):
 *
 * - `POST /attachments/round-report/:reportId` (multipart: `action` saveDraft|submit, `expectedVersion`, `progress`,
 *   `problems`, `nextSteps`, and up to `maxAttachmentsPerAct` parts named `file`): a round report's draft or
 *   submission with its files, one unit of work of the store seam (`runSeamMutation`, either engine) with its audit
 *   event; an `Idempotency-Key` header makes a retry get the first answer.
 * - `POST /attachments/comment/:assignmentId` (multipart: `expectedVersion`, `body`, `file` parts): a comment with files,
 *   one unit of work of the store seam (`runSeamMutation`, either engine) with its audit event; an `Idempotency-Key`
 *   header makes a retry get the first answer.
 * - `POST /attachments/assignment/:assignmentId` (multipart: `action` one of the domain's `actionsTakingFiles`
 *   (reportProgress, signOff, requestExtension, return, comment), `expectedVersion`, the action's fields as for its
 *   tRPC procedure (`note`, `summary`, `until` + `reason`, `reason`, `body`), and `file` parts): the assignment
 *   action with its files, through `actOnAssignment` (one unit of work of the store seam with its audit event,
 *   either engine, as the object store is); answers the assignment as it now is and the stored files' ids. An `Idempotency-Key` header makes a retry get the first answer.
 * - `POST /attachments/level-report/:levelReportId` (multipart: `action` saveDraft|submit, `expectedVersion`, `progress`,
 *   `problems`, `nextSteps`, and `file` parts): the office's level report (issue 16 point 3) draft or submission with
 *   its own evidence files, one unit of work of the store seam with its audit event (each file's name and sha256);
 *   the bytes go where an assignment's attachments go: the configured object store (staged before the unit of work,
 *   its key recorded) or the database (level_report_file_blobs). `Idempotency-Key` as above.
 * - `POST /attachments/level-report-files/:id/replace` (multipart: `expectedVersion` (the level report's) and one `file`
 *   part): a new version of a level report's file in place of the old one, which is kept, marked superseded
 *   (services/rounds/level-reports.ts `withdrawLevelReportFile`: a draft or a report sent back only). A file is removed
 *   without a new version by the tRPC procedure `round.levelRemoveFile`.
 * - `GET /attachments/level-report-files/:id` downloads a level report's file: the reporting office, and the office one level up
 *   once the file was sent up with a sign-off (services/rounds/level-reports.ts `readLevelReportFile`).
 * - `GET /attachments/:id` downloads (`Content-Disposition: attachment`); `GET /attachments/:id/preview` shows a
 *   PDF or an image inline, with the type found in its bytes and a CSP that runs nothing (either engine).
 *
 * The session cookie authenticates as for tRPC (the same `resolveSession`); uploads must also carry
 * `X-Countersign-Upload: 1`, a header no cross-site form can send. Limits: attachment-rules.ts and docs/security.md.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actionsTakingFiles, actionTakesFiles, parseActionRequest, roundReportActionTypes } from "@countersign/domain";
import type { AssignmentActionType, AssignmentRequest } from "@countersign/domain";
import type { ServerDeps } from "../context.js";
import { ServiceError, toTRPCError } from "../errors.js";
import { sendServiceError } from "../http-refusal.js";
import { headerValue, sessionOfRequest } from "../context.js";
import { attachmentDisposition } from "../exports/content-disposition.js";
import { recordRefusedAccess } from "../services/audit/record-refusal.js";
import { checkActFiles, checkUpload, maxActAttachmentBytes, maxAttachmentBytes, maxAttachmentsPerAct, previewableTypes } from "../services/attachments/attachment-rules.js";
import type { IncomingFile } from "../services/attachments/attachment-rules.js";
import { readAttachment } from "../services/attachments/read-attachment.js";
import { objectStoreReaderOf, stageFiles } from "../services/attachments/attachment-store.js";
import { actOnAssignment } from "../services/assignment/act-on-assignment.js";
import { runSeamMutation } from "../security/idempotency.js";
import { outboundChannelsFor } from "../services/notifications/notify.js";
import { actOnRoundReport } from "../services/rounds/act-on-round-report.js";
import { actOnLevelReport, readLevelReportFile, withdrawLevelReportFile } from "../services/rounds/level-reports.js";
import type { LevelReportActInput } from "../services/rounds/level-reports.js";
import type { ActOnRoundReportInput } from "../services/rounds/act-on-round-report.js";
import type { ActingUser } from "../services/shared/acting-user.js";

/** The header an upload must carry (a cross-site HTML form cannot set one). */
export const uploadHeader = "x-countersign-upload";


function positiveInt(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && /^\d+$/.test(value) && Number.isSafeInteger(n) && n > 0 ? n : null;
}

interface ParsedUpload {
  fields: Map<string, string>;
  files: IncomingFile[];
}

/** Reads the multipart body: text fields, and every `file` part checked (checkUpload) before anything is stored. */
async function readUpload(req: FastifyRequest): Promise<ParsedUpload> {
  const fields = new Map<string, string>();
  const files: IncomingFile[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === "field") {
        if (typeof part.value === "string") fields.set(part.fieldname, part.value);
        continue;
      }
      if (part.fieldname !== "file") {
        part.file.resume();
        throw new ServiceError("invalid_input", `Send files in parts named "file", not "${part.fieldname}".`, { field: part.fieldname });
      }
      const bytes = await part.toBuffer();
      files.push(await checkUpload(part.filename, part.mimetype, bytes));
      checkActFiles(files);
    }
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    const code = (error as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") {
      throw new ServiceError("attachment_too_large", `A file is larger than ${maxAttachmentBytes / 1024 / 1024} MiB.`, { field: "file" });
    }
    if (code === "FST_FILES_LIMIT") throw new ServiceError("too_many_attachments", `Attach at most ${maxAttachmentsPerAct} files to one act.`, { field: "files" });
    if (code === "FST_INVALID_MULTIPART_CONTENT_TYPE") throw new ServiceError("unsupported_content_type", "Send uploads as multipart/form-data.");
    throw new ServiceError("invalid_input", "The upload could not be read as multipart/form-data.");
  }
  return { fields, files };
}

export async function registerAttachmentRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await app.register(multipart, {
    // Busboy would cut a path down to its last segment silently; keep it, so that a path is refused (400), not guessed.
    preservePath: true,
    limits: { fileSize: maxAttachmentBytes, files: maxAttachmentsPerAct, fields: 20, fieldSize: 64 * 1024, parts: maxAttachmentsPerAct + 20 },
  });

  const userOf = async (req: FastifyRequest): Promise<ActingUser | null> => (await sessionOfRequest(deps, req))?.user ?? null;

  /**
   * Runs an upload: the session, the upload header, the parts, then `act`, which opens its own unit of work of the
   * store seam (`runSeamMutation`).
   */
  const upload = async (
    req: FastifyRequest,
    reply: FastifyReply,
    route: string,
    act: (user: ActingUser, upload: ParsedUpload, now: Date) => Promise<unknown>,
  ) => {
    const user = await userOf(req);
    if (user === null) return sendServiceError(reply, new ServiceError("unauthenticated", "Sign in to upload files."));
    if (req.headers[uploadHeader] !== "1") {
      return sendServiceError(reply, new ServiceError("cross_origin", `Uploads must carry the header X-Countersign-Upload: 1.`));
    }
    try {
      const read = await readUpload(req);
      // An object store receives the bytes now, before the act's transaction (orphans of refused acts are swept).
      const parsed = { fields: read.fields, files: await stageFiles(deps.db, read.files) };
      const now = deps.now();
      const value = await act(user, parsed, now);
      return reply.header("Cache-Control", "no-store").send({ result: value });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (toTRPCError(error).code === "FORBIDDEN") {
        await recordRefusedAccess(deps.store, user, { procedure: route, code: error.code, message: error.message, ip: req.ip }, deps.now());
      }
      return sendServiceError(reply, error);
    }
  };

  const uploadBodyLimit = maxActAttachmentBytes + 1024 * 1024;

  app.post<{ Params: { reportId: string } }>("/attachments/round-report/:reportId", { bodyLimit: uploadBodyLimit }, async (req, reply) =>
    upload(
      req,
      reply,
      "POST /attachments/round-report",
      (user, { fields, files }, now) => {
        const reportId = positiveInt(req.params.reportId);
        const expectedVersion = positiveInt(fields.get("expectedVersion"));
        const action = fields.get("action") ?? "";
        if (reportId === null) throw new ServiceError("invalid_input", "The report id must be a positive integer.", { field: "reportId" });
        if (expectedVersion === null) throw new ServiceError("invalid_input", "expectedVersion must be a positive integer.", { field: "expectedVersion" });
        if (action !== "saveDraft" && action !== "submit") {
          throw new ServiceError("invalid_input", `action must be saveDraft or submit (of ${roundReportActionTypes.join(", ")}).`, { field: "action" });
        }
        const text = { progress: fields.get("progress") ?? "", problems: fields.get("problems") ?? "", nextSteps: fields.get("nextSteps") ?? "" };
        const input: ActOnRoundReportInput = { reportId, expectedVersion, action: { type: action, ...text } };
        // The request as hashed for an Idempotency-Key: the fields and each file's hash, name and type.
        const request = { ...input, files: files.map((f) => ({ name: f.name, type: f.contentType, sha256: f.sha256 })) };
        const scope = { store: deps.store, user, now: () => now, idempotencyKey: headerValue(req.headers["idempotency-key"]) };
        const channels = outboundChannelsFor(deps);
        return runSeamMutation(scope, `round.${action}`, request, async (tx) => ({
          value: await actOnRoundReport(tx, user, { ...input, files }, now, channels),
          change: null,
        }));
      },
    ),
  );

  app.post<{ Params: { levelReportId: string } }>("/attachments/level-report/:levelReportId", { bodyLimit: uploadBodyLimit }, async (req, reply) =>
    upload(
      req,
      reply,
      "POST /attachments/level-report",
      (user, { fields, files }, now) => {
        const levelReportId = positiveInt(req.params.levelReportId);
        const expectedVersion = positiveInt(fields.get("expectedVersion"));
        const action = fields.get("action") ?? "";
        if (levelReportId === null) throw new ServiceError("invalid_input", "The level report id must be a positive integer.", { field: "levelReportId" });
        if (expectedVersion === null) throw new ServiceError("invalid_input", "expectedVersion must be a positive integer.", { field: "expectedVersion" });
        if (action !== "saveDraft" && action !== "submit") throw new ServiceError("invalid_input", "action must be saveDraft or submit.", { field: "action" });
        const text = { progress: fields.get("progress") ?? "", problems: fields.get("problems") ?? "", nextSteps: fields.get("nextSteps") ?? "" };
        const input: LevelReportActInput = { levelReportId, expectedVersion, action: { type: action, ...text } };
        const request = { ...input, files: files.map((f) => ({ name: f.name, type: f.contentType, sha256: f.sha256 })) };
        const scope = { store: deps.store, user, now: () => now, idempotencyKey: headerValue(req.headers["idempotency-key"]) };
        const channels = outboundChannelsFor(deps);
        const procedure = action === "saveDraft" ? "round.levelSaveDraft" : "round.levelSubmit";
        return runSeamMutation(scope, procedure, request, async (tx) => ({
          value: await actOnLevelReport(tx, user, { ...input, files }, now, channels),
          change: null,
        }));
      },
    ),
  );

  app.post<{ Params: { id: string } }>("/attachments/level-report-files/:id/replace", { bodyLimit: uploadBodyLimit }, async (req, reply) =>
    upload(
      req,
      reply,
      "POST /attachments/level-report-files/replace",
      (user, { fields, files }, now) => {
        const fileId = positiveInt(req.params.id);
        const expectedVersion = positiveInt(fields.get("expectedVersion"));
        if (fileId === null) throw new ServiceError("invalid_input", "The file id must be a positive integer.", { field: "fileId" });
        if (expectedVersion === null) throw new ServiceError("invalid_input", "expectedVersion must be a positive integer.", { field: "expectedVersion" });
        const [replacement, ...more] = files;
        if (replacement === undefined || more.length > 0) throw new ServiceError("invalid_input", "Send exactly one file, the new version.", { field: "file" });
        // The request as hashed for an Idempotency-Key: the ids and the new file's hash, name and type.
        const request = { fileId, expectedVersion, file: { name: replacement.name, type: replacement.contentType, sha256: replacement.sha256 } };
        const scope = { store: deps.store, user, now: () => now, idempotencyKey: headerValue(req.headers["idempotency-key"]) };
        return runSeamMutation(scope, "round.levelReplaceFile", request, async (tx) => ({
          value: await withdrawLevelReportFile(tx, user, { fileId, expectedVersion, replacement }, now),
          change: null,
        }));
      },
    ),
  );

  app.get<{ Params: { id: string } }>("/attachments/level-report-files/:id", async (req, reply) => {
    const user = await userOf(req);
    if (user === null) return sendServiceError(reply, new ServiceError("unauthenticated", "Sign in to download files."));
    const id = positiveInt(req.params.id);
    if (id === null) return sendServiceError(reply, new ServiceError("not_found", "There is no such file.", { field: "id" }));
    try {
      const { file, bytes } = await deps.store.read((repos) => readLevelReportFile(repos, user, id, objectStoreReaderOf(deps.db)));
      return reply
        .header("Content-Type", "application/octet-stream")
        .header("Content-Disposition", attachmentDisposition(file.name))
        .header("Cache-Control", "private, no-store")
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "default-src 'none'; sandbox")
        .header("Digest", `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`)
        .send(bytes);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (toTRPCError(error).code === "FORBIDDEN") {
        await recordRefusedAccess(deps.store, user, { procedure: "GET /attachments/level-report-files", code: error.code, message: error.message, ip: req.ip }, deps.now());
      }
      return sendServiceError(reply, error);
    }
  });

  app.post<{ Params: { assignmentId: string } }>("/attachments/comment/:assignmentId", { bodyLimit: uploadBodyLimit }, async (req, reply) =>
    upload(
      req,
      reply,
      "POST /attachments/comment",
      (user, { fields, files }, now) => {
        const assignmentId = positiveInt(req.params.assignmentId);
        const expectedVersion = positiveInt(fields.get("expectedVersion"));
        if (assignmentId === null) throw new ServiceError("invalid_input", "The assignment id must be a positive integer.", { field: "assignmentId" });
        if (expectedVersion === null) throw new ServiceError("invalid_input", "expectedVersion must be a positive integer.", { field: "expectedVersion" });
        const body = (fields.get("body") ?? "").trim();
        if (body === "") throw new ServiceError("invalid_input", "Write a comment to go with the files.", { field: "body" });
        // The request as hashed for an Idempotency-Key: the fields and each file's hash, name and type.
        const request = { assignmentId, expectedVersion, body, files: files.map((f) => ({ name: f.name, type: f.contentType, sha256: f.sha256 })) };
        const scope = { store: deps.store, user, now: () => now, idempotencyKey: headerValue(req.headers["idempotency-key"]) };
        // The workflow's `comment` act with its files, as `POST /attachments/assignment` with action=comment: the
        // same notices, live change and audit event; the answer names the comment.
        const outbound = outboundChannelsFor(deps);
        return runSeamMutation(scope, "attachment.comment", request, async (tx) => {
          const out = await actOnAssignment(tx, user, { id: assignmentId, expectedVersion, action: { type: "comment", body }, files }, now, { outbound });
          if (out.commentId === null) throw new ServiceError("internal", "The comment was not recorded.");
          return { value: { commentId: out.commentId, version: out.value.version, attachmentIds: out.attachmentIds }, change: out.change };
        });
      },
    ),
  );

  app.post<{ Params: { assignmentId: string } }>("/attachments/assignment/:assignmentId", { bodyLimit: uploadBodyLimit }, async (req, reply) =>
    upload(
      req,
      reply,
      "POST /attachments/assignment",
      (user, { fields, files }, now) => {
        const action = assignmentActionOf(req.params.assignmentId, fields);
        // The request as hashed for an Idempotency-Key: the fields and each file's hash, name and type.
        const request = { ...action, files: files.map((f) => ({ name: f.name, type: f.contentType, sha256: f.sha256 })) };
        const scope = { store: deps.store, user, now: () => now, idempotencyKey: headerValue(req.headers["idempotency-key"]) };
        const asked = action.action;
        const outbound = outboundChannelsFor(deps);
        return runSeamMutation(scope, `assignment.${asked.type}`, request, async (tx) => {
          const out = await actOnAssignment(tx, user, { ...action, action: asked, files }, now, { outbound });
          return { value: { assignment: out.value, attachmentIds: out.attachmentIds }, change: out.change };
        });
      },
    ),
  );

  const serve = (inline: boolean) => async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = await userOf(req);
    if (user === null) return sendServiceError(reply, new ServiceError("unauthenticated", "Sign in to download files."));
    const id = positiveInt(req.params.id);
    if (id === null) return sendServiceError(reply, new ServiceError("not_found", "There is no such attachment.", { field: "id" }));
    try {
      const { attachment, bytes } = await deps.store.read((repos) => readAttachment(repos, objectStoreReaderOf(deps.db), user, id));
      const preview = inline && previewableTypes.has(attachment.contentType);
      const disposition = attachmentDisposition(attachment.name);
      return reply
        .header("Content-Type", preview ? attachment.contentType : "application/octet-stream")
        .header("Content-Disposition", preview ? disposition.replace(/^attachment/, "inline") : disposition)
        .header("Cache-Control", "private, no-store")
        .header("X-Content-Type-Options", "nosniff")
        // Nothing in a file runs: no script, no form; an image is also sandboxed (Chromium's PDF viewer refuses a
        // sandboxed document, so a PDF keeps the rest).
        .header(
          "Content-Security-Policy",
          attachment.contentType === "application/pdf"
            ? "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
            : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
        )
        .header("Digest", `sha-256=${Buffer.from(attachment.sha256, "hex").toString("base64")}`)
        .send(bytes);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return sendServiceError(reply, error);
    }
  };
  app.get<{ Params: { id: string } }>("/attachments/:id", serve(false));
  app.get<{ Params: { id: string } }>("/attachments/:id/preview", serve(true));
}

/** The multipart fields of `POST /attachments/assignment/:id`, read as the action's tRPC input is (the domain's action registry). */
function assignmentActionOf(idParam: string, fields: Map<string, string>): { id: number; expectedVersion: number; action: AssignmentRequest } {
  const type = fields.get("action") ?? "";
  if (!actionTakesFiles(type as AssignmentActionType)) {
    throw new ServiceError("invalid_input", `action must be one of ${actionsTakingFiles.join(", ")}.`, { field: "action" });
  }
  const id = positiveInt(idParam);
  if (id === null) throw new ServiceError("invalid_input", "The assignment id must be a positive integer.", { field: "assignmentId" });
  const candidate = { ...Object.fromEntries(fields), id, expectedVersion: Number(fields.get("expectedVersion") ?? "") };
  const parsed = parseActionRequest(type as AssignmentActionType, candidate);
  if (!parsed.ok) {
    const field = String(parsed.issues[0]?.path[0] ?? "action");
    throw new ServiceError("invalid_input", `The field ${field} is missing or not valid for ${type}.`, { field });
  }
  return { id: parsed.id, expectedVersion: parsed.expectedVersion, action: parsed.request };
}
