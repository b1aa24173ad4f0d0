// The lead ministry's queues: a declined assignment reassigned, an extension request decided, overdue
// assignments reminded in bulk with progress shown.
import { expect, test } from "@playwright/test";
import { signIn } from "./support.js";

test("the coordinator works through the declined, extension and overdue queues", async ({ page }) => {
  await signIn(page, "miit");
  await expect(page).toHaveURL(/\/tracking/);

  // Declined → reassigned to another department.
  const declined = page.getByTestId("queue-declined");
  const declinedItem = declined.locator(".queue-item").first();
  await expect(declinedItem).toBeVisible();
  const declinedId = await declinedItem.getAttribute("data-assignment-id");
  await declinedItem.getByRole("button", { name: "Reassign" }).click();
  const reassign = page.getByRole("dialog", { name: "Reassign" });
  const options = reassign.getByLabel(/Reassign to/).locator("option");
  const choice = await options.nth(1).getAttribute("value");
  expect(choice).toBeTruthy();
  await reassign.getByLabel(/Reassign to/).selectOption(choice ?? "");
  await reassign.getByLabel(/^Note/).fill("Closer to its remit.");
  await reassign.getByRole("button", { name: "Reassign" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Done: Reassign." })).toBeVisible();
  await expect(declined.locator(`[data-assignment-id="${declinedId}"]`)).toHaveCount(0);
  // The item left the queue: keyboard focus stays in the queue, not at the page top.
  await expect(page.locator("#queue-declined")).toBeFocused();
  const grid = page.getByTestId("signoff-grid");
  await expect(grid.locator(`td[data-department="${choice}"] a[href="/assignments/${declinedId}"]`)).toBeVisible();

  // An extension request → approved, and the new deadline holds.
  const extensions = page.getByTestId("queue-extension");
  const request = extensions.locator(".queue-item").first();
  await expect(request).toContainText("Requested deadline");
  const requestId = await request.getAttribute("data-assignment-id");
  await request.getByRole("button", { name: "Decide on the extension" }).click();
  const decide = page.getByRole("dialog", { name: "Decide on the extension" });
  await decide.getByRole("button", { name: "Decide on the extension" }).click();
  await expect(decide.getByRole("alert")).toContainText("Decision");
  await decide.getByLabel("Approve").check();
  await decide.getByRole("button", { name: "Decide on the extension" }).click();
  await expect(extensions.locator(`[data-assignment-id="${requestId}"]`)).toHaveCount(0);
  await page.goto(`/assignments/${requestId}`);
  await expect(page.locator(".timeline")).toContainText("Extension approved");
  await page.goBack();

  // Overdue → two reminded in one go, with progress.
  const overdue = page.getByTestId("queue-overdue");
  const rows = overdue.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await overdue.getByRole("button", { name: "Remind selected (2)" }).click();
  const bulk = page.getByRole("dialog", { name: "Remind selected (2)" });
  await bulk.getByLabel("Message").fill("Please report on this measure by Friday.");
  await bulk.getByRole("button", { name: "Remind", exact: true }).click();
  await expect(bulk.getByTestId("bulk-progress")).toContainText("Reminded 2 of 2.");
  await bulk.getByRole("button", { name: "Close" }).click();
  await expect(bulk).toBeHidden();
});
