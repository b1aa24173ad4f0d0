import { useId, useState } from "react";
import type { DragEvent } from "react";
import { useTranslation } from "react-i18next";

/** The types the server accepts (attachment-rules.ts); the server checks the bytes again. */
export const acceptedFileTypes = "application/pdf,image/png,image/jpeg,image/webp,image/gif,.docx,.xlsx,.pptx,.doc,.xls,.ppt";

/**
 * Files to attach (佐证材料): dropped on the zone or chosen with the button (several at once), listed with a button
 * to remove each. Keyboard users use the file input; the list and its remove buttons are named for screen readers.
 */
export function FileDrop({ files, onChange, disabled = false }: { files: readonly File[]; onChange: (files: File[]) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const add = (list: FileList | null) => {
    if (list === null) return;
    // Copied now: the input's FileList empties when its value is reset, before React runs the update.
    onChange([...files, ...Array.from(list)]);
  };
  const onDrop = (e: DragEvent<HTMLFieldSetElement>) => {
    e.preventDefault();
    setDragging(false);
    if (!disabled) add(e.dataTransfer.files);
  };
  return (
    <fieldset
      className="field"
      onDragOver={(e) => {
        if (disabled) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="file-drop"
    >
      <legend>{t("files.legend")}</legend>
      <div className={dragging ? "drop-zone drop-zone-active" : "drop-zone"}>
        <p id={`${id}-help`}>{t("files.help")}</p>
        <label htmlFor={`${id}-input`}>{t("files.choose")}</label>{" "}
        <input
          id={`${id}-input`}
          type="file"
          multiple
          disabled={disabled}
          accept={acceptedFileTypes}
          aria-describedby={`${id}-help`}
          onChange={(e) => {
            add(e.target.files);
            e.target.value = "";
          }}
        />
        {files.length > 0 ? (
          <ul className="file-list" data-testid="chosen-files">
            {files.map((f, i) => (
              <li key={`${f.name}-${i}`}>
                {f.name} ({Math.ceil(f.size / 1024)} KB){" "}
                <button
                  type="button"
                  className="button button-small"
                  disabled={disabled}
                  onClick={() => onChange(files.filter((_, j) => j !== i))}
                  aria-label={t("files.remove", { name: f.name })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </fieldset>
  );
}

/** A stored file as the API lists it: download, and preview for PDF and images. */
export interface StoredFileLink {
  id: number;
  name: string;
  contentType: string;
  sizeBytes: number;
  supersededById: number | null;
}

/** The files of one act: each downloads, PDFs and images also preview in a new tab; a superseded one says so. */
export function StoredFiles({ files }: { files: readonly StoredFileLink[] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <ul className="file-list" aria-label={t("files.attached")}>
      {files.map((f) => (
        <li key={f.id} data-attachment-id={f.id}>
          <a href={`/attachments/${f.id}`} download>
            {f.name}
          </a>{" "}
          ({Math.ceil(f.sizeBytes / 1024)} KB){" "}
          {f.contentType === "application/pdf" || f.contentType.startsWith("image/") ? (
            <a href={`/attachments/${f.id}/preview`} target="_blank" rel="noopener noreferrer" aria-label={t("files.previewOf", { name: f.name })}>
              {t("files.preview")}
            </a>
          ) : null}
          {f.supersededById !== null ? <span className="muted"> {t("files.superseded")}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Upload progress, announced politely. */
export function UploadProgress({ percent }: { percent: number | null }) {
  const { t } = useTranslation();
  if (percent === null) return null;
  return (
    <p role="status">
      <progress max={100} value={percent} aria-label={t("files.uploading", { percent })} /> {t("files.uploading", { percent })}
    </p>
  );
}
