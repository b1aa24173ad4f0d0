// Faults a new-user trial found, as a liaison meets them in the browser, in Chinese and English: the division page
// is not for a department, a signed-off assignment says once what happened and what can still be done, 分办 says how
// to get a handler, and the inbox search says in which language the 2020 plan's text is.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { Api, overview, seriousViolations, signIn } from "./support.js";

async function chinese(page: Page): Promise<void> {
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
}

test("a liaison typing /division is told it is not available, and where the work is (en, zh)", async ({ page }) => {
  await signIn(page, "mof");
  await page.goto("/division");
  const unavailable = page.getByTestId("division-unavailable");
  await expect(unavailable.getByRole("status")).toContainText("Not available to a department's account");
  await expect(unavailable.getByRole("link", { name: "Go to your inbox" })).toBeVisible();
  // No division of work is shown: no lead or supporting choices, no issue button.
  await expect(page.locator(".division-item")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Issue the plan" })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await chinese(page);
  await expect(unavailable.getByRole("status")).toContainText("本页面不向各单位账号开放");
  await unavailable.getByRole("link", { name: "前往待办事项" }).click();
  await expect(page).toHaveURL(/\/inbox/);
});

test("after a sign-off the assignment says once what happened and what can be done, in users' words (en, zh)", async ({ page }) => {
  const miit = await Api.signIn("miit");
  const data = await overview(miit);
  await miit.dispose();
  // CNIPA signed off its part of (22) in the demo.
  const signedOff = data.measures.flatMap((m) => m.assignments).find((a) => a.department === "CNIPA" && a.status === "signed_off");
  if (signedOff === undefined) throw new Error("the demo has no signed-off CNIPA assignment");
  await signIn(page, "cnipa");
  await page.goto(`/assignments/${signedOff.id}`);
  const why = page.getByTestId("unavailable-actions");
  const state = why.locator('li[data-refusal="invalid_state"]');
  await expect(state).toHaveCount(1);
  await expect(state).toContainText("Signed off: progress reports, sign-off and extension requests are closed.");
  await expect(state).toContainText("the lead ministry returns it for rework");
  // No line per closed action, and no action's code name anywhere.
  await expect(why.locator("li[data-action]")).toHaveCount(0);
  await expect(why).not.toContainText(/reportProgress|signOff|requestExtension|assignHandler/);
  await chinese(page);
  await expect(state).toContainText("已报结：进展反馈、报结和延期申请均已结束；如需补充，由牵头协调退回重办。仍可发表意见。");
});

test("分办 is not offered to a department without a handler, and it is told how to add one (en, zh)", async ({ page }) => {
  const miit = await Api.signIn("miit");
  const data = await overview(miit);
  await miit.dispose();
  // CSRC accepted (12) and reported progress in the demo; it has no division or handler.
  const working = data.measures.flatMap((m) => m.assignments).find((a) => a.department === "CSRC" && (a.status === "in_progress" || a.status === "accepted"));
  if (working === undefined) throw new Error("the demo has no CSRC assignment under way");
  await signIn(page, "csrc");
  await page.goto(`/assignments/${working.id}`);
  await expect(page.getByRole("button", { name: "Report progress", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Assign to a handler", exact: true })).toHaveCount(0);
  const line = page.getByTestId("unavailable-actions").locator('li[data-action="assignHandler"]');
  await expect(line).toHaveAttribute("data-refusal", "no_handler");
  await expect(line).toContainText("An administrator adds a division and a handler on the Administration page");
  await chinese(page);
  await expect(line).toContainText("请联系系统管理员在“系统管理”页面（单位）添加处室和承办人");
});

test("the inbox search box tells a Chinese reader that the 2020 plan's measures are in English", async ({ page }) => {
  await signIn(page, "mof");
  const search = page.getByRole("searchbox");
  await expect(search).toHaveAttribute("placeholder", "e.g. tax, credit, intellectual property");
  await chinese(page);
  await expect(search).toHaveAttribute("placeholder", /英文译本.*tax/);
  // And it finds what it suggests.
  await search.fill("tax");
  await page.getByRole("button", { name: /^全部/ }).click();
  await expect(page.locator("tbody tr").first()).toBeVisible();
});
