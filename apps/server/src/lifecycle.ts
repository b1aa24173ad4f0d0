import type { Socket } from "node:net";
import type { FastifyRequest } from "fastify";

/** How long a shutdown lets requests in flight finish before it cuts them off (SHUTDOWN_DRAIN_SECONDS, default 10). */
export const defaultDrainTimeoutMs = 10_000;

/**
 * The server's running state as the HTTP layer sees it: serving, or draining for a shutdown. Counts the requests in
 * flight (live streams apart: they never finish by themselves and are ended by the shutdown), so that a shutdown can
 * wait for them. One per server process; `buildApp` makes one when none is given.
 */
export class Lifecycle {
  private drainingSince: Date | null = null;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private readonly tracked = new WeakSet<FastifyRequest>();
  /** Each tracked request's listener on its connection's close, removed when it is untracked. */
  private readonly onGone = new WeakMap<FastifyRequest, { socket: Socket; listener: () => void }>();

  /** True once a shutdown has begun: `/ready` answers 503 and new requests are refused. */
  draining(): boolean {
    return this.drainingSince !== null;
  }

  beginDrain(now: Date = new Date()): void {
    this.drainingSince ??= now;
  }

  /** Requests started and not yet answered (or abandoned by their client). */
  requestsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Counts one request until `untrack` (its answer sent, or its client gone), or until its connection closes: a
   * client that leaves after sending the whole request gets neither Fastify's onResponse nor its onRequestAbort, and
   * a shutdown would otherwise wait its whole drain for it. The listener is on the connection (removed again at
   * `untrack`, so a kept-alive connection does not gather them) rather than on the response, where a streamed
   * answer's pipe adds its own and one more passes Node's leak warning at 10.
   */
  track(req: FastifyRequest): void {
    if (this.tracked.has(req)) return;
    this.tracked.add(req);
    this.inFlight += 1;
    const socket: Socket | undefined = req.raw.socket;
    if (socket === undefined || socket === null) return;
    const listener = (): void => this.untrack(req);
    socket.once("close", listener);
    this.onGone.set(req, { socket, listener });
  }

  untrack(req: FastifyRequest): void {
    if (!this.tracked.delete(req)) return;
    const gone = this.onGone.get(req);
    if (gone !== undefined) {
      gone.socket.off("close", gone.listener);
      this.onGone.delete(req);
    }
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /**
   * Resolves true once no request is in flight, or false after `timeoutMs` milliseconds with some still running.
   */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = this.idle.filter((r) => r !== onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idle.push(onIdle);
    });
  }
}
