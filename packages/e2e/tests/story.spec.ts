// The whole story in the browser: supporting departments accept and sign off in their inboxes, the lead signs off
// last, the lead ministry closes the measure, and the grid and the matrix show it.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { Api, keepScreenshot, liaisonOf, openJointMeasure, overview, signIn } from "./support.js";
import type { TrackedAssignment } from "./support.js";

test.describe.configure({ mode: "serial" });

/** A liaison finds the assignment in their inbox, accepts it if still to acknowledge, and signs it off. */
async function acceptAndSignOff(page: Page, assignment: TrackedAssignment, measureNumber: number, shots: string | null) {
  await signIn(page, liaisonOf(assignment.department));
  await expect(page).toHaveURL(/\/inbox/);
  await page.getByRole("button", { name: /^All/ }).click();
  const row = page.locator(`tr[data-assignment-id="${assignment.id}"]`);
  await expect(row).toBeVisible();
  if (shots) await keepScreenshot(page, `${shots}-inbox`);
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Measure (${measureNumber})`);
  const article = page.locator("article.assignment-page");

  if ((await article.getAttribute("data-status")) === "assigned") {
    await page.getByRole("button", { name: "Accept", exact: true }).click();
    await expect(article).toHaveAttribute("data-status", "accepted");
  }
  if (shots) await keepScreenshot(page, `${shots}-assignment`);
  await page.getByRole("button", { name: "Sign off", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Sign off" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/Summary of the work done/).fill(`${assignment.department}: our part of measure (${measureNumber}) is done.`);
  await dialog.getByRole("button", { name: "Sign off", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(article).toHaveAttribute("data-status", "signed_off");
  await expect(page.getByRole("status").filter({ hasText: "Done: Sign off." })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test("supporting departments sign off, the lead signs off last, the coordinator closes the measure", async ({ page }) => {
  const coordinator = await Api.signIn("miit");
  const measure = openJointMeasure(await overview(coordinator));
  const lead = measure.assignments.find((a) => a.role === "lead");
  const supporting = measure.assignments.filter((a) => a.role === "supporting");
  expect(lead).toBeDefined();
  if (!lead) return;

  // The lead may not sign off before its supporting departments (the server refuses; the page never offers it).
  await signIn(page, liaisonOf(lead.department));
  await page.goto(`/assignments/${lead.id}`);
  await expect(page.locator("article.assignment-page")).toBeVisible();
  await expect(page.getByRole("heading", { name: "What you can do now" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign off", exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();

  for (const [index, assignment] of supporting.entries()) {
    await acceptAndSignOff(page, assignment, measure.number, index === 0 ? "liaison" : null);
  }
  await acceptAndSignOff(page, lead, measure.number, null);

  // The coordinator closes the measure (办结) from its page.
  await signIn(page, "miit");
  await expect(page).toHaveURL(/\/tracking/);
  await page.goto(`/measures/${measure.number}`);
  const measurePage = page.locator("article.measure-page");
  await expect(measurePage).toHaveAttribute("data-measure-status", "countersigned");
  await page.getByRole("button", { name: "Close measure" }).click();
  const dialog = page.getByRole("dialog", { name: "Close measure" });
  await dialog.getByLabel("Note on closing").fill("Every responsible department has signed off.");
  await dialog.getByRole("button", { name: "Close measure" }).click();
  await expect(measurePage).toHaveAttribute("data-measure-status", "closed");
  await keepScreenshot(page, "coordinator-measure");

  // The sign-off grid shows the measure closed, every department signed off.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign-off tracking" }).click();
  const gridRow = page.locator(`[data-testid="signoff-grid"] tr[data-measure="${measure.number}"]`);
  await expect(gridRow).toHaveAttribute("data-measure-status", "closed");
  for (const a of measure.assignments) {
    await expect(gridRow.locator(`td[data-department="${a.department}"]`)).toHaveAttribute("data-status", "signed_off");
  }
  await expect(page.getByTestId("stat-closed")).not.toHaveAttribute("data-count", "0");

  // The matrix with the status overlay shows the same.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Responsibility matrix" }).click();
  await page.getByLabel("Show each assignment's state").check();
  const matrixRow = page.locator(`[data-testid="matrix"] tr[data-measure="${measure.number}"]`);
  await expect(matrixRow.locator(`td[data-department="${lead.department}"]`)).toHaveAttribute("data-role", "lead");
  await expect(matrixRow.locator(`td[data-department="${lead.department}"]`)).toHaveAttribute("data-status", "signed_off");
  await expect(matrixRow).toContainText("Closed");

  const after = await overview(coordinator);
  expect(after.measures.find((m) => m.number === measure.number)?.status).toBe("closed");
  await coordinator.dispose();
});
