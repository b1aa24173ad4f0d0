import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format.js";

/** Downloads served by the server's /export endpoints, in the reader's language and with the same overlay. */
export function ExportLinks({ planId, withStatus }: { planId: number; withStatus: boolean }) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const query = new URLSearchParams({ plan: String(planId), lang: language, status: withStatus ? "1" : "0" }).toString();
  const divisionQuery = new URLSearchParams({ plan: String(planId), lang: language }).toString();
  return (
    <>
      <a className="button" href={`/export/matrix.xlsx?${query}`} download>
        {t("matrix.exportXlsx")}
      </a>
      <a className="button" href={`/export/matrix.csv?${query}`} download>
        {t("matrix.exportCsv")}
      </a>
      <a className="button" href={`/export/matrix.pdf?${query}`} download>
        {t("matrix.exportPdf")}
      </a>
      <a className="button" href={`/export/division.xlsx?${divisionQuery}`} download>
        {t("matrix.exportDivision")}
      </a>
      <a className="button" href={`/export/division.pdf?${divisionQuery}`} download>
        {t("matrix.exportDivisionPdf")}
      </a>
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
      <a className="button" href={`/export/progress.xlsx?${query}`} download>
        {t("tracking.exportProgressXlsx")}
      </a>
      <a className="button" href={`/export/progress.pdf?${query}`} download>
        {t("tracking.exportProgressPdf")}
      </a>
    </fieldset>
  );
}
