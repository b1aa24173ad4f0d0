/**
 * How far V8 lets the server's heap grow past what is live before it collects the old generation.
 *
 * V8 sizes the next old-generation limit as live size × a growing factor; on a machine with gigabytes of memory that
 * factor is up to 4. Under the benchmark's read load the server held about 35 MiB live, yet V8 let the heap reach
 * 140–170 MiB of garbage before collecting, and that is what the peak RSS of 309 MiB was made of (measured with
 * --trace-gc and process.memoryUsage(): outside the heap, the node binary's mapped code is about 47 MiB and SQLite's
 * page cache and the other native memory about 10 MiB, and neither grew under the loads). A factor of 1.5 keeps the heap
 * near 1.5 × what is live, at about 5 % more CPU under that load (measured: 8,000 requests took 10.0 s of CPU
 * instead of 9.5 s); live data is never limited, so a large export still gets the heap it needs.
 *
 * V8 reads `--heap-growing-percent` at every collection, so setting it at start-up works however the server is
 * started (`npm start`, `node apps/server/dist/main.js`, a service manager) without launch flags.
 */
import { setFlagsFromString } from "node:v8";

/** The factor as V8 takes it: 1 + percent / 100. */
export const heapGrowingPercent = 50;

/** The V8 flag that sets it. */
export const heapGrowthFlag = `--heap-growing-percent=${heapGrowingPercent}`;

/** Applies the server's heap growth policy to this process. Idempotent. */
export function limitHeapGrowth(): void {
  setFlagsFromString(heapGrowthFlag);
}
