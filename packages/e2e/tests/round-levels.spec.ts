// Issue 16, point 3, round reports compiled level by level, in the browser: the national office forwards a measure to
// Guangxi, which derives and issues its implementation plan (through the API: the cascade spec walks that in the
// browser); the national office opens a round on the plan, which opens Guangxi's own round. Guangxi's office, on its
// round's page and by keyboard, writes its report to the level above, submits it for sign-off and signs it off; the
// national office sees it reported in "Reports from the level below", reads it and returns it with a reason; Guangxi's
// office sees the reason. Forwarding changes what other specs see: a server of its own.
import { request as playwrightRequest } from "@playwright/test";
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { demoPassword, keepScreenshot, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

/** A day `days` from today in Beijing, YYYY-MM-DD (the demo's deadlines are relative to today). */
function beijingDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function apiOf(username: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: server.origin, extraHTTPHeaders: { Origin: server.origin } });
  await call(context, "auth.login", { username, password: demoPassword });
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

async function pageOf(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username, { origin: server.origin });
  return page;
}

/** A one-page PDF (enough for file-type: it reads the `%PDF-` header). */
const evidencePdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

test("a province's report to the national round: written, submitted for sign-off, signed off, seen above, returned with a reason", async ({ browser }) => {
  test.setTimeout(120_000);
  const miit = await apiOf("miit");
  const plans = await query<Array<{ id: number; status: string }>>(miit, "catalog.plans");
  const demoPlan = plans.filter((p) => p.status === "issued").at(-1)?.id;
  if (demoPlan === undefined) throw new Error("no issued plan");
  // A measure whose deadline is still ahead (a province's deadline may not pass the measure's own).
  const national = await query<{ measures: Array<{ number: number; dueDate: string }> }>(miit, "cascade.plan", { planId: demoPlan });
  const measure = national.measures.find((m) => m.dueDate !== "ongoing" && m.dueDate >= beijingDay(5));
  if (measure === undefined) throw new Error("no measure due ahead");
  await call(miit, "cascade.forward", { planId: demoPlan, to: ["450000"], measureNumbers: [measure.number], planDeadline: beijingDay(2) });
  const gx = await apiOf("gx-office");
  const [pending] = await query<Array<{ forwardingId: number }>>(gx, "cascade.pending");
  if (pending === undefined) throw new Error("nothing forwarded to Guangxi");
  const gxPlan = (await call<{ planId: number }>(gx, "cascade.derive", { forwardingId: pending.forwardingId })).planId;
  await call(gx, "plan.issue", { planId: gxPlan, dueDate: measure.dueDate });
  const opened = await call<{ id: number; below: Array<{ organisation: string; roundId: number }> }>(miit, "round.open", {
    planId: demoPlan,
    title: "分级调度演示",
    periodStart: beijingDay(-30),
    periodEnd: beijingDay(-1),
    dueDate: beijingDay(5),
    measureNumbers: [measure.number],
  });
  const gxRound = opened.below.find((b) => b.organisation === "450000")?.roundId;
  if (gxRound === undefined) throw new Error("no round opened for Guangxi");

  // Guangxi's office: its round's page has its report to the level above; everything by keyboard.
  const office = await pageOf(browser, "gx-office");
  await office.goto(`${server.origin}/rounds/${gxRound}`);
  const own = office.getByTestId("level-report");
  await expect(own.getByRole("heading", { name: "Report to the level above" })).toBeVisible();
  await expect(own.getByTestId("level-state")).toHaveText("State: Not yet reported");
  await expect(own).toContainText("To: State Council");
  expect(await seriousViolations(office)).toEqual([]);
  await own.getByLabel("Progress").fill("全区已印发实施方案，成员单位按季报送。");
  await office.keyboard.press("Tab");
  await expect(own.getByLabel("Problems")).toBeFocused();
  await office.keyboard.type("无");
  await own.getByLabel("Next steps").fill("开展督查。");
  // The office's own evidence goes up with its submission (佐证材料).
  await own.getByLabel("Evidence (佐证材料)").setInputFiles({ name: "督查报告.pdf", mimeType: "application/pdf", buffer: evidencePdf });
  await expect(own.getByTestId("level-chosen-files")).toContainText("督查报告.pdf");
  await own.getByTestId("level-submit").focus();
  await office.keyboard.press("Enter");
  await expect(own.getByTestId("level-state")).toHaveText("State: Awaiting sign-off");
  await expect(office.getByRole("status").filter({ hasText: "Report sent for sign-off." })).toBeAttached();
  await own.getByTestId("level-sign-off").focus();
  await office.keyboard.press("Enter");
  await expect(own.getByTestId("level-state")).toHaveText("State: Signed off and submitted");
  await expect(own.getByTestId("level-files").getByRole("link", { name: "督查报告.pdf" })).toHaveAttribute("href", /^\/attachments\/level-report-files\/\d+$/);
  // Signed off: its files are frozen (no Remove or Replace, and a word why).
  await expect(own.getByRole("button", { name: "Remove 督查报告.pdf" })).toHaveCount(0);
  await expect(own).toContainText("The files are frozen while the report awaits its sign-off or is submitted.");
  await keepScreenshot(office, "round-levels-province");

  // The national office: Guangxi reported, its text readable; returned with a reason through the dialog.
  const nation = await pageOf(browser, "miit");
  await nation.goto(`${server.origin}/rounds/${opened.id}`);
  const below = nation.getByTestId("level-below");
  await expect(nation.getByRole("heading", { name: "Reports from the level below" })).toBeVisible();
  const row = below.locator('tr[data-organisation="450000"]');
  await expect(row).toHaveAttribute("data-standing", "reported");
  await row.getByText("Report", { exact: true }).focus();
  await nation.keyboard.press("Enter");
  await expect(row).toContainText("全区已印发实施方案，成员单位按季报送。");
  const evidence = row.getByTestId("level-files").getByRole("link", { name: "督查报告.pdf" });
  await expect(evidence).toBeVisible();
  const href = await evidence.getAttribute("href");
  const download = await nation.request.get(`${server.origin}${href ?? ""}`);
  expect(download.status()).toBe(200);
  expect((await download.body()).equals(evidencePdf)).toBe(true);
  expect(await seriousViolations(nation)).toEqual([]);
  await keepScreenshot(nation, "round-levels-national");
  await row.getByRole("button", { name: "Return to the level below: Guangxi Zhuang Autonomous Region" }).focus();
  await nation.keyboard.press("Enter");
  const dialog = nation.getByRole("dialog", { name: /^Return the report of / });
  await dialog.getByLabel("Reason").fill("请补充各地市数据。");
  await dialog.getByLabel("Reason").press("Tab");
  await nation.keyboard.press("Enter");
  await expect(row).toHaveAttribute("data-standing", "returned");
  await expect(row).toContainText("Returned by the level above: 请补充各地市数据。");

  // Guangxi's office sees the reason and may revise.
  await office.reload();
  await expect(own.getByTestId("level-state")).toHaveText("State: Returned by the level above");
  await expect(own).toContainText("Returned by the level above: 请补充各地市数据。");
  await expect(own.getByLabel("Progress")).toHaveValue("全区已印发实施方案，成员单位按季报送。");

  // Returned, the office replaces its file by a new version, then removes that one; each through a confirmation
  // dialog, by keyboard. The old files stay listed apart (kept for the record).
  await own.getByRole("button", { name: "Replace 督查报告.pdf with a new version" }).focus();
  await office.keyboard.press("Enter");
  const replaceDialog = office.getByRole("dialog", { name: "Replace 督查报告.pdf" });
  await expect(replaceDialog).toBeVisible();
  await replaceDialog.getByLabel("New version").setInputFiles({ name: "督查报告（修订）.pdf", mimeType: "application/pdf", buffer: evidencePdf });
  expect(await seriousViolations(office)).toEqual([]);
  await replaceDialog.getByRole("button", { name: "Replace", exact: true }).focus();
  await office.keyboard.press("Enter");
  await expect(office.getByRole("status").filter({ hasText: "督查报告.pdf replaced by a new version." })).toBeAttached();
  await expect(own.getByTestId("level-files").getByRole("link")).toHaveText(["督查报告（修订）.pdf"]);
  await expect(own.getByTestId("level-withdrawn-files")).toContainText("督查报告.pdf");
  await own.getByRole("button", { name: "Remove 督查报告（修订）.pdf" }).focus();
  await office.keyboard.press("Enter");
  const removeDialog = office.getByRole("dialog", { name: "Remove 督查报告（修订）.pdf?" });
  await expect(removeDialog).toContainText("It is kept in the audit trail");
  // Escape cancels: nothing removed, focus back on the button.
  await office.keyboard.press("Escape");
  await expect(removeDialog).toBeHidden();
  await expect(own.getByRole("button", { name: "Remove 督查报告（修订）.pdf" })).toBeFocused();
  await office.keyboard.press("Enter");
  await removeDialog.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(office.getByRole("status").filter({ hasText: "督查报告（修订）.pdf removed from the report." })).toBeAttached();
  await expect(own.getByTestId("level-files")).toHaveCount(0);
  await own.getByTestId("level-withdrawn-files").getByText("Removed or replaced files (kept for the record)").click();
  await expect(own.getByTestId("level-withdrawn-files").getByRole("link")).toHaveText(["督查报告.pdf", "督查报告（修订）.pdf"]);
  // The national office keeps what was sent up until the next sign-off.
  await nation.reload();
  await row.getByText("Report", { exact: true }).click();
  await expect(below.locator('tr[data-organisation="450000"]').getByTestId("level-files").getByRole("link")).toHaveText(["督查报告.pdf"]);
});
