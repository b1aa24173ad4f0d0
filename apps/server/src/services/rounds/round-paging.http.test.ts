/**
 * A round's reports a page at a time over real HTTP (round.header, round.reports): the keyset paging loses and repeats
 * nothing while departments submit, every filter gives exactly the reports round.get gives and the filter keeps, the
 * statistics are round.get's, and a department's accounts read only their own department's reports.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { FastifyInstance } from "fastify";
import { createSqliteStore, loadDefaultPlan, openDatabase } from "@countersign/db";
import type { OpenedDatabase } from "@countersign/db";
import { roundReportStandings, roundReportStatuses } from "@countersign/domain";
import { closePdfRenderer } from "@countersign/exports";
import { buildApp } from "../../app.js";
import { LiveBus } from "../../live.js";
import type { AppRouter } from "../../router.js";
import { defaultSessionPolicy } from "../auth/session-policy.js";
import { createUser } from "../users/create-user.js";
import { compileRound } from "./compile-round.js";

type Report = inferRouterOutputs<AppRouter>["round"]["get"]["reports"][number];
type ReportsInput = inferRouterInputs<AppRouter>["round"]["reports"];

let dir: string;
let database: OpenedDatabase;
let app: FastifyInstance;
let base: string;
const password = "round-paging-test-password";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-round-paging-"));
  database = openDatabase(join(dir, "countersign.sqlite"));
  loadDefaultPlan(database.db);
  const accounts = [
    { username: "miit", role: "coordinator", department: "MIIT" },
    { username: "observer", role: "observer", department: null },
    { username: "mof", role: "liaison", department: "MOF" },
    { username: "sta", role: "liaison", department: "STA" },
    { username: "ndrc", role: "liaison", department: "NDRC" },
  ] as const;
  await Promise.all(accounts.map((a) => createUser(database.db, { ...a, password }, null, new Date())));
  app = await buildApp(
    { store: createSqliteStore(database), db: database.db, live: new LiveBus(), sessionPolicy: defaultSessionPolicy, now: () => new Date(), secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  await closePdfRenderer();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

async function signIn(username: string | null): Promise<Client> {
  let cookie: string | null = null;
  const cookieFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (cookie !== null) headers.set("cookie", cookie);
    const response = await fetch(input, { ...init, headers });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      if (pair?.startsWith("countersign_session=")) cookie = pair;
    }
    return response;
  };
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc`, fetch: cookieFetch })] });
  if (username !== null) await client.auth.login.mutate({ username, password });
  return client;
}

async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    return (error as { data?: { refusalCode?: string } }).data?.refusalCode ?? "unknown";
  }
  throw new Error("expected a refusal");
}

/** Every page of round.reports for `input`, following the cursors; the first page's `matching` too. */
async function allPages(client: Client, input: ReportsInput, between?: () => Promise<void>): Promise<{ reports: Report[]; matching: number | null; pages: number }> {
  const reports: Report[] = [];
  let cursor: string | undefined;
  let matching: number | null = null;
  let pages = 0;
  for (;;) {
    const page = await client.round.reports.query({ ...input, cursor });
    pages += 1;
    if (pages === 1) matching = page.matching;
    else expect(page.matching).toBeNull();
    reports.push(...page.reports);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
    if (between !== undefined) await between();
  }
  return { reports, matching, pages };
}

/** The compiled report's order: measure, lead before supporting, department code, id. */
function inOrder(a: Report, b: Report): number {
  return a.measureNumber - b.measureNumber || (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1) || (a.department < b.department ? -1 : a.department > b.department ? 1 : 0) || a.id - b.id;
}

const text = { progress: "已印发通知", problems: "无", nextSteps: "开展督查" };
const beijingDay = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

let miit: Client;
let observer: Client;
let mof: Client;
let sta: Client;
let ndrc: Client;
let anonymous: Client;
let planId: number;

