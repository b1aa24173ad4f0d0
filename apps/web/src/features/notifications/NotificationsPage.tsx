import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { QueryError } from "../../components/QueryError.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";

type Notice = RouterOutputs["notification"]["list"]["items"][number];
const kinds = [
  "round.opened",
  "round.due_soon",
  "round_report.returned",
  "round_report.reminded",
  "round_report.approval_requested",
  "round_report.rejected",
  "assignment.event",
  "cascade.forwarded",
  "level_report.asked",
  "level_report.returned",
  "level_report.awaiting_sign_off",
] as const;

/** The words of a notice in the reader's language. */
export function useNoticeText(): (n: Notice) => string {
  const { t, i18n } = useTranslation();
  return (n) => {
    const kind = kinds.find((k) => k === n.kind) ?? "assignment.event";
    const params: Record<string, string | number> = Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, v ?? ""]));
    if (kind === "assignment.event") {
      // The workflow event in the reader's words (an assignment, a reminder, a return …), and the act's words if any.
      const event = String(n.params["event"] ?? "");
      if (i18n.exists(`event.${event}`)) params["event"] = t(`event.${event}` as "event.assignment.issued");
      const words = n.params["text"];
      if (typeof words === "string" && words.trim() !== "") return t("notifications.kind_assignment_event_words", params);
    }
    const key = `notifications.kind_${kind.replace(/\./g, "_")}` as "notifications.kind_round_opened";
    return t(key, params);
  };
}

/** The notification centre: newest first, each linking to its item; mark one or all read. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const text = useNoticeText();
  const queryClient = useQueryClient();
  usePageTitle(t("notifications.title"));
  const list = useQuery(trpc.notification.list.queryOptions({ limit: 50, before: null }));
  const mark = useMutation(
    trpc.notification.markRead.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.notification.pathKey() });
        // A notice of an assignment read here reads the inbox's mark of it too (one unread state).
        void queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
      },
    }),
  );
  return (
    <section className="page" aria-labelledby="notices-title">
      <div className="page-header">
        <h1 id="notices-title">{t("notifications.title")}</h1>
        {list.data !== undefined && list.data.unread > 0 ? (
          <button type="button" className="button button-small" onClick={() => mark.mutate({ ids: null })} disabled={mark.isPending}>
            {t("notifications.markAllRead")}
          </button>
        ) : null}
      </div>
      {list.isError ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data === undefined ? (
        <p className="loading">{t("app.loading")}</p>
      ) : list.data.items.length === 0 ? (
        <p>{t("notifications.none")}</p>
      ) : (
        <ul className="notice-list" data-testid="notice-list">
          {list.data.items.map((n) => (
            <li key={n.id} data-read={n.read ? "1" : "0"}>
              {n.read ? null : <strong>{t("notifications.unread")}: </strong>}
              <Link href={n.link} onClick={() => (n.read ? undefined : mark.mutate({ ids: [n.id] }))}>
                {text(n)}
              </Link>{" "}
              <span>{format.dateTime(n.createdAt)}</span>{" "}
              {n.read ? null : (
                <button type="button" className="button button-small" onClick={() => mark.mutate({ ids: [n.id] })} aria-label={`${t("notifications.markRead")}: ${text(n)}`}>
                  {t("notifications.markRead")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
