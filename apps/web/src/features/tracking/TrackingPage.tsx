import type { SessionUser } from "../auth/session.js";

export function TrackingPage(_props: { user: SessionUser; number?: string }) {
  return null;
}
