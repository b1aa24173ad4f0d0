/**
 * Down the levels (issue 16) over real HTTP: the issue's walk-through, account by account with its own session
 * cookie, and the sibling-leak check across the cascade procedures and the existing plan-reading ones.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { readConfig } from "../config.js";
import { demoPassword } from "../demo/demo-accounts.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { auditEventsOf } from "../test-support/store-reads.js";

let dir: string;
let h: Harness;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-cascade-http-"));
  h = await createHarness({ path: join(dir, "countersign.sqlite"), now: new Date("2026-03-02T02:00:00Z") });
  const { bodyLimitBytes } = readConfig([], {});
  app = await buildApp(
    // The callers' handle: on PostgreSQL it refuses every use, as a server started on PostgreSQL has it.
    { store: h.store, db: h.context(null).db, live: h.live, sessionPolicy: h.context(null).sessionPolicy, now: () => h.clock.now, secureCookies: false },
    { allowedOrigins: [], bodyLimitBytes, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await app.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are checked by the assertions that read them.
  data: any;
  error: { data?: { code?: string; refusalCode?: string } } | null;
}

/** One account's browser: its own cookie jar, queries as GET, mutations as POST, as the web client sends them. */
async function signIn(username: string, password = demoPassword) {
  let cookie = "";
  const call = async (method: "GET" | "POST", path: string, input?: unknown): Promise<Answer> => {
    const url = method === "GET" ? `${base}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}` : `${base}/trpc/${path}`;
    const response = await fetch(url, {
      method,
      headers: method === "POST" ? { "content-type": "application/json", cookie } : { cookie },
      ...(method === "POST" ? { body: JSON.stringify(input ?? {}) } : {}),
    });
    const set = response.headers.getSetCookie()[0];
    if (set !== undefined) cookie = set.split(";")[0] ?? "";
    const body = (await response.json()) as { result?: { data: unknown }; error?: Answer["error"] };
    return { status: response.status, data: body.result?.data ?? null, error: body.error ?? null };
  };
  const login = await call("POST", "auth.login", { username, password });
  if (login.status !== 200) throw new Error(`${username} could not sign in: ${JSON.stringify(login.error)}`);
  const ok = async (method: "GET" | "POST", path: string, input?: unknown) => {
    const answer = await call(method, path, input);
    if (answer.status !== 200) throw new Error(`${username} ${path}: ${answer.status} ${JSON.stringify(answer.error)}`);
    return answer.data;
  };
  return {
    /** The status of a download outside tRPC (GET /export/...). */
    download: async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).status,
    query: (path: string, input?: unknown) => ok("GET", path, input),
    mutate: (path: string, input?: unknown) => ok("POST", path, input),
    /** The refusal code of a call expected to fail (null when it succeeded). */
    refused: async (method: "GET" | "POST", path: string, input?: unknown) => {
      const answer = await call(method, path, input);
      return answer.status === 200 ? null : (answer.error?.data?.refusalCode ?? String(answer.status));
    },
  };
}
type Client = Awaited<ReturnType<typeof signIn>>;

/** Every department on a measure signs off (supporting first, then the lead), each through its own liaison's inbox. */
async function signOffMeasure(office: Client, planId: number, measureNumber: number, place: string) {
  const plan = await office.query("catalog.plan", { planId });
  const parts = (plan.responsibilities as Array<{ measureNumber: number; department: string; role: string }>).filter((r) => r.measureNumber === measureNumber);
  const ordered = [...parts.filter((r) => r.role === "supporting"), ...parts.filter((r) => r.role === "lead")];
  expect(ordered.length).toBeGreaterThan(0);
  for (const r of ordered) {
    const line = r.department.split("-")[1] ?? "";
    const liaison = await signIn(`${place}-${line.toLowerCase()}`);
    const inbox = await liaison.query("inbox.list", { planId, limit: 50 });
    const row = (inbox.rows as Array<{ id: number; version: number; measureNumber: number }>).find((x) => x.measureNumber === measureNumber);
    if (row === undefined) throw new Error(`${r.department} has no assignment on (${measureNumber})`);
    const accepted = await liaison.mutate("assignment.accept", { id: row.id, expectedVersion: row.version });
    await liaison.mutate("assignment.signOff", { id: row.id, expectedVersion: accepted.version, summary: `${r.department} 已完成。` });
  }
}

const cellOf = (view: { columns: Array<{ id: string }>; rows: Array<{ measureNumber: number; cells: string[] }> }, measureNumber: number, column: string) =>
  view.rows.find((r) => r.measureNumber === measureNumber)?.cells[view.columns.findIndex((c) => c.id === column)];

