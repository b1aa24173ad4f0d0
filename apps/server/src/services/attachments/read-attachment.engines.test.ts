import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceError } from "../../errors.js";
import { createHarness, harnessEngines } from "../../test-support/harness.js";
import type { Harness } from "../../test-support/harness.js";
import { actOnRoundReport } from "../rounds/act-on-round-report.js";
import { checkUpload } from "./attachment-rules.js";
import { objectStoreReaderOf } from "./attachment-store.js";
import { listAttachments, readAttachment } from "./read-attachment.js";

// The round reports' files as the attachments' list and download read them on the store seam (issue 13), on both
// engines: a draft's files are the department's own until submitted (attachmentVisible); a submitted report's are
// the coordinator's to read too, never another department's. The reports and their files are written through the
// store seam of each engine (round.open, then `actOnRoundReport` in a unit of work, as the upload route does).

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
const text = { progress: "已印发通知", problems: "无", nextSteps: "开展督查" };

interface Seeded {
  mof: { assignmentId: number; fileId: number };
  sta: { assignmentId: number; fileId: number };
}

/** A round on measure 7 for MOF and STA: MOF's report saved as a draft with a file, STA's submitted with one. */
async function seed(h: Harness): Promise<Seeded> {
  const { planId } = h;
  const as = (username: string) => h.as(username);
  await as("miit").plan.issue({ planId, dueDate: "2026-06-30" });
  const round = await as("miit").round.open({
    planId,
    title: "一季度调度",
    periodStart: "2026-01-01",
    periodEnd: "2026-03-31",
    dueDate: "2026-12-31",
    measureNumbers: [7],
    departments: ["MOF", "STA"],
    recurrence: "none",
  });
  const act = async (username: string, action: "saveDraft" | "submit", name: string) => {
    const report = (await as(username).round.get({ roundId: round.id })).reports[0];
    if (report === undefined) throw new Error(`no report for ${username}`);
    const file = await checkUpload(name, "application/pdf", pdf(name));
    const out = await h.store.transaction((tx) =>
      actOnRoundReport(
        tx,
        h.user(username),
        { reportId: report.id, expectedVersion: report.version, action: { type: action, ...text }, files: [file] },
        h.clock.now,
        { webhook: false, email: false, emailTo: [] },
      ),
    );
    const fileId = out.attachmentIds[0];
    if (fileId === undefined) throw new Error("no file stored");
    return { assignmentId: report.assignmentId, fileId };
  };
  return { mof: await act("mof", "saveDraft", "草稿附件.pdf"), sta: await act("sta", "submit", "报送附件.pdf") };
}

describe.each(harnessEngines)("round reports' files through attachment.list and GET /attachments/:id on %s", (engine) => {
  let h: Harness;
  let seeded: Seeded;
  beforeAll(async () => {
    h = await createHarness({ engine });
    seeded = await seed(h);
  }, 60_000);
  afterAll(() => h.close());

  const list = (username: string, assignmentId: number) => h.store.read((repos) => listAttachments(repos, h.user(username), assignmentId));
  const read = (username: string, id: number) => h.store.read((repos) => readAttachment(repos, objectStoreReaderOf(h.context(null).db), h.user(username), id));
  const refusal = async (fn: () => Promise<unknown>) => fn().then(
    () => "none",
    (error: unknown) => (error instanceof ServiceError ? error.code : String(error)),
  );

  it("a draft's file is the department's own; the coordinator and observers see it only once submitted", async () => {
    const { mof, sta } = seeded;
    expect((await list("mof", mof.assignmentId)).map((a) => [a.id, a.ownerKind, a.name])).toEqual([[mof.fileId, "round_report", "草稿附件.pdf"]]);
    expect((await read("mof", mof.fileId)).bytes.equals(pdf("草稿附件.pdf"))).toBe(true);
    for (const reader of ["miit", "observer"]) {
      expect(await list(reader, mof.assignmentId)).toEqual([]);
      expect(await refusal(() => read(reader, mof.fileId))).toBe("not_found");
      expect((await list(reader, sta.assignmentId)).map((a) => a.id)).toEqual([sta.fileId]);
      expect((await read(reader, sta.fileId)).attachment).toMatchObject({ id: sta.fileId, name: "报送附件.pdf", ownerKind: "round_report" });
    }
    // Another department: neither file, by list or by id.
    expect(await list("sta", mof.assignmentId)).toEqual([]);
    expect(await refusal(() => read("sta", mof.fileId))).toBe("not_found");
    expect(await refusal(() => read("mof", sta.fileId))).toBe("not_found");
    expect(await refusal(() => read("mof", 999_999))).toBe("not_found");
  });
});
