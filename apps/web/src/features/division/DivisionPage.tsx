import type { SessionUser } from "../auth/session.js";

export function DivisionPage(_props: { user: SessionUser; number?: string }) {
  return null;
}
