/** How long a session lives: idle expiry, absolute expiry, and how often its last-seen time is written. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** Write `last_seen_at` at most this often, so that reads do not each cost a write. */
  touchAfterMs: number;
}

export const defaultSessionPolicy: SessionPolicy = {
  idleMs: 2 * 60 * 60 * 1000,
  absoluteMs: 12 * 60 * 60 * 1000,
  touchAfterMs: 60 * 1000,
};

export const sessionCookieName = "countersign_session";
