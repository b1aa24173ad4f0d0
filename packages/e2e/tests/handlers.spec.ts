// Issue 15, point 2, inside a department: an administrator makes a handler (承办人) of a new division and a
// department leader (部门领导) of MOF and turns on the leader's approval; MOF's liaison hands an accepted assignment
// to the handler (分办); the handler reports and drafts the sign-off; the leader approves it (审核/签发); the lead
// ministry sees it signed off.
import { request as playwrightRequest } from "@playwright/test";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { demoPassword, keepScreenshot, seriousViolations, signIn } from "./support.js";
import type { Overview } from "./support.js";

const server = useOwnServer({ demo: true });

/** An accepted or in-progress supporting assignment of MOF, read through the API as the coordinator. */
async function acceptedOfMof(): Promise<{ id: number; measureNumber: number }> {
  const api = await playwrightRequest.newContext({ baseURL: server.origin, extraHTTPHeaders: { Origin: server.origin } });
  try {
    await api.post("/trpc/auth.login", { data: { username: "miit", password: demoPassword } });
    const plans = ((await (await api.get("/trpc/catalog.plans")).json()) as { result: { data: Array<{ id: number; status: string }> } }).result.data;
    const planId = plans.filter((p) => p.status === "issued").at(-1)?.id ?? 0;
    const input = encodeURIComponent(JSON.stringify({ planId }));
    const data = ((await (await api.get(`/trpc/tracking.overview?input=${input}`)).json()) as { result: { data: Overview } }).result.data;
    for (const m of data.measures) {
      const a = m.assignments.find((x) => x.department === "MOF" && x.role === "supporting" && ["accepted", "in_progress"].includes(x.status) && !x.extensionPending);
      if (a !== undefined && !m.closed) return { id: a.id, measureNumber: m.number };
    }
    throw new Error("the demo has no accepted supporting assignment of MOF");
  } finally {
    await api.dispose();
  }
}

/** Creates a MOF account on the administration page and answers its one-time link. */
async function createAccount(page: Page, username: string, zh: string, en: string): Promise<string> {
  await page.getByRole("button", { name: "New account" }).click();
  const form = page.getByRole("dialog", { name: "New account" });
  await form.getByLabel("Username").fill(username);
  await form.getByLabel("Name in Chinese").fill(zh);
  await form.getByLabel("Name in English").fill(en);
  await form.getByLabel("Department").selectOption("MOF");
  await form.getByRole("button", { name: "Create the account" }).click();
  const dialog = page.getByRole("dialog", { name: /One-time reset code for/ });
  const link = (await dialog.getByTestId("reset-link").textContent()) ?? "";
  await dialog.getByRole("button", { name: "Close" }).click();
  return link;
}

async function setPassword(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again").fill(password);
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();
}

