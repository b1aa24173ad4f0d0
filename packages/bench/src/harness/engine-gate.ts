/**
 * "Not available on PostgreSQL yet" (issue 13): while the services move onto the store seam, a procedure still on
 * the synchronous SQLite handle answers HTTP 501 with the refusal code `not_on_this_engine` on PostgreSQL. A stage
 * that meets such an answer is reported as not available, never with a figure and never as a crash.
 */
export class NotOnThisEngineError extends Error {
  /** `what`: the procedure or route refused; `message`: instead of the 501 wording, when the refusal was another sign. */
  constructor(
    readonly what: string,
    message?: string,
  ) {
    super(message ?? `${what} is not available on PostgreSQL yet (501 not_on_this_engine)`);
    this.name = "NotOnThisEngineError";
  }
}

/** The server's answer to a function not yet moved onto the seam: 501 with `not_on_this_engine` in the body. */
export function refusedOnThisEngine(status: number, body: string): boolean {
  return status === 501 && body.includes("not_on_this_engine");
}

/**
 * Whether a stage's failure is a 501 `not_on_this_engine`: our own error, or a stage's error message quoting such an
 * answer (the stages put the status and the body's start in their messages).
 */
export function isNotOnThisEngine(error: unknown): boolean {
  if (error instanceof NotOnThisEngineError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /\b501\b/.test(message) && message.includes("not_on_this_engine");
}
