import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useAnnounce } from "../lib/announcer.js";
import { fileNameFromDisposition } from "../lib/download.js";

/**
 * A download that may take seconds to prepare (a large PDF or workbook is built on request): the button says it is
 * working (aria-busy, "Preparing…" beside it in a status region a screen reader reads politely) and ignores further
 * presses until the file has arrived, then saves it under the server's file name. aria-disabled rather than
 * disabled, so that keyboard focus stays on the button while it works. A failure is announced as an error.
 */
export function DownloadButton({ href, label, fallbackName, testId }: { href: string; label: string; fallbackName: string; testId?: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [working, setWorking] = useState(false);
  // A ref as well as state: two clicks in one frame both see the state before either re-render.
  const busy = useRef(false);

  async function download(): Promise<void> {
    if (busy.current) return;
    busy.current = true;
    setWorking(true);
    try {
      const response = await fetch(href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileNameFromDisposition(response.headers.get("content-disposition")) ?? fallbackName;
      document.body.append(link);
      link.click();
      link.remove();
      // The browser has taken the file by the time the click returns; freed a little later all the same.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      announce(t("matrix.exportFailed", { reason: error instanceof Error ? error.message : String(error) }), "error");
    } finally {
      busy.current = false;
      setWorking(false);
    }
  }

  return (
    <span className="download">
      <button
        type="button"
        className="button"
        aria-busy={working}
        aria-disabled={working}
        data-testid={testId}
        onClick={() => void download()}
      >
        {label}
      </button>
      <span role="status" className="download-status">
        {working ? t("matrix.preparing") : ""}
      </span>
    </span>
  );
}
