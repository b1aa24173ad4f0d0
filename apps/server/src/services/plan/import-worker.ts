import { parentPort } from "node:worker_threads";
import { type ImportJob, ImportRefusal, runImportJob } from "./import-job.js";

/*
 * A worker thread of `plan.import` (see `import-runner.ts`): it runs one job at a time, as messages `{ id, job }`,
 * and answers each once. It stays alive between jobs (the libraries load once); the main thread terminates it when a
 * job runs past its budget.
 */
parentPort?.on("message", async (message: { id: number; job: ImportJob }) => {
  try {
    parentPort?.postMessage({ id: message.id, ok: true, result: await runImportJob(message.job) });
  } catch (error) {
    const refusal = error instanceof ImportRefusal ? { field: error.field, code: error.code } : null;
    parentPort?.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error), refusal });
  }
});
