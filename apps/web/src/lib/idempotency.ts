// Idempotency-Key for the web's actions (docs/api.md): one key per intent of the user, so that a double submission
// or a retry after a lost answer gets the server's first answer instead of a conflict, and changes nothing twice.
import { useRef } from "react";

/** The tRPC operation context a mutation passes to carry its key: `mutate(input, { context: idempotent(key) })`. */
export function idempotent(key: string): { idempotencyKey: string } {
  return { idempotencyKey: key };
}

/** The header the mutation link sends for an operation's context, if it carries a key. */
export function idempotencyHeaders(context: Readonly<Record<string, unknown>>): Record<string, string> {
  const key = context["idempotencyKey"];
  return typeof key === "string" && key !== "" ? { "Idempotency-Key": key } : {};
}

/**
 * Keys for one place where the user acts (a dialog, a form). The same request sent again carries the same key: a
 * double click, or pressing the button again after the answer was lost. A different request (the text edited after
 * a refusal, another assignment) gets a fresh key, as does anything after `reset()`, called when a dialog opens and
 * after a success (a new intent, even with the same words).
 */
export class IntentKeys {
  private last: { request: string; key: string } | null = null;
  private readonly newKey: () => string;

  constructor(newKey: () => string = () => crypto.randomUUID()) {
    this.newKey = newKey;
  }

  keyFor(request: unknown): string {
    const serialized = JSON.stringify(request);
    if (this.last !== null && this.last.request === serialized) return this.last.key;
    this.last = { request: serialized, key: this.newKey() };
    return this.last.key;
  }

  reset(): void {
    this.last = null;
  }
}

/** The component's own IntentKeys, kept across renders. */
export function useIntentKeys(): IntentKeys {
  const keys = useRef<IntentKeys | null>(null);
  keys.current ??= new IntentKeys();
  return keys.current;
}
