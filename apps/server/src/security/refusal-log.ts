import { boundedValue } from "./bounded-text.js";

/** One refused request of a caller who is not signed in. */
export interface AnonymousRefusal {
  /** The stable refusal code, e.g. "cross_origin". */
  code: string;
  /** "POST /trpc/assignment.comment" */
  route: string;
  ip: string | null;
  /** The request value at fault (the Origin, the content type), cut to the stored length. */
  value: string | null;
}

export interface RefusalLogOptions {
  /** Sample lines written per window, at most. */
  samplesPerWindow: number;
  windowMs: number;
  /** Where a line goes (the server log: stderr by default). */
  write: (line: string) => void;
}

export const defaultRefusalLogOptions: RefusalLogOptions = {
  samplesPerWindow: 5,
  windowMs: 60_000,
  write: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/**
 * Anonymous refusals (Origin, content type) are counted and sampled in the server log, never appended to the audit
 * trail: anyone can send them, and trail rows can never be removed (issue 18, kind 1). The log gets at most
 * `samplesPerWindow` sample lines per window plus one summary line when a window with refusals closes, so a flood
 * costs a bounded number of lines, each of bounded length (values cut to 256 characters).
 */
export class AnonymousRefusalLog {
  private readonly options: RefusalLogOptions;
  /** Counts since the server started, per refusal code. */
  readonly totals = new Map<string, number>();
  private windowStart = 0;
  private windowCount = 0;
  private windowSampled = 0;

  constructor(options: Partial<RefusalLogOptions> = {}) {
    this.options = { ...defaultRefusalLogOptions, ...options };
  }

  /** Counts one refusal; writes it as a sample if the window's budget allows. */
  record(refusal: AnonymousRefusal, now: Date): void {
    const nowMs = now.getTime();
    if (nowMs - this.windowStart >= this.options.windowMs) this.closeWindow(nowMs);
    this.totals.set(refusal.code, (this.totals.get(refusal.code) ?? 0) + 1);
    this.windowCount += 1;
    if (this.windowSampled >= this.options.samplesPerWindow) return;
    this.windowSampled += 1;
    this.options.write(
      JSON.stringify({
        msg: "anonymous request refused (sample)",
        at: now.toISOString(),
        code: refusal.code,
        route: boundedValue(refusal.route),
        ip: boundedValue(refusal.ip),
        value: boundedValue(refusal.value),
      }),
    );
  }

  /** The total count of anonymous refusals since start. */
  total(): number {
    let n = 0;
    for (const c of this.totals.values()) n += c;
    return n;
  }

  private closeWindow(nowMs: number): void {
    const suppressed = this.windowCount - this.windowSampled;
    if (suppressed > 0) {
      this.options.write(
        JSON.stringify({
          msg: "anonymous requests refused (summary)",
          windowStartedAt: new Date(this.windowStart).toISOString(),
          inWindow: this.windowCount,
          notSampled: suppressed,
          sinceStart: Object.fromEntries(this.totals),
        }),
      );
    }
    this.windowStart = nowMs;
    this.windowCount = 0;
    this.windowSampled = 0;
  }
}
