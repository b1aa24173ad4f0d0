import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { usePageTitle } from "../../app/usePageTitle.js";
import { QueryError } from "../../components/QueryError.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";

/** The outbox's delivery log, for administrators: what went to the office's systems, and what is still trying. */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  usePageTitle(t("notifications.deliveriesTitle"));
  const log = useQuery({ ...trpc.notification.deliveries.queryOptions({ limit: 200 }), refetchInterval: 10_000 });
  return (
    <section className="page" aria-labelledby="deliveries-title">
      <h1 id="deliveries-title">{t("notifications.deliveriesTitle")}</h1>
      <p>{t("notifications.deliveriesIntro")}</p>
      {log.isError ? <QueryError error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.data === undefined ? (
        <p className="loading">{t("app.loading")}</p>
      ) : log.data.length === 0 ? (
        <p>{t("notifications.deliveriesNone")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("notifications.created")}</th>
                <th scope="col">{t("notifications.channel")}</th>
                <th scope="col">{t("notifications.event")}</th>
                <th scope="col">{t("notifications.eventId")}</th>
                <th scope="col">{t("notifications.attempts")}</th>
                <th scope="col">{t("notifications.delivered")}</th>
                <th scope="col">{t("notifications.lastError")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((d) => (
                <tr key={d.id}>
                  <td>{format.dateTime(d.createdAt)}</td>
                  <td>{d.channel}</td>
                  <td>{d.type}</td>
                  <td>
                    <code>{d.eventId}</code>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.deliveredAt === null ? t("notifications.pending", { at: format.dateTime(d.nextAttemptAt) }) : format.dateTime(d.deliveredAt)}</td>
                  <td>{d.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
