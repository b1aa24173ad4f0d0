import { useQuery } from "@tanstack/react-query";
import { trpc } from "../../trpc.js";

/** The signed-in account's unread notices, polled every 30 s (the navigation's count; NotificationsPage refreshes it). */
export function useUnreadCount(): number {
  const q = useQuery({ ...trpc.notification.unreadCount.queryOptions(), refetchInterval: 30_000 });
  return q.data ?? 0;
}
