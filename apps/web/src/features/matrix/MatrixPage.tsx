import type { SessionUser } from "../auth/session.js";

export function MatrixPage(_props: { user: SessionUser; number?: string }) {
  return null;
}