test("a handler does the work the liaison hands them; the department leader approves the sign-off; the lead ministry sees it", async ({ page, browser }) => {
  const target = await acceptedOfMof();

  // The administrator: two accounts, a division, their parts, the department's approval rule.
  await signIn(page, "admin", { origin: server.origin });
  await page.getByRole("link", { name: "Administration", exact: true }).click();
  const handlerLink = await createAccount(page, "mof.tax", "李娜", "Li Na");
  const leaderLink = await createAccount(page, "mof.leader", "王强", "Wang Qiang");
  const panel = page.getByTestId("inside-department");
  await panel.getByLabel("Department", { exact: true }).selectOption("MOF");
  await panel.getByLabel("Name in Chinese").fill("税政司");
  await panel.getByLabel("Name in English").fill("Tax Policy Department");
  await panel.getByRole("button", { name: "Create division" }).click();
  await expect(panel.getByTestId("divisions")).toContainText("Tax Policy Department");
  const handlerRow = panel.getByTestId("department-people").locator('tr[data-username="mof.tax"]');
  await handlerRow.getByLabel(/Part in the department/).selectOption("handler");
  await handlerRow.getByLabel(/^Division/).selectOption({ label: "Tax Policy Department" });
  await handlerRow.getByRole("button", { name: /Save/ }).click();
  await expect(page.getByText("mof.tax is now Handler")).toBeVisible();
  const leaderRow = panel.getByTestId("department-people").locator('tr[data-username="mof.leader"]');
  await leaderRow.getByLabel(/Part in the department/).selectOption("leader");
  await leaderRow.getByRole("button", { name: /Save/ }).click();
  await expect(page.getByText("mof.leader is now Department leader")).toBeVisible();
  await panel.getByLabel(/go out only after the department leader approves/).check();
  await expect(panel.getByLabel(/go out only after the department leader approves/)).toBeChecked();
  await keepScreenshot(page, "inside-department-admin");
  expect(await seriousViolations(page)).toEqual([]);

  const handler = await (await browser.newContext()).newPage();
  await setPassword(handler, handlerLink, "plum rain over the river");
  const leader = await (await browser.newContext()).newPage();
  await setPassword(leader, leaderLink, "autumn moon above the lake");

  // The liaison hands the assignment to the handler (分办).
  const liaison = await (await browser.newContext()).newPage();
  await signIn(liaison, "mof", { origin: server.origin });
  await liaison.goto(`${server.origin}/assignments/${target.id}`);
  await liaison.getByRole("button", { name: "Assign to a handler" }).click();
  const assign = liaison.getByRole("dialog", { name: "Assign to a handler" });
  await assign.getByLabel(/Division and handler/).selectOption({ label: "Li Na" });
  await assign.getByLabel(/^Note/).fill("Your division drafts the tax rules.");
  expect(await seriousViolations(liaison)).toEqual([]);
  await assign.getByRole("button", { name: "Assign to a handler" }).click();
  await expect(assign).toBeHidden();

  // The handler's inbox holds exactly that assignment; they report and draft the sign-off.
  await signIn(handler, "mof.tax", { origin: server.origin, password: "plum rain over the river" });
  await handler.goto(`${server.origin}/inbox?filter=all`);
  await expect(handler.getByTestId("handler-scope")).toBeVisible();
  await expect(handler.locator(`a[href="/assignments/${target.id}"]`).first()).toBeVisible();
  await expect(handler.getByText("1 of 1 assignments shown")).toBeVisible();
  await keepScreenshot(handler, "handler-inbox");
  await handler.goto(`${server.origin}/assignments/${target.id}`);
  await handler.getByRole("button", { name: "Report progress" }).click();
  const report = handler.getByRole("dialog", { name: "Report progress" });
  await report.getByLabel(/^Note/).fill("The draft rules are out for comment.");
  await report.getByRole("button", { name: "Report progress" }).click();
  await expect(report).toBeHidden();
  await handler.getByRole("button", { name: "Sign off" }).click();
  const signOff = handler.getByRole("dialog", { name: "Sign off" });
  await signOff.getByLabel(/^Summary of the work done/).fill("The tax rules were issued.");
  await signOff.getByRole("button", { name: "Sign off" }).click();
  await expect(signOff).toBeHidden();
  await expect(handler.getByTestId("pending-approval")).toContainText("The tax rules were issued.");
  await expect(handler.getByTestId("assignment-status")).not.toContainText("Signed off");

  // The leader's approval queue; approving sends the sign-off.
  await signIn(leader, "mof.leader", { origin: server.origin, password: "autumn moon above the lake" });
  await leader.goto(`${server.origin}/inbox?filter=all`);
  await leader.getByTestId("approval-queue").click();
  await expect(leader.getByText("1 of 1 assignments shown")).toBeVisible();
  await keepScreenshot(leader, "leader-approval-queue");
  expect(await seriousViolations(leader)).toEqual([]);
  await leader.locator(`a[href="/assignments/${target.id}"]`).first().click();
  await leader.getByRole("button", { name: "Approve and send" }).click();
  const approve = leader.getByRole("dialog", { name: "Approve and send" });
  await approve.getByRole("button", { name: "Approve and send" }).click();
  await expect(approve).toBeHidden();
  await expect(leader.getByTestId("assignment-status")).toContainText("Signed off");

  // The lead ministry sees it signed off.
  const miit = await (await browser.newContext()).newPage();
  await signIn(miit, "miit", { origin: server.origin });
  await miit.goto(`${server.origin}/assignments/${target.id}`);
  await expect(miit.getByTestId("assignment-status")).toContainText("Signed off");
  for (const p of [handler, leader, liaison, miit]) await p.context().close();
});
