import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { departments } from "@countersign/domain";
import { createHarness, harnessEngines, liaisonName, refusalOf } from "../../test-support/harness.js";
import type { Harness, HarnessSeeder } from "../../test-support/harness.js";

// assignment.get on the store seam (issue 13): one assignment's page, on SQLite and on PostgreSQL, from one seed made
// through the procedures: the same answers on both, and the same refusals.

interface Seeded {
  /** MOF's assignment, declined and reassigned to `newHolder`. */
  reassignedId: number;
  newHolder: string;
  /** STA's assignment, with a comment, a granted extension and a reminder. */
  discussedId: number;
  /** An MOF assignment handed to the tax division's handler, and one not. */
  handedId: number;
  notHandedId: number;
  /** An assignment on measure 7, whose Chinese text the coordinator added. */
  translatedId: number;
}

/** A Chinese text of some of the 2020 measures, numbered as the original prints them (add-translation.test.ts). */
const chinese = [
  "关于健全支持中小企业发展制度的若干意见",
  "一、完善支持中小企业发展的基础性制度",
  "（一）健全中小企业法律法规体系。以《中华人民共和国中小企业促进法》为基础，加快构建具有中国特色、支持中小企业发展的法律法规体系。",
  "（二）坚持公平竞争制度。全面实施市场准入负面清单制度。",
  "二、坚持和完善中小企业财税支持制度",
  "（七）完善税费优惠政策。落实好中小企业减税降费政策。",
].join("\n");

async function seedPages({ planId, as }: HarnessSeeder): Promise<Seeded> {
  const miit = as("miit");
  const mof = as("mof");
  const sta = as("sta");
  await miit.plan.issue({ planId, dueDate: "2026-06-30" });
  const [toReassign, toHand, notHanded] = (await mof.inbox.list({ planId, limit: 200 })).rows;
  const discussed = (await sta.inbox.list({ planId, limit: 1 })).rows[0];
  if (toReassign === undefined || toHand === undefined || notHanded === undefined || discussed === undefined) throw new Error("too few assignments");
  const declined = await mof.assignment.decline({ id: toReassign.id, expectedVersion: toReassign.version, reason: "不属于本部门职责" });
  await mof.assignment.comment({ id: toReassign.id, expectedVersion: declined.version, body: "建议改派" });
  const page = await miit.assignment.get({ id: toReassign.id });
  const onMeasure = new Set(["MOF", ...page.others.map((o) => o.department)]);
  const newHolder = departments.find((d) => !onMeasure.has(d.code))?.code;
  if (newHolder === undefined) throw new Error("every department is on the measure");
  await miit.assignment.reassign({ id: toReassign.id, expectedVersion: page.assignment.version, toDepartment: newHolder, note: "职能调整" });

  const accepted = await sta.assignment.accept({ id: discussed.id, expectedVersion: discussed.version });
  const commented = await sta.assignment.comment({ id: discussed.id, expectedVersion: accepted.version, body: "正在起草配套文件" });
  const asked = await sta.assignment.requestExtension({ id: discussed.id, expectedVersion: commented.version, until: "2026-09-30", reason: "数据延迟" });
  const decided = await miit.assignment.decideExtension({ id: discussed.id, expectedVersion: asked.version, approve: true, note: "同意" });
  await miit.assignment.comment({ id: discussed.id, expectedVersion: decided.version, body: "请按期报结" });

  const admin = as("admin");
  const division = await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: null });
  const { account } = await admin.admin.create({ username: "mof.tax", role: "liaison", department: "MOF", displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
  await admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: division.id });
  const handAccepted = await mof.assignment.accept({ id: toHand.id, expectedVersion: toHand.version });
  await mof.assignment.assignHandler({ id: toHand.id, expectedVersion: handAccepted.version, divisionId: division.id, handlerId: account.id, note: "税政司承办" });
  await miit.plan.addTranslation({ planId, text: chinese });
  const translated = (await miit.inbox.list({ department: null, planId, search: "(7)", limit: 200 })).rows.find((r) => r.measureNumber === 7);
  if (translated === undefined) throw new Error("nobody holds measure 7");
  return { reassignedId: toReassign.id, newHolder, discussedId: discussed.id, handedId: toHand.id, notHandedId: notHanded.id, translatedId: translated.id };
}

const harnesses = new Map<string, { h: Harness; seeded: Seeded }>();

beforeAll(async () => {
  for (const engine of harnessEngines) {
    let seeded: Seeded | null = null;
    const h = await createHarness({
      engine,
      seed: async (seeder) => {
        seeded = await seedPages(seeder);
      },
    });
    if (seeded === null) throw new Error("the seed did not run");
    harnesses.set(engine, { h, seeded });
  }
}, 120_000);

afterAll(async () => {
  for (const { h } of harnesses.values()) await h.close();
});

function on(engine: string): { h: Harness; seeded: Seeded } {
  const found = harnesses.get(engine);
  if (found === undefined) throw new Error(`no harness on ${engine}`);
  return found;
}

