import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ServiceError } from "../../errors.js";
import type { ImportJob, ImportJobResult } from "./import-job.js";

/*
 * Runs import jobs off the event loop (issue 18): each job in a worker thread (one job per worker at a time; idle
 * workers are kept for the next job, so the libraries load once), so that a long document never delays `/health` or
 * any other request, with a time budget after which the worker is terminated and the caller gets a clear error. At most `maxRunning` jobs run at once (the machine has few cores); up to `maxWaiting`
 * more wait their turn; beyond that a request is refused as too busy, never queued without bound.
 */

export interface ImportRunnerOptions {
  /** Milliseconds a job may run before it is cancelled (IMPORT_TIMEOUT_MS; default 20,000). */
  timeoutMs: number;
  maxRunning: number;
  maxWaiting: number;
  /** Heap limit of each worker, MiB: a job cannot exhaust the server's memory. */
  maxHeapMb: number;
}

export const defaultImportRunnerOptions: ImportRunnerOptions = { timeoutMs: 20_000, maxRunning: 2, maxWaiting: 8, maxHeapMb: 512 };

/**
 * The worker's code. Built, it is import-worker.js. Run from the TypeScript sources (vitest), it is a .ts file that
 * node cannot load alone: a small bootstrap registers tsx's loader in the worker first.
 */
function workerScript(): { script: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith(".ts")) return { script: new URL("./import-worker.js", import.meta.url), eval: false };
  // The package resolves for require() to index.cjs; its ESM twin beside it is the one to import.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const worker = new URL("./import-worker.ts", import.meta.url).href;
  return {
    script: `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`,
    eval: true,
  };
}

type WorkerReply = { id: number } & (
  | { ok: true; result: ImportJobResult }
  | { ok: false; message: string; refusal: { field: string; code: "invalid_input" | "unsupported_content_type" | "payload_too_large" } | null }
);

export class ImportRunner {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Workers between jobs, kept so that the libraries load once; unreferenced, they never hold the process open. */
  private readonly idle: Worker[] = [];
  private nextId = 1;

  constructor(readonly options: ImportRunnerOptions = defaultImportRunnerOptions) {}

  /** The job's result; throws `import_timeout` past the budget, `import_busy` when too many jobs wait. */
  async run(job: ImportJob): Promise<ImportJobResult> {
    if (this.running >= this.options.maxRunning) {
      if (this.waiting.length >= this.options.maxWaiting) {
        throw new ServiceError("import_busy", "Too many documents are being imported right now; try again in a minute.", {
          retryAfterSeconds: 30,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await this.runInWorker(job);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Ends the idle workers (a server closing, a test ending). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private newWorker(): Worker {
    const { script, eval: isEval } = workerScript();
    const worker = new Worker(script, { eval: isEval, resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    // A worker that dies while idle is dropped from the pool.
    worker.on("exit", () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    worker.on("error", () => undefined);
    return worker;
  }

  private runInWorker(job: ImportJob): Promise<ImportJobResult> {
    const worker = this.idle.pop() ?? this.newWorker();
    worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (keep: boolean, fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (keep && this.idle.length < this.options.maxRunning) {
          worker.unref();
          this.idle.push(worker);
        } else void worker.terminate();
        fn();
      };
      const onMessage = (reply: WorkerReply): void => {
        if (reply.id !== id) return;
        finish(true, () => {
          if (reply.ok) resolve(reply.result);
          else if (reply.refusal) reject(new ServiceError(reply.refusal.code, reply.message, { field: reply.refusal.field }));
          else reject(new ServiceError("internal", `Reading the document failed: ${reply.message}`));
        });
      };
      const onError = (error: Error): void => finish(false, () => reject(new ServiceError("internal", `Reading the document failed: ${error.message}`)));
      const onExit = (code: number): void => finish(false, () => reject(new ServiceError("internal", `The import worker stopped (exit ${code}).`)));
      const timer = setTimeout(() => {
        finish(false, () =>
          reject(
            new ServiceError(
              "import_timeout",
              `Reading the document took longer than ${Math.round(this.options.timeoutMs / 1000)} s and was stopped; split it or check that it is a policy document.`,
            ),
          ),
        );
      }, this.options.timeoutMs);
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage({ id, job });
    });
  }
}
