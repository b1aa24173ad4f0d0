import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format.js";

export interface SessionRow {
  ref: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** Open sessions with an "End session" button each. */
export function SessionsTable({ sessions, onEnd, pending }: { sessions: readonly SessionRow[]; onEnd: (ref: string) => void; pending: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (sessions.length === 0) return <p className="muted">{t("people.noSessions")}</p>;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="sessions">
        <thead>
          <tr>
            <th scope="col">{t("people.sessionStarted")}</th>
            <th scope="col">{t("people.sessionLastSeen")}</th>
            <th scope="col">{t("people.sessionAddress")}</th>
            <th scope="col">{t("people.sessionBrowser")}</th>
            <th scope="col">{t("people.colActions")}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.ref} data-session={s.ref}>
              <td>
                {format.dateTime(s.createdAt)}
                {s.current ? <strong> · {t("people.thisSession")}</strong> : null}
              </td>
              <td>{format.dateTime(s.lastSeenAt)}</td>
              <td>{s.ip ?? t("common.none")}</td>
              <td className="muted">{s.userAgent?.slice(0, 80) ?? t("common.none")}</td>
              <td>
                <button type="button" className="button button-small" onClick={() => onEnd(s.ref)} disabled={pending}>
                  {t("people.endSession")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
