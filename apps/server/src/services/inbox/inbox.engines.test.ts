import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latenessBounds, loadPlan } from "@countersign/db";
import { assignmentStatuses, defaultPlan, latenessLevels, parseSearchQuery, proposedDivision2020, searchableText } from "@countersign/domain";
import { createHarness, harnessEngines, refusalOf } from "../../test-support/harness.js";
import type { Harness, HarnessSeeder } from "../../test-support/harness.js";

// The liaison's and the coordinator's reading of their work on the store seam (issue 13): inbox.list (filters, paging,
// search), the inbox's counts and plans, and the notification centre, on SQLite and on PostgreSQL, from one seed made
// through the procedures: the same answers on both.

const declineReason = "不属于本部门职责，建议由发展改革委牵头";

/** A plan whose measures are Chinese text (full-width digits and letters in it), as the inbox search test has it. */
const zh: Record<number, { title: string; text: string }> = {
  1: { title: "完善支持中小企业发展的基础性制度", text: "坚持和完善中小企业财税支持制度，落实（７）项税费优惠。" },
  2: { title: "坚持和完善中小企业融资促进制度", text: "健全融资担保体系，发展ＦＩＮＡＮＣＩＮＧ服务，降低融资成本。" },
  4: { title: "完善和优化中小企业服务体系", text: "推进第１２批服务平台建设。" },
};
const zhPlan = {
  ...defaultPlan,
  key: "zh-engines",
  titleEn: "A Chinese plan",
  titleZh: "中文分工方案",
  issuedOn: "2026-03-01",
  measures: defaultPlan.measures.map((m) => ({ ...m, ...(zh[m.number] ?? { title: `第${m.number}项措施`, text: `措施正文${m.number}。` }) })),
};

/** What the seed made, by id (the same on both engines: the copy keeps ids). */
interface Seeded {
  zhPlanId: number;
  declinedId: number;
  remindedId: number;
  handedId: number;
  divisionId: number;
}

/**
 * Two issued plans; in MOF's inbox one assignment declined with a reason, one overdue one reminded (unread), handed to
 * the tax division's handler and signed off by them, waiting for the leader's approval; one more handed in the
 * Chinese plan.
 */
async function seedWork({ db, planId, as }: HarnessSeeder): Promise<Seeded> {
  const miit = as("miit");
  const admin = as("admin");
  const mof = as("mof");
  await miit.plan.issue({ planId, dueDate: "2026-06-30", dueDates: [{ measureNumber: 7, dueDate: "2026-02-01" }], backdated: true });
  const zhPlanId = loadPlan(db, zhPlan, proposedDivision2020, "2026-03-01T01:00:00.000Z").planId;
  await miit.plan.issue({ planId: zhPlanId, dueDate: "2026-12-31" });
  const ref = async (plan: number, measureNumber: number) => {
    const row = (await mof.inbox.list({ planId: plan, limit: 200 })).rows.find((r) => r.measureNumber === measureNumber);
    if (row === undefined) throw new Error(`MOF has no (${measureNumber}) in plan ${plan}`);
    return { id: row.id, expectedVersion: row.version };
  };
  const mofRows = (await mof.inbox.list({ planId, limit: 200 })).rows;
  const toDecline = mofRows.find((r) => r.measureNumber !== 7);
  if (toDecline === undefined) throw new Error("MOF has one assignment only");
  await mof.assignment.decline({ id: toDecline.id, expectedVersion: toDecline.version, reason: declineReason });
  await miit.assignment.remind({ ...(await ref(planId, 7)), message: "请尽快报送" });
  const division = await admin.admin.createDivision({ department: "MOF", nameZh: "税政司", nameEn: null });
  const { account } = await admin.admin.create({ username: "mof.tax", role: "liaison", department: "MOF", displayNameZh: "张伟", displayNameEn: null, ssoIdentity: null });
  await admin.admin.setDepartmentPart({ id: account.id, departmentRole: "handler", divisionId: division.id });
  await mof.assignment.accept(await ref(planId, 7));
  await mof.assignment.assignHandler({ ...(await ref(planId, 7)), divisionId: division.id, handlerId: account.id, note: "税政司承办" });
  const zhRows = (await mof.inbox.list({ planId: zhPlanId, limit: 200 })).rows;
  const zhHanded = zhRows[0];
  if (zhHanded === undefined) throw new Error("MOF has nothing in the Chinese plan");
  await mof.assignment.accept({ id: zhHanded.id, expectedVersion: zhHanded.version });
  await mof.assignment.assignHandler({ ...(await ref(zhPlanId, zhHanded.measureNumber)), divisionId: division.id, handlerId: account.id, note: "税政司承办" });
  await admin.admin.setLeaderApproval({ department: "MOF", required: true });
  const tax = as("mof.tax");
  await tax.assignment.reportProgress({ ...(await ref(planId, 7)), note: "起草中" });
  await tax.assignment.signOff({ ...(await ref(planId, 7)), summary: "已出台配套政策" });
  return { zhPlanId, declinedId: toDecline.id, remindedId: (await ref(planId, 7)).id, handedId: (await ref(planId, 7)).id, divisionId: division.id };
}

