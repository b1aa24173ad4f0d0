import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import type { ImportJob } from "./import-job.js";

// On a busy machine the event loop must win the CPU over a long import: this thread runs at a lower priority (nice
// 10). On Linux the nice value belongs to the thread (setpriority on the calling thread, see setpriority(2), NPTL);
// elsewhere it would lower the whole server, so it is left alone there.
if (process.platform === "linux") {
  try {
    setPriority(10);
  } catch {
    // Not allowed in this environment: run at the normal priority.
  }
}
// Loaded after the priority is lowered: loading the format libraries and the script dictionaries is work too.
const { ImportRefusal, runImportJob } = await import("./import-job.js");

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
