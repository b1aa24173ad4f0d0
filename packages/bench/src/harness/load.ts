import autocannon from "autocannon";
import { NotOnThisEngineError } from "./engine-gate.js";

export interface LoadResult {
  /** Completed 2xx requests (and 304s, with `notModifiedIsAnswer`) per second over the run. */
  rps: number;
  /** Of the completed requests, how many were 304 Not Modified (0 unless `notModifiedIsAnswer`). */
  notModified: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers: a load figure counts only if this is 0. */
  failures: number;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** An unmeasured run first, so that the JIT and caches are warm. */
  warmupSeconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request (e.g. the next expected version); see autocannon's `requests`. */
  requests?: autocannon.Request[];
  /** A 304 is an answer (a revalidating client), not a failure; every other 3xx still is. */
  notModifiedIsAnswer?: boolean;
  /** Called before the warm-up and before the measured run (e.g. to forget requests the last run left in flight). */
  beforeEachRun?: () => Promise<void> | void;
}

async function run(options: LoadOptions, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    method: options.method ?? "GET",
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.requests === undefined ? {} : { requests: options.requests }),
  });
}

/** autocannon at N connections from this process against a server in another process. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    await options.beforeEachRun?.();
    await run(options, options.warmupSeconds);
  }
  await options.beforeEachRun?.();
  const result = await run(options, options.seconds);
  // This server answers 501 only for a function not yet moved onto the store seam (not_on_this_engine).
  const notImplemented = result.statusCodeStats?.["501"]?.count ?? 0;
  if (notImplemented > 0) throw new NotOnThisEngineError(`${options.method ?? options.requests?.[0]?.method ?? "GET"} ${new URL(options.url).pathname} (${notImplemented} answers 501)`);
  const notModified = options.notModifiedIsAnswer === true ? (result.statusCodeStats?.["304"]?.count ?? 0) : 0;
  const ok = result["2xx"] + notModified;
  return {
    rps: ok / result.duration,
    notModified,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: ok,
    failures: result.errors + result.timeouts + result.non2xx - notModified,
    seconds: result.duration,
  };
}
