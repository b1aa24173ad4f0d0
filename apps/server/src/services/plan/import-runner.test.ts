import { describe, expect, it } from "vitest";
import { maxImportTextBytes } from "@countersign/domain";
import { ServiceError } from "../../errors.js";
import { runImportJob } from "./import-job.js";
import { defaultImportRunnerOptions, ImportRunner } from "./import-runner.js";

const text = "一、总则\n（一）加大财税支持。落实税收优惠政策。（财政部、税务总局按职责分工负责）\n（二）拓宽融资渠道。发展普惠金融。\n";
const job = { text, leadMinistry: "MIIT", members: ["MIIT", "MOF", "STA", "PBOC"] };

describe("the import runner (parsing off the event loop)", () => {
  it("returns in a worker thread what the job returns in-process", async () => {
    const runner = new ImportRunner();
    expect(await runner.run(job)).toEqual(await runImportJob(job));
  });

  it("stops a job past its budget with a clear import_timeout error, and frees its place", async () => {
    const runner = new ImportRunner({ ...defaultImportRunnerOptions, timeoutMs: 1, maxRunning: 1 });
    const big = { ...job, text: `${"一、总则\n（一）"}${"a-".repeat(maxImportTextBytes / 2 - 20)}` };
    const error = await runner.run(big).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: "import_timeout" });
    expect((error as Error).message).toMatch(/took longer than .* and was stopped/);
    // The place is free again: a job with a real budget runs.
    const ok = new ImportRunner({ ...defaultImportRunnerOptions, maxRunning: 1 });
    expect((await ok.run(job)).draft.measures).toHaveLength(2);
  });

  it("refuses beyond its waiting room with import_busy instead of queueing without bound", async () => {
    const runner = new ImportRunner({ ...defaultImportRunnerOptions, maxRunning: 1, maxWaiting: 0 });
    const first = runner.run(job);
    await expect(runner.run(job)).rejects.toMatchObject({ code: "import_busy" });
    await first;
  });
});