const harnesses = new Map<string, { h: Harness; seeded: Seeded }>();

beforeAll(async () => {
  for (const engine of harnessEngines) {
    let seeded: Seeded | null = null;
    const h = await createHarness({
      engine,
      seed: async (seeder) => {
        seeded = await seedWork(seeder);
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

describe.each(harnessEngines)("inbox.list on %s", (engine) => {
  it("lists a department's work in due-date order, with per-status counts, decline reasons and unread marks", async () => {
    const { h, seeded } = on(engine);
    const page = await h.as("mof").inbox.list({ limit: 200 });
    expect(page.department).toBe("MOF");
    expect(page.nextCursor).toBeNull();
    const order = page.rows.map((r) => [r.dueDate, r.id] as const);
    expect(order).toEqual([...order].sort((x, y) => (x[0] === y[0] ? x[1] - y[1] : x[0] < y[0] ? -1 : 1)));
    expect(page.total).toBe(page.rows.length);
    expect(assignmentStatuses.reduce((sum, s) => sum + page.counts[s], 0)).toBe(page.total);
    expect(page.counts.declined).toBe(1);
    expect(page.rows.find((r) => r.id === seeded.declinedId)).toMatchObject({ status: "declined", declineReason });
    expect(page.rows.filter((r) => r.declineReason !== null).map((r) => r.id)).toEqual([seeded.declinedId]);
    expect(page.rows.find((r) => r.id === seeded.remindedId)?.unreadNotice).toBe("assignment.reminded");
    expect(page.rows.every((r) => r.department === "MOF" && !("issuedAt" in r))).toBe(true);
    expect(new Set(page.rows.map((r) => r.planId))).toEqual(new Set([h.planId, seeded.zhPlanId]));
  });

  it("filters by status, lateness, plan and the leader's approval queue", async () => {
    const { h, seeded } = on(engine);
    const mof = h.as("mof");
    const all = await mof.inbox.list({ limit: 200 });
    for (const status of assignmentStatuses) {
      const page = await mof.inbox.list({ status, limit: 200 });
      expect(page.rows.every((r) => r.status === status)).toBe(true);
      expect(page.rows.length).toBe(all.counts[status]);
      // The tabs' counts do not depend on the tab shown.
      expect(page.counts).toEqual(all.counts);
    }
    let byLateness = 0;
    for (const lateness of latenessLevels) {
      const page = await mof.inbox.list({ lateness, limit: 200 });
      expect(page.rows.every((r) => r.lateness === lateness)).toBe(true);
      expect(page.total).toBe(page.rows.length);
      byLateness += page.total;
    }
    expect(byLateness).toBe(all.total);
    expect((await mof.inbox.list({ lateness: "overdue", limit: 200 })).rows.map((r) => r.id)).toContain(seeded.handedId);
    const zhOnly = await mof.inbox.list({ planId: seeded.zhPlanId, limit: 200 });
    expect(zhOnly.rows.length).toBeGreaterThan(0);
    expect(zhOnly.rows.every((r) => r.planId === seeded.zhPlanId)).toBe(true);
    expect(zhOnly.total + (await mof.inbox.list({ planId: h.planId, limit: 200 })).total).toBe(all.total);
    const queue = await mof.inbox.list({ awaitingApproval: true });
    expect(queue.rows.map((r) => r.id)).toEqual([seeded.handedId]);
    expect(queue.rows[0]?.pendingApproval).toMatchObject({ kind: "signOff", summary: "已出台配套政策" });
    expect(queue.total).toBe(1);
  });

  it("pages by cursor through exactly the rows of one long page, and refuses a cursor it did not give out", async () => {
    const { h } = on(engine);
    const mof = h.as("mof");
    const whole = (await mof.inbox.list({ limit: 200 })).rows.map((r) => r.id);
    const paged: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await mof.inbox.list({ limit: 4, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.rows.length).toBeLessThanOrEqual(4);
      paged.push(...page.rows.map((r) => r.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(whole);
    expect(await refusalOf(() => mof.inbox.list({ cursor: "not-a-cursor" }))).toMatchObject({ refusalCode: "invalid_input", field: "cursor" });
    expect(await refusalOf(() => mof.inbox.list({ department: "STA" }))).toMatchObject({ refusalCode: "not_your_department" });
  });

  /** The measure numbers a search should find in the Chinese plan, worked out without SQL. */
  function expected(search: string): number[] {
    const query = parseSearchQuery(search);
    return zhPlan.measures
      .filter((m) => searchableText(m.title).includes(query.text) || searchableText(m.text).includes(query.text) || m.number === query.measureNumber)
      .map((m) => m.number);
  }

  it.each([
    ["a two-character Chinese word (a scan)", "融资", [2]],
    ["a Chinese phrase of three or more characters (the trigram index)", "中小企业融资", [2]],
    ["a measure number in full-width brackets, also in the text", "（７）", [1, 7]],
    ["a measure number in Chinese numerals", "（七）", [7]],
    ["a measure number, also in the text", "12", [4, 12]],
    ["an English word written in full width in the text", "financing", [2]],
  ])("searches %s", async (_, search, numbers) => {
    const { h, seeded } = on(engine);
    expect(expected(search)).toEqual(numbers);
    const miit = h.as("miit");
    const page = await miit.inbox.list({ department: null, planId: seeded.zhPlanId, search, limit: 200 });
    expect([...new Set(page.rows.map((r) => r.measureNumber))].sort((a, b) => a - b)).toEqual(numbers);
    const all = await miit.inbox.list({ department: null, planId: seeded.zhPlanId, limit: 200 });
    expect(page.total).toBe(all.rows.filter((r) => numbers.includes(r.measureNumber)).length);
    expect(page.rows.length).toBe(page.total);
  });

  it.each([
    ["a word", "financing"],
    ["two characters, English", "in"],
    ["two characters, Chinese (a scan of the distinct texts), in the other plan", "措施"],
    ["a measure number", "(7)"],
    ["a phrase found nowhere", "zzz"],
  ])("searches a department's whole history across plans: %s (issue 17: the search keys)", async (_, search) => {
    const { h, seeded } = on(engine);
    const mof = h.as("mof");
    const query = parseSearchQuery(search);
    const whole = await mof.inbox.list({ limit: 200 });
    // Worked out without SQL: each row's measure, in the plan it belongs to.
    const matches = whole.rows.filter((r) => {
      const m = (r.planId === seeded.zhPlanId ? zhPlan : defaultPlan).measures.find((x) => x.number === r.measureNumber);
      if (m === undefined) throw new Error(`no measure ${r.measureNumber}`);
      return searchableText(m.title).includes(query.text) || searchableText(m.text).includes(query.text) || m.number === query.measureNumber;
    });
    // The department's history spans both plans; the search is not limited to one.
    expect(new Set(whole.rows.map((r) => r.planId)).size).toBe(2);
    if (search !== "zzz") expect(matches.length).toBeGreaterThan(0);
    const page = await mof.inbox.list({ search, limit: 200 });
    expect(page.rows.map((r) => r.id)).toEqual(matches.map((r) => r.id));
    expect(page.total).toBe(matches.length);
    for (const status of assignmentStatuses) expect(page.counts[status], status).toBe(matches.filter((r) => r.status === status).length);
    // Page by page (the first page walks the department's inbox; a short walk falls back to every match, sorted).
    const paged: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i += 1) {
      const next = await mof.inbox.list({ search, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      paged.push(...next.rows.map((r) => r.id));
      if (next.nextCursor === null) break;
      cursor = next.nextCursor;
    }
    expect(paged).toEqual(matches.map((r) => r.id));
  });

  it("shows the first 240 characters of a long measure text without a search (only those are read), and the passage found past them with one", async () => {
    const { h } = on(engine);
    const measures = await h.rows("select number, text from measures where plan_id = ?", [h.planId]);
    const texts = new Map(measures.map((m) => [Number(m["number"]), String(m["text"])]));
    const page = await h.as("mof").inbox.list({ planId: h.planId, limit: 200 });
    const long = page.rows.filter((r) => [...(texts.get(r.measureNumber) ?? "")].length > 240);
    expect(long.length).toBeGreaterThan(0);
    for (const row of page.rows) {
      const chars = [...(texts.get(row.measureNumber) ?? "")];
      expect(row.measureExcerpt).toBe(chars.slice(0, 240).join(""));
    }
    // The store reads no more of a text than asked (the page above asked for 240 characters).
    const cut = await h.store.read((repos) =>
      repos.inbox.page({
        department: "MOF",
        handler: null,
        planId: h.planId,
        awaitingApproval: false,
        lateness: null,
        bounds: latenessBounds(new Date()),
        search: null,
        status: null,
        after: null,
        limit: 5,
        textChars: 3,
      }),
    );
    expect(cut.length).toBe(5);
    for (const row of cut) expect([...row.measureText].length).toBeLessThanOrEqual(3);
    // A word of the first long text that first appears after its 240th character: the excerpt moves to it.
    const [first] = long;
    if (first === undefined) throw new Error("no long text");
    const text = texts.get(first.measureNumber) ?? "";
    const late = text.slice(260).split(/[^A-Za-z]+/).find((w) => w.length >= 7 && !text.slice(0, 250).includes(w));
    if (late === undefined) throw new Error(`no word only past the 240th character in measure ${first.measureNumber}`);
    const found = await h.as("mof").inbox.list({ planId: h.planId, search: late, limit: 200 });
    const row = found.rows.find((r) => r.id === first.id);
    expect(row?.measureExcerpt.startsWith("…")).toBe(true);
    expect(row?.measureExcerpt).toContain(late);
  });

  it("keeps a liaison's search to its department, and shows the passage found", async () => {
    const { h, seeded } = on(engine);
    const page = await h.as("mof").inbox.list({ search: "融资", limit: 200 });
    expect(page.rows.every((r) => r.department === "MOF" && r.planId === seeded.zhPlanId && r.measureNumber === 2)).toBe(true);
    for (const row of page.rows) expect(row.measureExcerpt).toContain("融资");
  });

  it("gives a handler what was handed to them or their division only, and the coordinator every department", async () => {
    const { h, seeded } = on(engine);
    const handed = await h.as("mof.tax").inbox.list({ limit: 200 });
    expect(handed.rows.length).toBe(2);
    expect(handed.rows.every((r) => r.divisionId === seeded.divisionId)).toBe(true);
    expect(handed.total).toBe(2);
    const plans = await h.as("mof.tax").inbox.plans({});
    expect(plans.map((p) => p.planId).sort()).toEqual([h.planId, seeded.zhPlanId].sort());
    expect(plans.reduce((sum, p) => sum + p.open, 0)).toBe(2);
    const everyone = await h.as("miit").inbox.list({ department: null, limit: 1 });
    const byDepartment = await h.as("miit").inbox.list({ department: "MOF", limit: 1 });
    expect(everyone.total).toBeGreaterThan(byDepartment.total);
    expect(byDepartment.total).toBe((await h.as("mof").inbox.list({ limit: 200 })).total);
  });
});

describe.each(harnessEngines)("the inbox's counts on %s", (engine) => {
  it("counts the department's unread marks, and its plans' open, overdue and unread work, newest plan first", async () => {
    const { h, seeded } = on(engine);
    expect(await h.as("mof").inbox.unreadCount()).toEqual({ unread: 1 });
    expect(await h.as("miit").inbox.unreadCount()).toEqual({ unread: 0 });
    const plans = await h.as("mof").inbox.plans({});
    expect(plans.map((p) => p.planId)).toEqual([seeded.zhPlanId, h.planId]);
    const first = await h.as("mof").inbox.list({ planId: h.planId, limit: 200 });
    const open = first.counts.assigned + first.counts.accepted + first.counts.in_progress;
    expect(plans[1]).toMatchObject({ planId: h.planId, open, unread: 1 });
    expect(plans[1]?.overdue).toBe(first.rows.filter((r) => ["assigned", "accepted", "in_progress"].includes(r.status) && r.lateness !== "none" && r.lateness !== "due_soon").length);
    expect(plans[0]).toMatchObject({ planId: seeded.zhPlanId, titleZh: "中文分工方案", unread: 0, overdue: 0, searchLanguage: "zh" });
    expect(await h.as("miit").inbox.plans({ department: null })).toEqual([]);
  });
});

describe("one answer on both engines", () => {
  it("answers every inbox and notification-centre reading the same on SQLite and PostgreSQL", async () => {
    const sqlite = on("sqlite");
    const postgres = on("postgres");
    const { zhPlanId } = sqlite.seeded;
    const readings: Array<[string, (h: Harness) => Promise<unknown>]> = [
      ["mof inbox", (h) => h.as("mof").inbox.list({ limit: 200 })],
      ["mof inbox, a page", (h) => h.as("mof").inbox.list({ limit: 5 })],
      ["mof overdue", (h) => h.as("mof").inbox.list({ lateness: "overdue" })],
      ["mof none", (h) => h.as("mof").inbox.list({ lateness: "none", planId: h.planId })],
      ["mof declined", (h) => h.as("mof").inbox.list({ status: "declined" })],
      ["mof search 融资", (h) => h.as("mof").inbox.list({ search: "融资" })],
      ["miit search 税费", (h) => h.as("miit").inbox.list({ department: null, search: "税费", limit: 200 })],
      ["miit search (7)", (h) => h.as("miit").inbox.list({ department: null, planId: zhPlanId, search: "(7)", limit: 200 })],
      ["miit every department", (h) => h.as("miit").inbox.list({ department: null, limit: 200 })],
      ["handler", (h) => h.as("mof.tax").inbox.list({})],
      ["approval queue", (h) => h.as("mof").inbox.list({ awaitingApproval: true })],
      ["mof plans", (h) => h.as("mof").inbox.plans({})],
      ["handler plans", (h) => h.as("mof.tax").inbox.plans({})],
      ["mof marks", (h) => h.as("mof").inbox.unreadCount()],
      ["mof notices", (h) => h.as("mof").notification.list({ limit: 100 })],
      ["miit notices", (h) => h.as("miit").notification.list({ limit: 100 })],
      ["mof unread", (h) => h.as("mof").notification.unreadCount()],
    ];
    for (const [what, read] of readings) {
      expect({ what, answer: await read(postgres.h) }).toEqual({ what, answer: await read(sqlite.h) });
    }
    // The next page, from the cursor either engine gave: the cursors are the same too.
    const page = await sqlite.h.as("mof").inbox.list({ limit: 5 });
    expect(page.nextCursor).not.toBeNull();
    const cursor = page.nextCursor ?? "";
    expect(await postgres.h.as("mof").inbox.list({ limit: 5, cursor })).toEqual(await sqlite.h.as("mof").inbox.list({ limit: 5, cursor }));
  });
});

describe.each(harnessEngines)("the notification centre on %s", (engine) => {
  it("lists the caller's notices newest first, in pages, with the unread count", async () => {
    const { h, seeded } = on(engine);
    const mof = h.as("mof");
    const all = await mof.notification.list({ limit: 100 });
    expect(all.items.length).toBeGreaterThan(3);
    expect(all.items.map((n) => n.id)).toEqual([...all.items.map((n) => n.id)].sort((a, b) => b - a));
    expect(all.unread).toBe(all.items.filter((n) => !n.read).length);
    expect(await mof.notification.unreadCount()).toBe(all.unread);
    expect(all.items.find((n) => n.link === `/assignments/${seeded.remindedId}` && n.params["event"] === "assignment.reminded")).toBeDefined();
    const first = await mof.notification.list({ limit: 2 });
    const next = await mof.notification.list({ limit: 2, before: first.items.at(-1)?.id ?? null });
    expect([...first.items, ...next.items].map((n) => n.id)).toEqual(all.items.slice(0, 4).map((n) => n.id));
  });

  it("marks notices read by their owner only; a notice of an assignment read clears that assignment's inbox mark", async () => {
    const { h, seeded } = on(engine);
    const mof = h.as("mof");
    const before = await mof.notification.list({ limit: 100 });
    const other = before.items.find((n) => !n.read && n.link !== `/assignments/${seeded.remindedId}`);
    const reminded = before.items.find((n) => !n.read && n.link === `/assignments/${seeded.remindedId}`);
    if (other === undefined || reminded === undefined) throw new Error("the seed told MOF too little");
    // Another account's ids are ignored.
    await h.as("sta").notification.markRead({ ids: [other.id] });
    expect(await mof.notification.unreadCount()).toBe(before.unread);
    expect(await mof.notification.markRead({ ids: [other.id] })).toBe(before.unread - 1);
    expect((await mof.inbox.unreadCount()).unread).toBe(1);
    expect((await mof.notification.list({ limit: 100 })).items.find((n) => n.id === other.id)?.read).toBe(true);
    // The coordinator opening the assignment reads nothing for the department.
    const miitAfter = await h.as("miit").inbox.markRead({ assignmentId: seeded.remindedId });
    expect(miitAfter).toEqual({ unread: await h.as("miit").notification.unreadCount() });
    expect((await mof.inbox.unreadCount()).unread).toBe(1);
    expect(await mof.notification.markRead({ ids: [reminded.id] })).toBe(before.unread - 2);
    expect((await mof.inbox.unreadCount()).unread).toBe(0);
    expect((await mof.inbox.list({ limit: 200 })).rows.find((r) => r.id === seeded.remindedId)?.unreadNotice).toBeNull();
    expect(await mof.notification.markRead({ ids: null })).toBe(0);
    expect((await mof.notification.list({ limit: 100 })).items.every((n) => n.read)).toBe(true);
  });

  it("opening an assignment reads the caller's notices of it, and answers the unread count", async () => {
    const { h } = on(engine);
    const sta = h.as("sta");
    const notices = await sta.notification.list({ limit: 100 });
    const link = notices.items.find((n) => !n.read && n.link.startsWith("/assignments/"))?.link;
    if (link === undefined) throw new Error("STA was told of no assignment");
    const ofIt = notices.items.filter((n) => !n.read && n.link === link).length;
    const assignmentId = Number(link.slice("/assignments/".length));
    expect(await sta.inbox.markRead({ assignmentId })).toEqual({ unread: notices.unread - ofIt });
    expect((await sta.notification.list({ limit: 100 })).items.filter((n) => !n.read && n.link === link)).toEqual([]);
    // Idempotent.
    expect(await sta.inbox.markRead({ assignmentId })).toEqual({ unread: notices.unread - ofIt });
  });

  it("shows the delivery log to administrators only", async () => {
    const { h } = on(engine);
    expect(Array.isArray(await h.as("admin").notification.deliveries({}))).toBe(true);
    expect(await refusalOf(() => h.as("mof").notification.deliveries({}))).toMatchObject({ refusalCode: "forbidden_role" });
  });
});
