import type { SessionUser } from "../auth/session.js";

export function MeasurePage(_props: { user: SessionUser; number?: string }) {
  return null;
}