describe.each(harnessEngines)("assignment.get on %s", (engine) => {
  it("shows the coordinator the whole page: history with people, comments, extension requests, other departments, actions", async () => {
    const { h, seeded } = on(engine);
    const page = await h.as("miit").assignment.get({ id: seeded.discussedId });
    expect(page.access).toBe("holder");
    expect(page.assignment).toMatchObject({ id: seeded.discussedId, department: "STA", status: "accepted", dueDate: "2026-09-30" });
    expect(page.plan).toMatchObject({ id: h.planId, status: "issued" });
    expect(page.history.map((e) => e.type)).toEqual(
      expect.arrayContaining(["assignment.issued", "assignment.accepted", "assignment.commented", "assignment.extension_requested", "assignment.extension_approved"]),
    );
    expect(page.history.map((e) => e.seq)).toEqual([...page.history.map((e) => e.seq)].sort((a, b) => a - b));
    expect(page.history.find((e) => e.type === "assignment.accepted")?.actor.person).toMatchObject({ username: "sta", department: { code: "STA" } });
    expect(page.comments.map((c) => [c.body, c.author])).toEqual([
      ["正在起草配套文件", "sta"],
      ["请按期报结", "miit"],
    ]);
    expect(page.comments[0]?.authorPerson).toMatchObject({ username: "sta" });
    expect(page.extensionRequests).toMatchObject([{ until: "2026-09-30", reason: "数据延迟", status: "approved", decisionNote: "同意" }]);
    expect(page.others.every((o) => o.department !== "STA")).toBe(true);
    // The Chinese text added covers measures 1, 2 and 7 only.
    expect(page.measure.translation === null).toBe(![1, 2, 7].includes(page.measure.number));
    expect([...page.allowedActions].sort()).toEqual(page.actionAvailability.filter((a) => a.allowed).map((a) => a.action).sort());
    expect(page.allowedActions).toContain("remind");
  });

  it("shows a department its own words only, and a past holder where the work stands, without actions", async () => {
    const { h, seeded } = on(engine);
    const holder = await h.as(liaisonName(seeded.newHolder)).assignment.get({ id: seeded.reassignedId });
    expect(holder.access).toBe("holder");
    expect(holder.assignment.department).toBe(seeded.newHolder);
    // MOF's decline and comment are MOF's words.
    expect(holder.comments).toEqual([]);
    expect(holder.history.every((e) => e.department === seeded.newHolder)).toBe(true);
    const past = await h.as("mof").assignment.get({ id: seeded.reassignedId });
    expect(past.access).toBe("past_holder");
    expect(past.others).toEqual([]);
    expect(past.allowedActions).toEqual([]);
    expect(past.actionAvailability).toEqual([]);
    expect(past.comments.map((c) => c.body)).toEqual(["建议改派"]);
    expect(past.history.map((e) => e.type)).toContain("assignment.declined");
    expect(past.history.every((e) => e.department === "MOF")).toBe(true);
  });

  it("offers 分办 to a department with handlers, and shows a handler only what reaches them", async () => {
    const { h, seeded } = on(engine);
    const mofPage = await h.as("mof").assignment.get({ id: seeded.notHandedId });
    expect(mofPage.actionAvailability.map((a) => a.action)).toContain("assignHandler");
    const handed = await h.as("mof.tax").assignment.get({ id: seeded.handedId });
    expect(handed).toMatchObject({ access: "holder", assignment: { id: seeded.handedId } });
    expect(await refusalOf(() => h.as("mof.tax").assignment.get({ id: seeded.notHandedId }))).toMatchObject({ code: "FORBIDDEN", refusalCode: "not_your_assignment" });
  });

  it("shows the measure's text in its other language once the coordinator added it", async () => {
    const { h, seeded } = on(engine);
    const page = await h.as("miit").assignment.get({ id: seeded.translatedId });
    expect(page.measure).toMatchObject({ number: 7, textLanguage: "en", translation: { language: "zh", textCut: false, text: expect.stringContaining("减税降费") } });
  });

  it("refuses another department's assignment and answers an unknown one not_found", async () => {
    const { h, seeded } = on(engine);
    expect(await refusalOf(() => h.as("sta").assignment.get({ id: seeded.handedId }))).toMatchObject({ refusalCode: "not_your_department" });
    expect(await refusalOf(() => h.as("miit").assignment.get({ id: 999_999 }))).toMatchObject({ refusalCode: "not_found", field: "id" });
  });
});

describe("assignment.get: one answer on both engines", () => {
  it("answers every page the same on SQLite and PostgreSQL", async () => {
    const sqlite = on("sqlite");
    const postgres = on("postgres");
    const s = sqlite.seeded;
    const pages: Array<[string, number]> = [
      ["miit", s.discussedId],
      ["sta", s.discussedId],
      ["observer", s.discussedId],
      ["miit", s.reassignedId],
      ["mof", s.reassignedId],
      [liaisonName(s.newHolder), s.reassignedId],
      ["mof", s.handedId],
      ["mof.tax", s.handedId],
      ["mof", s.notHandedId],
      ["miit", s.translatedId],
    ];
    for (const [username, id] of pages) {
      const what = `${username} reads ${id}`;
      expect({ what, page: await postgres.h.as(username).assignment.get({ id }) }).toEqual({ what, page: await sqlite.h.as(username).assignment.get({ id }) });
    }
  });
});
