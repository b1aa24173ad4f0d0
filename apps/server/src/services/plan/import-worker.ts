import { parentPort, workerData } from "node:worker_threads";
import { type ImportJob, ImportRefusal, runImportJob } from "./import-job.js";

/*
 * The worker thread of `plan.import` (see `import-runner.ts`): one job per worker, given as `workerData`; the
 * result (or the error's message) is posted back once. The main thread terminates the worker when its budget ends.
 */
try {
  parentPort?.postMessage({ ok: true, result: runImportJob(workerData as ImportJob) });
} catch (error) {
  const refusal = error instanceof ImportRefusal ? { field: error.field } : null;
  parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error), refusal });
}
