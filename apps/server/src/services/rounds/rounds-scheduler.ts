import type { AnyStore } from "@countersign/db";
import type { OutboundChannels } from "../notifications/notify.js";
import { tickRounds } from "./close-round.js";
import type { RoundTick } from "./close-round.js";

export interface RoundsScheduler {
  /** Runs one tick now (after the one running, if any); resolves with what it did. */
  tick(): Promise<RoundTick>;
  /** Stops the timer and waits for a tick under way. */
  stop(): Promise<void>;
}

export interface RoundsSchedulerOptions {
  /** Milliseconds between ticks (`ROUNDS_TICK_SECONDS`, default 300 s). */
  intervalMs: number;
  now: () => Date;
  /** The outbound channels of the notices a tick writes, read at each tick (they may be configured after start). */
  channels: () => OutboundChannels;
  /** Where a failed tick is told (it is tried again at the next one). */
  onError?: (error: unknown) => void;
}

/**
 * The reporting rounds' scheduler on the store seam, on either engine: every `intervalMs` it rolls over the rounds
 * whose next period has started and sends the "due soon" notices (`tickRounds`). Every server instance runs one;
 * two instances ticking at once close a round once and notify once (conditional updates, see `tickRound`).
 * Ticks never overlap within an instance. The timer does not keep the process alive.
 */
export function startRoundsScheduler(store: AnyStore, options: RoundsSchedulerOptions): RoundsScheduler {
  // Ticks run one after another: `chain` settles when the last one asked for has.
  let chain: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const tick = (): Promise<RoundTick> => {
    pending += 1;
    const next = chain.then(() => tickRounds(store, options.now(), options.channels()));
    chain = next.catch(() => undefined).finally(() => {
      pending -= 1;
    });
    return next;
  };
  const timer = setInterval(() => {
    if (pending > 0) return;
    tick().catch((error: unknown) => {
      if (options.onError !== undefined) options.onError(error);
      else process.stderr.write(`rounds tick failed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }, options.intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await chain;
    },
  };
}

/** The interval between ticks from `ROUNDS_TICK_SECONDS` (default 300); refuses a value that is not a positive number. */
export function roundsTickIntervalMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env["ROUNDS_TICK_SECONDS"] ?? 300);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error("ROUNDS_TICK_SECONDS must be a positive number of seconds.");
  return seconds * 1000;
}
