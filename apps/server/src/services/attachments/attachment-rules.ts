/**
 * What an attachment may be (issue 14, point 1): the limits, the types allowed (told by the bytes, not by the name or
 * the declared type) and the file name. docs/security.md states the same limits.
 */
import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { ServiceError } from "../../errors.js";

/** Largest file, in bytes (10 MiB: a scanned notice of a few dozen pages). */
export const maxAttachmentBytes = 10 * 1024 * 1024;
/** Largest total of one act's files, in bytes. */
export const maxActAttachmentBytes = 25 * 1024 * 1024;
/** Most files on one act. */
export const maxAttachmentsPerAct = 10;
/** Longest file name, in characters. */
export const maxAttachmentNameLength = 200;

/** Types allowed, as file-type names them, with the extensions a name may carry for each. */
export const allowedAttachmentTypes: Readonly<Record<string, readonly string[]>> = {
  "application/pdf": ["pdf"],
  "image/png": ["png"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/webp": ["webp"],
  "image/gif": ["gif"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
  // Word 97–2003 and Excel 97–2003 files (OLE compound files).
  "application/x-cfb": ["doc", "xls", "ppt"],
};

/** Types shown inline in the browser (preview); every other type downloads. */
export const previewableTypes: ReadonlySet<string> = new Set(["application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif"]);

/**
 * A file checked by `checkUpload`: only that function makes one, so nothing unchecked reaches a store.
 */
export interface IncomingFile {
  readonly checked: true;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
  readonly sizeBytes: number;
  /** Hex SHA-256. */
  readonly sha256: string;
  /** Set by `stageFiles` (attachment-store.ts): the store holding the bytes, and the key it answered (null: none yet). */
  readonly storage?: string;
  readonly storageKey?: string | null;
}

/**
 * The file name as stored: Unicode NFC, trimmed. Refused (`bad_file_name`, 400): empty, longer than
 * `maxAttachmentNameLength`, a path (`/`, `\`, a `..` segment, a drive `C:`), control characters, or a name made
 * only of dots. A path is refused rather than cut, so that the sender learns the server never writes by name.
 */
export function sanitiseFileName(raw: string): string {
  const name = raw.normalize("NFC").trim();
  const refuse = (why: string): never => {
    throw new ServiceError("bad_file_name", `The file name ${JSON.stringify(raw.slice(0, 80))} ${why}.`, { field: "name" });
  };
  if (name === "") refuse("is empty");
  if (name.length > maxAttachmentNameLength) refuse(`is longer than ${maxAttachmentNameLength} characters`);
  if (/[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) refuse("contains a path; send the file's own name only");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse("contains control characters");
  if (/^\.+$/.test(name)) refuse("is not a file name");
  return name;
}

/**
 * Checks one uploaded file and returns it ready to store. Errors (each a 4xx, nothing stored):
 * `bad_file_name` (400), `attachment_too_large` (413, over `maxAttachmentBytes`), `attachment_type_not_allowed`
 * (415: the bytes are of no allowed type), `attachment_type_mismatch` (415: the declared type or the name's extension
 * says otherwise than the bytes).
 *
 * @param declaredType the Content-Type the client sent with the file (`application/octet-stream` or empty: none)
 */
export async function checkUpload(rawName: string, declaredType: string, bytes: Buffer): Promise<IncomingFile> {
  const name = sanitiseFileName(rawName);
  if (bytes.length > maxAttachmentBytes) {
    throw new ServiceError("attachment_too_large", `${name} is larger than ${maxAttachmentBytes / 1024 / 1024} MiB.`, { field: "file" });
  }
  if (bytes.length === 0) throw new ServiceError("attachment_type_not_allowed", `${name} is empty.`, { field: "file" });
  const found = await fileTypeFromBuffer(bytes);
  const type = found?.mime ?? null;
  const extensions = type === null ? undefined : allowedAttachmentTypes[type];
  if (type === null || extensions === undefined) {
    throw new ServiceError(
      "attachment_type_not_allowed",
      `${name} is not a PDF, image (PNG, JPEG, WebP, GIF) or Office document by its content; only those are accepted.`,
      { field: "file" },
    );
  }
  const declared = declaredType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (declared !== "" && declared !== "application/octet-stream" && declared !== type) {
    throw new ServiceError("attachment_type_mismatch", `${name} was sent as ${declared}, but its content is ${type}.`, { field: "file" });
  }
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  if (extension !== "" && !extensions.includes(extension)) {
    throw new ServiceError("attachment_type_mismatch", `${name} is named .${extension}, but its content is ${type}.`, { field: "file" });
  }
  return { checked: true, name, contentType: type, bytes, sizeBytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Refuses more files, or more bytes, on one act than allowed (`too_many_attachments` 400, `attachment_too_large` 413). */
export function checkActFiles(files: readonly { sizeBytes: number }[]): void {
  if (files.length > maxAttachmentsPerAct) {
    throw new ServiceError("too_many_attachments", `Attach at most ${maxAttachmentsPerAct} files to one act.`, { field: "files" });
  }
  const total = files.reduce((sum, f) => sum + f.sizeBytes, 0);
  if (total > maxActAttachmentBytes) {
    throw new ServiceError("attachment_too_large", `The files of one act may total at most ${maxActAttachmentBytes / 1024 / 1024} MiB.`, { field: "files" });
  }
}
