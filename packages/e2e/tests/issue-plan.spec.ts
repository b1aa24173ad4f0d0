// The lead ministry divides the work and issues a plan. The demo plan is already issued, so this spec starts a
// second server of its own on a fresh database (not in demo mode: the default plan is loaded as a draft) with a
// coordinator account created by the CLI, as a real deployment would.
import { expect, test } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { keepScreenshot, seriousViolations, signIn } from "./support.js";

const password = "issue-plan-test-password";
const server = useOwnServer({ demo: false, accounts: [{ username: "coord", role: "coordinator", department: "MIIT", password }] });

test("the coordinator edits the division of work and issues the plan", async ({ page }) => {
  await signIn(page, "coord", { origin: server.origin, password });
  await expect(page).toHaveURL(/\/tracking/);
  await expect(page.getByText("This plan has not been issued yet.")).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Division of work" }).click();
  const item = page.locator('.division-item[data-measure="23"]');
  await item.getByRole("button", { name: "Edit Measure (23)" }).click();
  await item.getByLabel(/^Lead department/).selectOption("MIIT");
  await item.getByRole("checkbox", { name: "State Administration for Market Regulation" }).check();
  expect(await seriousViolations(page)).toEqual([]);
  await item.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Measure (23) saved." })).toBeVisible();
  await expect(item).toContainText("SAMR");
  await keepScreenshot(page, "division-draft");

  // A deadline already past is refused unless confirmed as back-dated.
  await page.getByLabel("Deadline date").fill("2020-06-30");
  await page.getByRole("button", { name: "Issue the plan" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "before today" })).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Issue the plan" })).toHaveCount(0);
  await page.getByLabel("Deadline date").fill("2027-06-30");
  // Measure (24) gets its own deadline.
  await page.getByText(/^Deadlines per measure/).click();
  await page.getByLabel("Measure (24)", { exact: true }).fill("2028-12-31");
  await page.getByRole("button", { name: "Issue the plan" }).click();
  const confirm = page.getByRole("dialog", { name: "Issue the plan" });
  await expect(confirm).toContainText("30 Jun 2027");
  await confirm.getByRole("button", { name: "Issue the plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The plan has been issued." })).toBeVisible();
  await expect(page.getByTestId("plan-issued")).toBeVisible();

  // The grid now holds every measure, each department's assignment still to acknowledge.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign-off tracking" }).click();
  const grid = page.getByTestId("signoff-grid");
  await expect(grid.locator("tbody tr")).toHaveCount(25);
  await expect(grid.locator('tr[data-measure="23"] td[data-department="SAMR"]')).toHaveAttribute("data-status", "assigned");
  await expect(grid.locator("td[data-status]:not([data-status=assigned])")).toHaveCount(0);
  await grid.locator('tr[data-measure="24"] a').first().click();
  await expect(page.locator("dl.facts")).toContainText("31 Dec 2028");
});
