import { useTranslation } from "react-i18next";
import { DownloadButton } from "../../components/DownloadButton.js";
import { useFormat } from "../../lib/format.js";

/**
 * Downloads served by the server's /export endpoints, in the reader's language and with the same overlay. Each is a
 * DownloadButton: a large plan's PDF takes seconds to prepare, and the button says so while it works.
 */
export function ExportLinks({ planId, withStatus }: { planId: number; withStatus: boolean }) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const query = new URLSearchParams({ plan: String(planId), lang: language, status: withStatus ? "1" : "0" }).toString();
  const divisionQuery = new URLSearchParams({ plan: String(planId), lang: language }).toString();
  return (
    <>
      <DownloadButton href={`/export/matrix.xlsx?${query}`} label={t("matrix.exportXlsx")} fallbackName="matrix.xlsx" testId="export-matrix-xlsx" />
      <DownloadButton href={`/export/matrix.csv?${query}`} label={t("matrix.exportCsv")} fallbackName="matrix.csv" testId="export-matrix-csv" />
      <DownloadButton href={`/export/matrix.pdf?${query}`} label={t("matrix.exportPdf")} fallbackName="matrix.pdf" testId="export-matrix-pdf" />
      <DownloadButton href={`/export/division.xlsx?${divisionQuery}`} label={t("matrix.exportDivision")} fallbackName="division.xlsx" testId="export-division-xlsx" />
      <DownloadButton href={`/export/division.pdf?${divisionQuery}`} label={t("matrix.exportDivisionPdf")} fallbackName="division.pdf" testId="export-division-pdf" />
    </>
  );
}

/** The progress report (per measure and department, as of today) for the lead ministry's reporting. */
export function ProgressExportLinks({ planId }: { planId: number }) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const query = new URLSearchParams({ plan: String(planId), lang: language }).toString();
  return (
    <fieldset className="plain-fieldset export-links no-print">
      <legend className="visually-hidden">{t("matrix.exports")}</legend>
      <DownloadButton href={`/export/progress.xlsx?${query}`} label={t("tracking.exportProgressXlsx")} fallbackName="progress.xlsx" testId="export-progress-xlsx" />
      <DownloadButton href={`/export/progress.pdf?${query}`} label={t("tracking.exportProgressPdf")} fallbackName="progress.pdf" testId="export-progress-pdf" />
    </fieldset>
  );
}
