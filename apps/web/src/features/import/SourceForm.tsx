import { isBlankText, maxImportTextBytes, utf8ByteLength } from "@countersign/domain";
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

/** The document: pasted, or read from a .txt file into the same field, then sent to plan.import. */
export function SourceForm({
  onImported,
  hasReview,
  disabled,
}: {
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
  const fileId = useId();
  const textId = useId();
  const helpId = useId();
  const errorId = useId();

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setError(null);
    setFileNote(null);
    // A UTF-8 file's size in bytes is what the limit counts; refuse before reading a huge file into memory.
    if (file.size > maxImportTextBytes + 3) {
      setError(t("planImport.fileTooLarge", { name: file.name, limit: limitKb }));
      return;
    }
    try {
      const content = await readText(file);
      setText(content);
      setFileNote(t("planImport.fileRead", { name: file.name, size: Math.max(1, Math.round(file.size / 1024)) }));
    } catch {
      setError(t("planImport.fileUnreadable", { name: file.name }));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (isBlankText(text)) {
      setError(t("planImport.textMissing"));
      return;
    }
    if (utf8ByteLength(text) > maxImportTextBytes) {
      setError(t("planImport.textTooLarge", { limit: limitKb }));
      return;
    }
    setError(null);
    setPending(true);
    try {
      const draft = await trpcClient.plan.import.mutate({ text });
      onImported(text, draft);
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
          <input id={fileId} type="file" accept=".txt,text/plain" onChange={(e) => void onFile(e)} data-testid="import-file" />
          {fileNote ? (
            <p className="muted" role="status">
              {fileNote}
            </p>
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
            onChange={(e) => setText(e.target.value)}
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
          {pending ? t("planImport.reading") : hasReview ? t("planImport.readAgain") : t("planImport.read")}
        </button>
      </fieldset>
    </form>
  );
}
