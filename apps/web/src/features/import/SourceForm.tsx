import { isBlankText, maxImportFileBytes, maxImportTextBytes, utf8ByteLength } from "@countersign/domain";
import { useId, useState } from "react";
import type { ChangeEvent, FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { useDraft } from "../../lib/drafts.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { trpcClient } from "../../trpc.js";
import type { ImportedDraft } from "./model.js";

const limitKb = Math.round(maxImportTextBytes / 1024);

/** Reads a File as UTF-8 text (FileReader: no stream API needed, works in every browser we support). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === "string" ? resolve(reader.result) : reject(new Error("not text")));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsText(file, "UTF-8");
  });
}

/** A File's bytes as base64 (FileReader's data URL without its prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === "string" ? reader.result : "";
      const comma = url.indexOf(",");
      if (comma < 0) reject(new Error("unreadable"));
      else resolve(url.slice(comma + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsDataURL(file);
  });
}

/**
 * The document: pasted, or a .txt file read into the same field; or a .docx, .pdf, .xlsx or .csv file (or a .txt
 * over the text limit) sent as a file, which the server reads (judging its type by its content). Then plan.import.
 */
export function SourceForm({
  onImported,
  hasReview,
  disabled,
}: {
  /** `text`: what the spans point into (the pasted text, or the text the server read from the file). */
  onImported: (text: string, draft: ImportedDraft) => void;
  hasReview: boolean;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  // Kept in sessionStorage as typed: an expired session or a reload does not lose a pasted document.
  const [text, setText] = useDraft("plan-import.text");
  const [error, setError] = useState<string | null>(null);
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const fileId = useId();
  const textId = useId();
  const helpId = useId();
  const errorId = useId();

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setError(null);
    setFileNote(null);
    setFile(null);
    if (chosen.size > maxImportFileBytes) {
      setError(t("planImport.fileTooLargeAny", { name: chosen.name, limit: maxImportFileBytes / 1024 / 1024 }));
      return;
    }
    const size = Math.max(1, Math.round(chosen.size / 1024));
    // A small .txt goes into the text field, where it can be read and edited; anything else is sent as a file.
    if (/\.txt$/i.test(chosen.name) && chosen.size <= maxImportTextBytes + 3) {
      try {
        setText(await readText(chosen));
        setFileNote(t("planImport.fileRead", { name: chosen.name, size }));
      } catch {
        setError(t("planImport.fileUnreadable", { name: chosen.name }));
      }
      return;
    }
    setFile(chosen);
    setFileNote(t("planImport.fileReady", { name: chosen.name, size }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (file === null) {
      if (isBlankText(text)) {
        setError(t("planImport.textMissing"));
        return;
      }
      if (utf8ByteLength(text) > maxImportTextBytes) {
        setError(t("planImport.textTooLarge", { limit: limitKb }));
        return;
      }
    }
    setError(null);
    setPending(true);
    try {
      if (file !== null) {
        let contentBase64: string;
        try {
          contentBase64 = await readBase64(file);
        } catch {
          setError(t("planImport.fileUnreadable", { name: file.name }));
          return;
        }
        const draft = await trpcClient.plan.import.mutate({ file: { name: file.name, contentBase64 } });
        onImported(draft.sourceText ?? "", draft);
      } else {
        const draft = await trpcClient.plan.import.mutate({ text });
        onImported(text, draft);
      }
    } catch (e) {
      if (!isExpiredSession(e)) setError(describeError(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={t("planImport.sourceTitle")}>
      <fieldset className="plain-fieldset" disabled={disabled || pending}>
        <div className="field">
          <label htmlFor={fileId}>{t("planImport.file")}</label>
          <input
            id={fileId}
            type="file"
            accept=".txt,.docx,.pdf,.xlsx,.csv,text/plain,text/csv,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => void onFile(e)}
            data-testid="import-file"
          />
          {fileNote ? (
            <p className="muted" role="status" data-testid="import-file-note">
              {fileNote}
            </p>
          ) : null}
          {file !== null ? (
            <button type="button" className="button" onClick={() => { setFile(null); setFileNote(null); }}>
              {t("planImport.clearFile")}
            </button>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={textId}>
            {t("planImport.text")}
            <span className="required-mark">({t("field.required")})</span>
          </label>
          <textarea
            id={textId}
            className="import-source"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              // Typing means the text field is the document again.
              if (file !== null) {
                setFile(null);
                setFileNote(null);
              }
            }}
            rows={12}
            spellCheck={false}
            aria-describedby={error ? `${helpId} ${errorId}` : helpId}
            aria-invalid={error ? true : undefined}
          />
          <p id={helpId} className="muted">
            {t("planImport.textHelp", { limit: limitKb })}
          </p>
        </div>
        <ErrorNotice error={error} id={errorId} />
        <button type="submit" className="button button-primary">
          {pending ? t("planImport.reading") : file !== null ? t("planImport.readFile") : hasReview ? t("planImport.readAgain") : t("planImport.read")}
        </button>
      </fieldset>
    </form>
  );
}
