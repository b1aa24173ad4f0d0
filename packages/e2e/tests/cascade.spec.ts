// Issue 16, down the levels, in the browser: the national office forwards measures of the 2020 plan to Guangxi and
// Zhejiang; Guangxi derives its implementation plan, adds a local measure and issues it on the division page; the national regional grid
// changes and drills down to Guangxi's plan; Zhejiang sees only what was forwarded to it. (The city's sign-off rolling
// up two levels is proved over HTTP in apps/server/src/routers/cascade.http.test.ts.) Forwarding changes what other
// specs see: a server of its own.
import { expect, test } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { keepScreenshot, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

/** A day `days` from today in Beijing, YYYY-MM-DD (the demo's deadlines are relative to today). */
function beijingDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test("forward to two provinces, Guangxi derives and issues, the nation's grid changes, Zhejiang sees none of Guangxi's", async ({ page }) => {
  // The national office forwards measures (9) and (16) (the demo's other measures are overdue already: a province's
  // plan deadline may not pass a measure's own).
  await signIn(page, "miit", { origin: server.origin });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Down the levels" }).click();
  await expect(page.getByRole("heading", { name: "Down the levels (forwarding)" })).toBeVisible();
  await page.getByTestId("cascade-plans").getByRole("button", { name: "Forward…" }).click();
  const dialog = page.getByRole("dialog", { name: "Forward the plan to the level below" });
  // One title, the dialog's own (it was printed twice).
  await expect(dialog.getByRole("heading")).toHaveCount(1);
  await dialog.getByRole("checkbox", { name: "Guangxi Zhuang Autonomous Region" }).check();
  await dialog.getByRole("checkbox", { name: "Zhejiang", exact: true }).check();
  await dialog.getByRole("checkbox", { name: /^\(9\) / }).check();
  await dialog.getByRole("checkbox", { name: /^\(16\) / }).check();
  await dialog.getByLabel("Implementation plan due by").fill(beijingDay(10));
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Forward", exact: true }).click();
  await expect(dialog.getByRole("status")).toHaveText("Forwarded to 2 organisations.");
  await dialog.getByRole("button", { name: "Cancel" }).press("Enter");
  await expect(dialog).toBeHidden();
  const grid = page.getByTestId("regional-grid");
  const row9 = grid.locator("tbody tr").filter({ hasText: "(9)" });
  await expect(row9.locator("td").nth(1 + 19)).toHaveText("Planning"); // Guangxi is the 20th province
  await expect(row9.locator("td").nth(1 + 10)).toHaveText("Planning"); // Zhejiang the 11th
  await expect(row9.locator("td").nth(1 + 18)).toHaveText("Not forwarded"); // Guangdong
  await keepScreenshot(page, "cascade-national-grid");

  // Guangxi's office takes the forwarding in and issues its implementation plan.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "gx-office", { origin: server.origin });
  await page.goto(`${server.origin}/cascade`);
  const pending = page.getByTestId("cascade-pending");
  await expect(pending).toContainText("2 measures");
  // Dates as people read them, not ISO strings.
  await expect(pending).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await pending.getByRole("button", { name: "Read the forwarded plan" }).click();
  await expect(page.getByTestId("cascade-plan")).toContainText("Forwarded to you: read only");
  await expect(page.getByTestId("cascade-plan")).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await pending.getByRole("button", { name: "Derive the implementation plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft implementation plan made with 2 measures." })).toBeVisible();
  await expect(page.getByText("Nothing forwarded to your organisation is waiting.")).toBeVisible();
  // A local measure of its own (沿边中小企业), then its lead on the division page.
  await page.getByTestId("cascade-plans").getByRole("button", { name: "Add a local measure…" }).click();
  const local = page.getByRole("dialog", { name: "Add a local measure to the draft" });
  await local.getByLabel("Short title").fill("沿边中小企业");
  await local.getByLabel("Text").fill("支持沿边地区中小企业发展。");
  await local.getByLabel(/^Deadline/).fill(beijingDay(20));
  expect(await seriousViolations(page)).toEqual([]);
  await local.getByRole("button", { name: "Add the measure" }).click();
  await expect(local.getByRole("status")).toHaveText("Measure (3) added; set its lead department on the division page.");
  await local.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("link", { name: "Divide and issue it" }).click();
  const item = page.locator('.division-item[data-measure="3"]');
  await item.getByRole("button", { name: "Edit Measure (3)" }).click();
  await item.getByLabel(/^Lead department/).selectOption("450000-MOFCOM");
  await item.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Measure (3) saved." })).toBeVisible();
  await page.getByLabel("Deadline date").fill(beijingDay(15));
  await page.getByRole("button", { name: "Issue the plan" }).click();
  await page.getByRole("dialog", { name: "Issue the plan" }).getByRole("button", { name: "Issue the plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The plan has been issued." })).toBeVisible();

  // The nation's grid: Guangxi in progress, Zhejiang still planning; drill down to Guangxi's plan (read-only).
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "miit", { origin: server.origin });
  await page.goto(`${server.origin}/cascade`);
  await expect(row9.locator("td").nth(1 + 19)).toHaveText("In progress");
  await expect(row9.locator("td").nth(1 + 10)).toHaveText("Planning");
  await grid.getByRole("button", { name: "Open Guangxi Zhuang Autonomous Region's plan" }).click();
  await expect(page.getByTestId("regional-grid").locator("caption")).toContainText("Guangxi Zhuang Autonomous Region");
  await expect(page.getByTestId("regional-grid").locator("tbody tr")).toHaveCount(3);
  await page.getByRole("button", { name: "Back up one level" }).click();
  await expect(page.getByTestId("regional-grid").locator("tbody tr")).toHaveCount(25);

  // Zhejiang: its own forwarding only; the national grid and Guangxi's plan are not for it.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "zj-office", { origin: server.origin });
  await page.goto(`${server.origin}/cascade`);
  await expect(page.getByTestId("cascade-pending")).toContainText("2 measures");
  await expect(page.getByTestId("cascade-pending").locator("li")).toHaveCount(1);
  await expect(page.getByText("Your organisation has no plan yet.")).toBeVisible();
  await expect(page.getByTestId("regional-grid")).toHaveCount(0);
});
