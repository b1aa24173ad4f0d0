/** One undelivered outbound message as the dispatcher reads it (see `OutboxRow` for how it was written). */
export interface OutboxDelivery {
  id: number;
  channel: string;
  /** The idempotency id a receiver sees. */
  eventId: string;
  type: string;
  /** The webhook's JSON body, or the email's message (JSON: to, subject, text, eventId). */
  payload: string;
  /** Failed attempts so far (a delivered row counts its successful one too). */
  attempts: number;
  /** UTC ISO time before which the row is not tried: its back-off after a failure, or the lease of its claim. */
  nextAttemptAt: string;
}

/** What a failed attempt leaves on its row: the next try's time (the back-off), the receiver's status, the error. */
export interface OutboxFailure {
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string;
}

/**
 * The durable outbox as its dispatcher reads and marks it (apps/server services/notifications/outbox-dispatcher.ts;
 * the rows are written by `NoticesRepo.enqueueOutbox` in the act's unit of work). Several server instances on one
 * database run a dispatcher each: a row is sent only by the instance whose `claim` changed it, and its result is
 * written only while that claim still holds, so two instances never send the same row at once.
 */
export interface OutboxRepo {
  /** The oldest undelivered rows of `channel`, in id order (the order of delivery), at most `limit`. */
  undelivered(channel: string, limit: number): Promise<OutboxDelivery[]>;
  /**
   * Claims one row for one attempt until `leaseUntil` (UTC ISO): applies only if the row is still undelivered and
   * still has the `nextAttemptAt` that was read (a conditional update: of two instances racing, one changes it).
   * Returns whether this caller holds the claim.
   */
  claim(id: number, seenNextAttemptAt: string, leaseUntil: string): Promise<boolean>;
  /** Marks a claimed row delivered; false (nothing written) when the claim `leaseUntil` no longer holds. */
  markDelivered(id: number, leaseUntil: string, result: { deliveredAt: string; attempts: number; lastStatus: number | null }): Promise<boolean>;
  /** Records a failed attempt of a claimed row; false (nothing written) when the claim `leaseUntil` no longer holds. */
  markFailed(id: number, leaseUntil: string, failure: OutboxFailure): Promise<boolean>;
}
