// Issue 15, point 2, round reports inside a department: with MOF's leader approval on, a handler's round report waits
// for the department leader ("waiting for the leader"); the leader returns it with a reason, the handler revises and
// submits again, the leader approves it, and the lead ministry sees it reported.
import { request as playwrightRequest } from "@playwright/test";
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { demoPassword, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

async function apiOf(username: string | null, password = demoPassword): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: server.origin, extraHTTPHeaders: { Origin: server.origin } });
  if (username !== null) await call(context, "auth.login", { username, password });
  return context;
}

async function call<T>(context: APIRequestContext, path: string, input: unknown): Promise<T> {
  const response = await context.post(`/trpc/${path}`, { data: input });
  const body = (await response.json()) as { result?: { data: T } };
  if (!response.ok() || body.result === undefined) throw new Error(`${path} failed: ${response.status()} ${JSON.stringify(body)}`);
  return body.result.data;
}

async function query<T>(context: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await context.get(`/trpc/${path}${q}`);
  const body = (await response.json()) as { result?: { data: T } };
  if (!response.ok() || body.result === undefined) throw new Error(`${path} failed: ${response.status()} ${JSON.stringify(body)}`);
  return body.result.data;
}

async function pageOf(browser: Browser, username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username, { origin: server.origin, password });
  return page;
}

const handlerPassword = "plum rain over the river";
const leaderPassword = "autumn moon above the lake";

test("a handler's round report waits for the department leader, who returns it, then approves it; the lead ministry sees it reported", async ({ browser }) => {
  test.setTimeout(120_000);
  // The administrator: a division of MOF, a handler in it, a leader, and MOF's rule that its leader approves.
  const admin = await apiOf("admin");
  const anonymous = await apiOf(null);
  const division = await call<{ id: number }>(admin, "admin.createDivision", { department: "MOF", nameZh: "税政司", nameEn: "Tax Policy Department" });
  for (const [username, part, password] of [
    ["mof.tax", "handler", handlerPassword],
    ["mof.leader", "leader", leaderPassword],
  ] as const) {
    const made = await call<{ account: { id: number }; reset: { code: string } }>(admin, "admin.create", {
      username,
      role: "liaison",
      department: "MOF",
      displayNameZh: part === "handler" ? "李娜" : "王强",
    });
    await call(anonymous, "account.redeemReset", { code: made.reset.code, newPassword: password });
    await call(admin, "admin.setDepartmentPart", { id: made.account.id, departmentRole: part, divisionId: part === "handler" ? division.id : null });
  }
  await call(admin, "admin.setLeaderApproval", { department: "MOF", required: true });

  // The coordinator opens a round asking MOF.
  const miit = await apiOf("miit");
  const plans = await query<Array<{ id: number; status: string }>>(miit, "catalog.plans");
  const planId = plans.filter((p) => p.status === "issued").at(-1)?.id ?? 0;
  const round = await call<{ id: number }>(miit, "round.open", {
    planId,
    title: "权限内审核演练",
    periodStart: "2026-01-01",
    periodEnd: "2026-03-31",
    dueDate: "2099-01-10",
    departments: ["MOF"],
  });
  const first = (await query<{ reports: Array<{ id: number }> }>(miit, "round.get", { roundId: round.id })).reports[0];
  if (first === undefined) throw new Error("the round asks MOF for no report");

  // The handler writes and submits: it waits for the leader.
  const handler = await pageOf(browser, "mof.tax", handlerPassword);
  await handler.goto(`${server.origin}/rounds/${round.id}`);
  const mine = () => handler.locator(`article[data-report-id="${first.id}"]`);
  await mine().getByLabel(/进展情况/).fill("已起草实施细则");
  await mine().getByLabel(/存在问题/).fill("无");
  await mine().getByLabel(/下一步计划/).fill("征求意见");
  await mine().getByRole("button", { name: "Submit" }).click();
  await expect(handler.getByRole("status").filter({ hasText: "Report sent to the department leader for approval." })).toBeVisible();
  await expect(mine().getByTestId("awaiting-leader")).toBeVisible();
  await expect(mine().getByRole("button", { name: "Submit" })).toHaveCount(0);
  // The lead ministry sees a report not yet submitted, and not its text.
  const waiting = (await query<{ reports: Array<{ id: number; status: string; progress: string | null }> }>(miit, "round.get", { roundId: round.id })).reports.find(
    (r) => r.id === first.id,
  );
  expect(waiting).toMatchObject({ status: "awaiting_approval", progress: null });

  // The leader returns it with a reason.
  const leader = await pageOf(browser, "mof.leader", leaderPassword);
  await leader.goto(`${server.origin}/rounds/${round.id}`);
  const decision = leader.locator(`article[data-report-id="${first.id}"]`).getByTestId("leader-decision");
  await expect(decision).toBeVisible();
  expect(await seriousViolations(leader)).toEqual([]);
  await decision.getByLabel(/Why does it go back/).fill("请补充时间安排");
  await decision.getByRole("button", { name: "Return for revision" }).click();
  await expect(leader.getByRole("status").filter({ hasText: "Report returned for revision." })).toBeVisible();

  // The handler sees the reason, revises and submits again.
  await handler.reload();
  await expect(mine().getByTestId("returned-by-leader")).toContainText("请补充时间安排");
  await mine().getByLabel(/下一步计划/).fill("六月底前征求意见");
  await mine().getByRole("button", { name: "Submit" }).click();
  await expect(handler.getByRole("status").filter({ hasText: "Report sent to the department leader for approval." })).toBeVisible();

  // The leader approves: the report goes to the lead ministry.
  await leader.reload();
  await leader.locator(`article[data-report-id="${first.id}"]`).getByRole("button", { name: "Approve and submit" }).click();
  await expect(leader.getByRole("status").filter({ hasText: "Report approved and submitted to the lead ministry." })).toBeVisible();
  await expect(leader.locator(`article[data-report-id="${first.id}"]`).getByTestId("report-standing")).toHaveText("Reported");

  const out = (await query<{ reports: Array<{ id: number; status: string; standing: string; nextSteps: string | null }> }>(miit, "round.get", { roundId: round.id })).reports.find(
    (r) => r.id === first.id,
  );
  expect(out).toMatchObject({ status: "submitted", standing: "reported", nextSteps: "六月底前征求意见" });
  for (const context of [admin, anonymous, miit]) await context.dispose();
});