describe("round.header and round.reports over HTTP", () => {
  beforeAll(async () => {
    [miit, observer, mof, sta, ndrc, anonymous] = await Promise.all([signIn("miit"), signIn("observer"), signIn("mof"), signIn("sta"), signIn("ndrc"), signIn(null)]);
    planId = (await miit.catalog.plans.query())[0]?.id ?? 0;
    await miit.plan.issue.mutate({ planId, dueDate: "2027-06-30" });
  });

  it("pages through every report once, in order, while departments submit between and during the pages", async () => {
    const opened = await miit.round.open.mutate({ planId, title: "全量", periodStart: beijingDay(-60), periodEnd: beijingDay(-1), dueDate: beijingDay(30) });
    const whole = (await miit.round.get.query({ roundId: opened.id })).reports;
    expect(whole.length).toBeGreaterThan(40);
    const mine = (client: Client) => client.round.reports.query({ roundId: opened.id, limit: 200 });
    const [mofReports, staReports] = [(await mine(mof)).reports, (await mine(sta)).reports];
    // MOF and STA submit every one of their reports, one after another, while the coordinator pages.
    const submitting = (async () => {
      for (const [client, list] of [
        [mof, mofReports],
        [sta, staReports],
      ] as const) {
        for (const r of list) await client.round.submit.mutate({ reportId: r.id, expectedVersion: r.version, ...text });
      }
    })();
    let submittedBetween = 0;
    const paged = await allPages(miit, { roundId: opened.id, limit: 7 }, async () => {
      // And one more between two pages, whatever the concurrent loop has reached.
      const next = (await mine(ndrc)).reports.find((r) => r.status === "not_reported");
      if (next !== undefined) {
        await ndrc.round.submit.mutate({ reportId: next.id, expectedVersion: next.version, ...text });
        submittedBetween += 1;
      }
    });
    await submitting;
    expect(submittedBetween).toBeGreaterThan(0);
    expect(paged.pages).toBe(Math.ceil(whole.length / 7));
    expect(paged.matching).toBe(whole.length);
    const ids = paged.reports.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(whole.map((r) => r.id));
    expect([...paged.reports].sort(inOrder).map((r) => r.id)).toEqual(ids);
    // After the submissions: every page agrees with round.get, view for view.
    const after = await miit.round.get.query({ roundId: opened.id });
    expect((await allPages(miit, { roundId: opened.id, limit: 13 })).reports).toEqual(after.reports);
    const header = await miit.round.header.query({ roundId: opened.id });
    const { reports: _reports, ...summary } = after;
    expect(header).toMatchObject(summary);
    expect(header.statistics.reported).toBe(mofReports.length + staReports.length + submittedBetween);
    expect(header.reportDepartments).toEqual([...new Set(after.reports.map((r) => r.department))].sort());
    expect(header.reportMeasures.map((m) => m.number)).toEqual([...new Set(after.reports.map((r) => r.measureNumber))].sort((a, b) => a - b));
    expect(header.reportMeasures.every((m) => m.title.length > 0)).toBe(true);
  });

  it("every filter gives exactly the reports round.get gives that meet it, before and after the due date", async () => {
    const due = await miit.round.open.mutate({ planId, title: "未到期", periodStart: beijingDay(-60), periodEnd: beijingDay(-1), dueDate: beijingDay(30) });
    const past = await miit.round.open.mutate({ planId, title: "已逾期", periodStart: beijingDay(-60), periodEnd: beijingDay(-10), dueDate: beijingDay(-2) });
    for (const round of [due, past]) {
      // A mix of states: MOF submits its first two reports and drafts the third; the coordinator returns one; STA drafts.
      const mofReports = (await mof.round.reports.query({ roundId: round.id })).reports;
      for (const r of mofReports.slice(0, 2)) await mof.round.submit.mutate({ reportId: r.id, expectedVersion: r.version, ...text });
      const draft = mofReports[2];
      if (draft !== undefined) await mof.round.saveDraft.mutate({ reportId: draft.id, expectedVersion: draft.version, ...text });
      const toReturn = (await miit.round.reports.query({ roundId: round.id, department: "MOF", statuses: ["submitted"], limit: 1 })).reports[0];
      if (toReturn === undefined) throw new Error("no submitted report to return");
      await miit.round.return.mutate({ reportId: toReturn.id, expectedVersion: toReturn.version, reason: "请补充数据" });
      const staFirst = (await sta.round.reports.query({ roundId: round.id, limit: 1 })).reports[0];
      if (staFirst !== undefined) await sta.round.saveDraft.mutate({ reportId: staFirst.id, expectedVersion: staFirst.version, ...text });

      const whole = (await miit.round.get.query({ roundId: round.id })).reports;
      const someMeasure = whole[Math.floor(whole.length / 2)]?.measureNumber ?? 1;
      const filters: { input: Omit<ReportsInput, "roundId">; keep: (r: Report) => boolean }[] = [
        { input: { measureNumber: someMeasure }, keep: (r) => r.measureNumber === someMeasure },
        { input: { department: "MOF" }, keep: (r) => r.department === "MOF" },
        { input: { department: "NOSUCH" }, keep: () => false },
        ...roundReportStandings.map((s) => ({ input: { standings: [s] }, keep: (r: Report) => r.standing === s })),
        { input: { standings: ["late", "not_reported"] }, keep: (r: Report) => r.standing === "late" || r.standing === "not_reported" },
        ...roundReportStatuses.map((s) => ({ input: { statuses: [s] }, keep: (r: Report) => r.status === s })),
        {
          input: { department: "MOF", statuses: ["draft", "submitted"], standings: ["late", "reported", "reported_late"] },
          keep: (r: Report) => r.department === "MOF" && (r.status === "draft" || r.status === "submitted") && ["late", "reported", "reported_late"].includes(r.standing),
        },
      ];
      for (const f of filters) {
        const expected = whole.filter(f.keep);
        const got = await allPages(miit, { roundId: round.id, limit: 3, ...f.input });
        expect(got.reports.map((r) => r.id), JSON.stringify(f.input)).toEqual(expected.map((r) => r.id));
        expect(got.matching, JSON.stringify(f.input)).toBe(expected.length);
      }
      // Each standing appears where it should: the due round has nothing late, the past one nothing "not reported".
      const standings = new Set(whole.map((r) => r.standing));
      expect(standings.has(round === due ? "not_reported" : "late")).toBe(true);
      expect(standings.has(round === due ? "late" : "not_reported")).toBe(false);
      expect(standings.has("returned")).toBe(true);
      expect(standings.has(round === due ? "reported" : "reported_late")).toBe(true);
    }
  });

  it("a department's accounts read only their department's reports; drafts keep their text; strangers get nothing", async () => {
    const opened = await miit.round.open.mutate({
      planId,
      title: "两部门",
      periodStart: beijingDay(-60),
      periodEnd: beijingDay(-1),
      dueDate: beijingDay(30),
      departments: ["MOF", "STA"],
    });
    const mofFirst = (await mof.round.reports.query({ roundId: opened.id, limit: 1 })).reports[0];
    if (mofFirst === undefined) throw new Error("the round asks MOF for nothing");
    await mof.round.saveDraft.mutate({ reportId: mofFirst.id, expectedVersion: mofFirst.version, ...text });

    const mofPages = await allPages(mof, { roundId: opened.id, limit: 2 });
    expect(mofPages.reports.length).toBeGreaterThan(0);
    expect(mofPages.reports.every((r) => r.department === "MOF")).toBe(true);
    expect(mofPages.reports.map((r) => r.id)).toEqual((await mof.round.get.query({ roundId: opened.id })).reports.map((r) => r.id));
    // MOF sees its own draft's text; the coordinator and the observer see that it exists, not what it says.
    expect(mofPages.reports.find((r) => r.id === mofFirst.id)).toMatchObject({ status: "draft", progress: text.progress });
    for (const reader of [miit, observer]) {
      const seen = (await reader.round.reports.query({ roundId: opened.id, department: "MOF", statuses: ["draft"] })).reports;
      expect(seen.map((r) => [r.id, r.progress, r.problems, r.nextSteps])).toEqual([[mofFirst.id, null, null, null]]);
    }
    // Filters never widen a department's reach: its own department only, and only rounds that ask it.
    expect((await mof.round.reports.query({ roundId: opened.id, department: "MOF", limit: 200 })).reports.map((r) => r.id)).toEqual(mofPages.reports.map((r) => r.id));
    expect(await errorCode(() => mof.round.reports.query({ roundId: opened.id, department: "STA" }))).toBe("not_your_department");
    expect(await errorCode(() => ndrc.round.reports.query({ roundId: opened.id }))).toBe("not_found");
    expect(await errorCode(() => ndrc.round.header.query({ roundId: opened.id }))).toBe("not_found");
    expect(await errorCode(() => anonymous.round.reports.query({ roundId: opened.id }))).toBe("unauthenticated");
    expect(await errorCode(() => anonymous.round.header.query({ roundId: opened.id }))).toBe("unauthenticated");
    expect(await errorCode(() => miit.round.header.query({ roundId: 999_999 }))).toBe("not_found");
    // The statistics count what the reader may read: MOF its own, the coordinator both departments.
    const mofHeader = await mof.round.header.query({ roundId: opened.id });
    expect(mofHeader.statistics).toEqual((await mof.round.get.query({ roundId: opened.id })).statistics);
    expect(mofHeader.statistics).toMatchObject({ total: mofPages.reports.length, drafts: 1, departments: 1 });
    expect(mofHeader.reportDepartments).toEqual(["MOF"]);
    const miitHeader = await miit.round.header.query({ roundId: opened.id });
    expect(miitHeader.statistics).toEqual((await miit.round.get.query({ roundId: opened.id })).statistics);
    expect(miitHeader.reportDepartments).toEqual(["MOF", "STA"]);
    // round.list counts the same way.
    const listed = await mof.round.list.query({ planId });
    expect(listed.find((r) => r.id === opened.id)?.statistics).toEqual(mofHeader.statistics);
    expect((await ndrc.round.list.query({ planId })).some((r) => r.id === opened.id)).toBe(false);
  });

  it("refuses a cursor it did not give out and a limit out of bounds", async () => {
    const roundId = (await miit.round.list.query({ planId }))[0]?.id ?? 0;
    expect(await errorCode(() => miit.round.reports.query({ roundId, cursor: "bm90LWEtY3Vyc29y" }))).toBe("invalid_input");
    expect(await errorCode(() => miit.round.reports.query({ roundId, cursor: Buffer.from(JSON.stringify([1, "boss", "MOF", 1])).toString("base64url") }))).toBe("invalid_input");
    expect(await errorCode(() => miit.round.reports.query({ roundId, limit: 201 }))).toBe("invalid_input");
    expect(await errorCode(() => miit.round.reports.query({ roundId, limit: 0 }))).toBe("invalid_input");
  });

  it("the compiled report prints what was submitted, grouped by section and measure, lead first, from its own lean read", async () => {
    const opened = await miit.round.open.mutate({ planId, title: "汇总", periodStart: beijingDay(-60), periodEnd: beijingDay(-1), dueDate: beijingDay(30) });
    const mofReports = (await mof.round.reports.query({ roundId: opened.id })).reports;
    const [submitted, draft] = mofReports;
    if (submitted === undefined || draft === undefined) throw new Error("MOF has fewer than two reports");
    await mof.round.submit.mutate({ reportId: submitted.id, expectedVersion: submitted.version, ...text });
    await mof.round.saveDraft.mutate({ reportId: draft.id, expectedVersion: draft.version, progress: "草稿内容", problems: "", nextSteps: "" });
    const coordinator = { id: 1, username: "miit", displayName: "miit", role: "coordinator" as const, department: "MIIT" };
    const compiled = await createSqliteStore(database).read((repos) => compileRound(repos, coordinator, opened.id, "zh", new Date()));
    const whole = await miit.round.get.query({ roundId: opened.id });
    expect(compiled.statistics).toEqual(whole.statistics);
    const printed = compiled.sections.flatMap((s) => s.measures.flatMap((m) => m.reports.map((r) => ({ section: s.number, measure: m.number, ...r }))));
    const expected = [...whole.reports].sort((a, b) => a.sectionNumber - b.sectionNumber || inOrder(a, b));
    expect(printed.map((r) => [r.section, r.measure, r.department.code, r.role, r.standing])).toEqual(
      expected.map((r) => [r.sectionNumber, r.measureNumber, r.department, r.role, r.standing]),
    );
    const byDepartmentAndMeasure = (code: string, measure: number) => printed.find((r) => r.department.code === code && r.measure === measure);
    expect(byDepartmentAndMeasure("MOF", submitted.measureNumber)).toMatchObject(text);
    expect(byDepartmentAndMeasure("MOF", draft.measureNumber)).toMatchObject({ progress: null, problems: null, nextSteps: null });
  });
});