describe("down the levels over HTTP", () => {
  it("walks the issue: forward to two provinces, Guangxi issues with a local measure and forwards (7) to Nanning, Nanning signs off, the views change; Zhejiang sees none of it", async () => {
    const nation = await signIn("miit");
    const guangxi = await signIn("gx-office");
    const nanning = await signIn("nn-office");
    const zhejiang = await signIn("zj-office");
    const national = h.planId;

    await nation.mutate("plan.issue", { planId: national, dueDate: "2027-12-31" });
    const around = await nation.query("cascade.organisations");
    expect(around.children).toHaveLength(31);
    const before = h.live.headId();
    const forwarded = await nation.mutate("cascade.forward", { planId: national, to: ["450000", "330000"], planDeadline: "2026-06-30" });
    // Announced live (no content), so the receiving offices' pages refetch their pending forwardings.
    expect(h.live.headId()).not.toBe(before);
    expect(forwarded.forwardings.map((f: { to: string }) => f.to)).toEqual(["450000", "330000"]);
    let view = await nation.query("cascade.regionalView", { planId: national });
    expect(view.totals).toEqual({ not_forwarded: 29 * 25, planning: 50, in_progress: 0, done: 0, late: 0 });
    // Forwarding (7) to Guangxi again is refused: each measure once per child.
    expect(await nation.refused("POST", "cascade.forward", { planId: national, to: ["450000"], measureNumbers: [7], planDeadline: "2026-06-30" })).toBe("already_forwarded");

    // Guangxi's inbox item; the national plan read-only (text, no states); derive, add a local measure, divide, issue.
    const pending = await guangxi.query("cascade.pending");
    expect(pending).toHaveLength(1);
    expect(pending[0].measures).toHaveLength(25);
    const parent = await guangxi.query("cascade.plan", { planId: national });
    expect(parent.access).toBe("read_only");
    expect(parent.measures[0].state).toBeNull();
    expect(parent.forwardings.map((f: { to: string }) => f.to)).toEqual(["450000"]);
    const derived = await guangxi.mutate("cascade.derive", { forwardingId: pending[0].forwardingId });
    expect(derived.measures).toBe(25);
    expect(derived.departmentsAdded.length).toBe(0); // the demo registered Guangxi's departments already
    const gx = derived.planId as number;
    expect(await guangxi.query("cascade.pending")).toEqual([]);
    const gxPlan = await guangxi.query("catalog.plan", { planId: gx });
    expect(gxPlan.responsibilities.find((r: { measureNumber: number; role: string }) => r.measureNumber === 7 && r.role === "lead").department).toBe("450000-STA");
    const local = await guangxi.mutate("cascade.addLocalMeasure", { planId: gx, title: "沿边中小企业", text: "支持沿边地区中小企业发展。", dueDate: "2026-12-31" });
    expect(local.measureNumber).toBe(26);
    // Its division is among its own members only, and no deadline may pass the nation's.
    expect(await guangxi.refused("POST", "plan.setResponsibilities", { planId: gx, measureNumber: 26, lead: "MOFCOM", supporting: [] })).toBe("unknown_department");
    expect(await guangxi.refused("POST", "plan.setResponsibilities", { planId: gx, measureNumber: 26, lead: "330000-MOFCOM", supporting: [] })).toBe("unknown_department");
    await guangxi.mutate("plan.setResponsibilities", { planId: gx, measureNumber: 26, lead: "450000-MOFCOM", supporting: [] });
    expect(await guangxi.refused("POST", "plan.issue", { planId: gx, dueDate: "2026-12-31", dueDates: [{ measureNumber: 1, dueDate: "2028-06-30" }] })).toBe("deadline_after_parent");
    expect(await zhejiang.refused("POST", "plan.issue", { planId: gx, dueDate: "2026-12-31" })).toBe("not_visible");
    await guangxi.mutate("plan.issue", { planId: gx, dueDate: "2026-12-31" });
    view = await nation.query("cascade.regionalView", { planId: national });
    expect([cellOf(view, 7, "450000"), cellOf(view, 7, "330000"), cellOf(view, 7, "440000")]).toEqual(["in_progress", "planning", "not_forwarded"]);
    expect(view.rows).toHaveLength(25); // Guangxi's local measure is no row of the nation's
    expect(view.drillDown["450000"]).toEqual([gx]);

    // Guangxi forwards (7) to Nanning, which derives (its tax bureau leads) and issues.
    await guangxi.mutate("cascade.forward", { planId: gx, to: ["450100"], measureNumbers: [7], planDeadline: "2026-05-31" });
    const nnPending = await nanning.query("cascade.pending");
    expect(nnPending.map((p: { measures: unknown[] }) => p.measures.length)).toEqual([1]);
    const nn = (await nanning.mutate("cascade.derive", { forwardingId: nnPending[0].forwardingId })).planId as number;
    const nnPlan = await nanning.query("catalog.plan", { planId: nn });
    expect(nnPlan.responsibilities.find((r: { role: string }) => r.role === "lead").department).toBe("450100-STA");
    await nanning.mutate("plan.issue", { planId: nn, dueDate: "2026-12-31" });
    // The existing tracking works on the local plan, for its own office.
    const gxTracking = await guangxi.query("tracking.overview", { planId: gx });
    expect(gxTracking.measures).toHaveLength(26);
    let gxView = await guangxi.query("cascade.regionalView", { planId: gx });
    expect(cellOf(gxView, 7, "450100")).toBe("in_progress");

    // Nanning's departments sign off (已全部报结): Guangxi's view changes; the nation's once Guangxi's own part is done too.
    await signOffMeasure(nanning, nn, 1, "nn");
    gxView = await guangxi.query("cascade.regionalView", { planId: gx });
    expect(cellOf(gxView, 7, "450100")).toBe("done");
    expect(cellOf(await nation.query("cascade.regionalView", { planId: national }), 7, "450000")).toBe("in_progress");
    await signOffMeasure(guangxi, gx, 7, "gx");
    gxView = await guangxi.query("cascade.regionalView", { planId: gx });
    expect(gxView.rows.find((r: { measureNumber: number }) => r.measureNumber === 7).state).toBe("done");
    view = await nation.query("cascade.regionalView", { planId: national });
    expect([cellOf(view, 7, "450000"), cellOf(view, 7, "330000")]).toEqual(["done", "planning"]);
    // The nation drills down to Guangxi's grid and Nanning's plan (progress: states, no text).
    expect(cellOf(await nation.query("cascade.regionalView", { planId: gx }), 7, "450100")).toBe("done");
    const nnAsNation = await nation.query("cascade.plan", { planId: nn });
    expect(nnAsNation.access).toBe("progress");
    expect(nnAsNation.measures[0]).toMatchObject({ state: "done", text: null });

    // Zhejiang sees none of it: its own forwarding only, no plan, view, derivation or inbox of Guangxi's or Nanning's.
    const zjPending = await zhejiang.query("cascade.pending");
    expect(zjPending.map((p: { planId: number }) => p.planId)).toEqual([national]);
    expect((await zhejiang.query("cascade.plan", { planId: national })).access).toBe("read_only");
    for (const planId of [gx, nn]) {
      expect(await zhejiang.refused("GET", "cascade.plan", { planId })).toBe("not_visible");
      expect(await zhejiang.refused("GET", "cascade.regionalView", { planId })).toBe("not_visible");
      expect(await zhejiang.refused("GET", "catalog.plan", { planId })).toBe("not_visible");
      expect(await zhejiang.refused("GET", "tracking.overview", { planId })).toBe("not_visible");
      expect(await zhejiang.refused("GET", "matrix.get", { planId })).toBe("not_visible");
      expect(await zhejiang.refused("GET", "inbox.list", { planId, limit: 10 })).toBe("not_visible");
      expect(await zhejiang.refused("POST", "cascade.addLocalMeasure", { planId, title: "x", text: "x", dueDate: "2026-12-31" })).not.toBeNull();
      expect(await zhejiang.refused("POST", "cascade.forward", { planId, to: ["330100"], planDeadline: "2026-05-31" })).not.toBeNull();
    }
    // Nor the national view (its cells are the siblings' states), nor Guangxi's forwarding.
    expect(await zhejiang.refused("GET", "cascade.regionalView", { planId: national })).toBe("not_visible");
    expect(await zhejiang.refused("POST", "cascade.derive", { forwardingId: nnPending[0].forwardingId })).toBe("not_forwarded_here");
    expect(await zhejiang.refused("POST", "cascade.derive", { forwardingId: pending[0].forwardingId })).toBe("not_forwarded_here");
    expect(await zhejiang.refused("POST", "cascade.derive", { forwardingId: 999_999 })).toBe("not_forwarded_here");
    // Zhejiang's liaison cannot open Nanning's assignments.
    const zjMof = await signIn("zj-mof");
    const nnInbox = await (await signIn("nn-sta")).query("inbox.list", { planId: nn, limit: 10 });
    expect(await zjMof.refused("GET", "assignment.get", { id: nnInbox.rows[0].id })).toBe("not_visible");
    // A province's office reads the national plan only through the cascade view, never the national inbox, tracking or matrix.
    expect(await zhejiang.refused("GET", "catalog.plan", { planId: national })).toBe("not_visible");
    expect(await zhejiang.refused("GET", "tracking.overview", { planId: national })).toBe("not_visible");
    // The lists that span plans keep to the organisation: the catalogue, the trail, another organisation's inbox.
    expect((await zhejiang.query("catalog.plans")).map((p: { id: number }) => p.id)).toEqual([]);
    expect((await guangxi.query("catalog.plans")).map((p: { id: number }) => p.id)).toEqual([gx]);
    expect((await nation.query("catalog.plans")).map((p: { id: number }) => p.id)).toEqual([national]);
    const zjTrail = await zhejiang.query("audit.list", { limit: 200 });
    expect(zjTrail.rows).toEqual([]);
    const gxTrail = await guangxi.query("audit.list", { limit: 200 });
    expect(gxTrail.rows.length).toBeGreaterThan(0);
    expect(gxTrail.rows.every((r: { planId: number | null }) => r.planId === gx)).toBe(true);
    expect(await zhejiang.refused("GET", "inbox.list", { department: "450000-MOF", limit: 10 })).toBe("not_visible");
    expect(await zhejiang.refused("GET", "inbox.list", { department: "MOF", limit: 10 })).toBe("not_visible");
    expect(await zhejiang.refused("GET", "inbox.list", { department: null, limit: 10 })).toBe("not_visible");
    // Each office names its own register; the national departments stay the national level's.
    const gxDepartments = (await guangxi.query("catalog.departments")) as Array<{ code: string }>;
    expect(gxDepartments.length).toBeGreaterThan(15);
    expect(gxDepartments.every((d) => d.code.startsWith("450000-"))).toBe(true);
    expect(((await nation.query("catalog.departments")) as Array<{ code: string }>).some((d) => d.code.includes("-"))).toBe(false);
    // A plan an office makes itself is its organisation's, among its own departments only.
    const own = { titleEn: "Zhejiang work plan", titleZh: "浙江省中小企业工作要点", sections: [{ number: 1, numeral: "一", title: "总体要求" }], measures: [{ number: 1, section: 1, title: "优化服务", text: "优化中小企业服务。", textCut: false }] };
    expect(await zhejiang.refused("POST", "plan.create", { ...own, responsibilities: [{ measureNumber: 1, department: "MOF", role: "lead" }] })).toBe("unknown_department");
    const zjPlan = (await zhejiang.mutate("plan.create", { ...own, responsibilities: [{ measureNumber: 1, department: "330000-MOF", role: "lead" }] })).planId as number;
    expect((await zhejiang.query("catalog.plans")).map((p: { id: number }) => p.id)).toEqual([zjPlan]);
    expect(await guangxi.refused("GET", "catalog.plan", { planId: zjPlan })).toBe("not_visible");
    // Nor its exports; Guangxi exports its own matrix.
    expect(await zhejiang.download(`/export/matrix.csv?plan=${gx}`)).toBe(403);
    expect(await guangxi.download(`/export/matrix.csv?plan=${gx}`)).toBe(200);
    // Guangxi, one level below the nation, may not see the national regional view either (its cells are its siblings').
    expect(await guangxi.refused("GET", "cascade.regionalView", { planId: national })).toBe("not_visible");
    // Every act is in the audit trail.
    const counts = new Map<string, number>();
    for (const e of await auditEventsOf(h)) if (e.type.startsWith("cascade.")) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    const types = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([type, n]) => ({ type, n }));
    expect(types).toEqual([
      { type: "cascade.forwarded", n: 3 },
      { type: "cascade.local_measure_added", n: 1 },
      { type: "cascade.plan_derived", n: 2 },
    ]);
  });

  it("lets an administrator make a province's first account (its register joins), and that office takes in what is forwarded", async () => {
    const admin = await signIn("admin");
    // An organisation that does not exist has no departments.
    expect(await admin.refused("POST", "admin.create", { username: "nowhere-office", role: "coordinator", department: "449999-MIIT", displayNameZh: "无此单位" })).toBe("unknown_department");
    const made = await admin.mutate("admin.create", { username: "gd-office", role: "coordinator", department: "440000-MIIT", displayNameZh: "广东省领导小组办公室" });
    const redeemed = await fetch(`${base}/trpc/account.redeemReset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: made.reset.code, newPassword: "guangdong office passphrase" }),
    });
    expect(redeemed.status).toBe(200);
    const departments = await h.store.read((repos) => repos.departmentRegister.list("440000"));
    expect(departments.length).toBeGreaterThan(15);
    const nation = await signIn("miit");
    await nation.mutate("cascade.forward", { planId: h.planId, to: ["440000"], measureNumbers: [9], planDeadline: "2026-06-30" });
    const guangdong = await signIn("gd-office", "guangdong office passphrase");
    const pending = await guangdong.query("cascade.pending");
    expect(pending).toHaveLength(1);
    const derived = await guangdong.mutate("cascade.derive", { forwardingId: pending[0].forwardingId });
    expect(derived.measures).toBe(1);
    expect(await guangdong.refused("GET", "cascade.plan", { planId: derived.planId })).toBeNull();
  });
});
