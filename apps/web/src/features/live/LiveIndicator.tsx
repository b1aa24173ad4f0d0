import { useQueryClient } from "@tanstack/react-query";
import type { Query } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../trpc.js";

// Queries that no change of an assignment can alter.
const unaffected = new Set(["auth.me", "catalog.departments"]);

function procedurePath(query: Query): string {
  const first = query.queryKey[0];
  return Array.isArray(first) ? first.join(".") : "";
}

/**
 * Listens to the server's `live.changes` stream (tRPC subscription over server-sent events) and marks the
 * affected queries stale. A change to one assignment alters counts, the countersign strip of every department
 * on that measure, the grid and the matrix overlay; only queries on screen refetch, so staling them all is cheap.
 *
 * Across a dropped connection nothing is lost twice over: the link reconnects with the last event id it saw and the
 * server replays what was missed (or says `resync`), and on every reconnect the page refetches what it shows anyway,
 * since a change may have been missed while no stream was open at all (issue 12).
 */
export function LiveIndicator() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refetchShown = useCallback(
    () => void queryClient.invalidateQueries({ predicate: (query) => !unaffected.has(procedurePath(query)) }),
    [queryClient],
  );
  const subscription = useSubscription(
    trpc.live.changes.subscriptionOptions(undefined, {
      onData: refetchShown,
    }),
  );
  // "pending" is tRPC's word for an open stream; a later "pending" after any other state is a reconnect.
  const wasOpen = useRef(false);
  const open = subscription.status === "pending";
  useEffect(() => {
    if (!open) return;
    if (wasOpen.current) refetchShown();
    wasOpen.current = true;
  }, [open, refetchShown]);
  const live = subscription.status === "pending";
  const text =
    subscription.status === "pending" ? t("live.connected") : subscription.status === "error" ? t("live.disconnected") : t("live.connecting");
  return (
    <span className={`live-indicator ${live ? "live-on" : "live-off"}`} data-live-status={subscription.status}>
      <span aria-hidden="true">{live ? "●" : "○"}</span> {text}
    </span>
  );
}
